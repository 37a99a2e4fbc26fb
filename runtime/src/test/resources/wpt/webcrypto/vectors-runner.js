// Valence's checks over the web-platform-tests WebCrypto vectors (see NOTICE): evaluated in a val's
// sandbox with `files` (name -> the vector file's text); resolves to { name: [passed, failures] }.
(async function (files) {
  const load = (name, exported) => new Function(files[name] + '\nreturn {' + exported.join(', ') + '};')();
  const same = (a, b) => {
    a = new Uint8Array(a); b = new Uint8Array(b);
    return a.length === b.length && a.every((x, i) => x === b[i]);
  };
  const flipped = (bytes) => { const c = new Uint8Array(bytes); c[0] ^= 1; return c; };
  const results = {};
  async function check(group, name, step) {
    const r = results[group] || (results[group] = { passed: 0, failures: [] });
    try {
      const problem = await step();
      if (problem) r.failures.push(name + ': ' + problem); else r.passed++;
    } catch (e) {
      r.failures.push(name + ': threw ' + (e && e.name) + ' ' + (e && e.message));
    }
  }
  const s = crypto.subtle;

  for (const v of load('hmac_vectors.js', ['getTestVectors']).getTestVectors().passing) {
    await check('hmac', v.name, async () => {
      const key = await s.importKey('raw', v.keyBuffer, { name: 'HMAC', hash: v.hash }, true, ['sign', 'verify']);
      if (!same(await s.sign('HMAC', key, v.plaintext), v.signature)) return 'signature differs';
      if (!await s.verify('HMAC', key, v.signature, v.plaintext)) return 'did not verify';
      if (await s.verify('HMAC', key, flipped(v.signature), v.plaintext)) return 'a changed signature verified';
      if (await s.verify('HMAC', key, v.signature, flipped(v.plaintext))) return 'changed data verified';
      const jwk = await s.exportKey('jwk', key);
      const again = await s.importKey('jwk', jwk, { name: 'HMAC', hash: v.hash }, false, ['verify']);
      if (!await s.verify('HMAC', again, v.signature, v.plaintext)) return 'the JWK round trip lost the key';
    });
  }

  const ecdsa = load('ecdsa_vectors.js', ['getTestVectors', 'getInvalidTestVectors']);
  for (const v of ecdsa.getTestVectors()) {
    await check('ecdsa', v.name, async () => {
      const alg = { name: 'ECDSA', namedCurve: v.namedCurve };
      const pub = await s.importKey('spki', v.publicKeyBuffer, alg, true, ['verify']);
      const priv = await s.importKey('pkcs8', v.privateKeyBuffer, alg, true, ['sign']);
      const params = { name: 'ECDSA', hash: v.hashName };
      if (!await s.verify(params, pub, v.signature, v.plaintext)) return 'the vector signature did not verify';
      if (await s.verify(params, pub, flipped(v.signature), v.plaintext)) return 'a changed signature verified';
      const mine = await s.sign(params, priv, v.plaintext);
      if (mine.byteLength !== v.signature.length) return 'signature of ' + mine.byteLength + ' bytes';
      if (!await s.verify(params, pub, mine, v.plaintext)) return 'our signature did not verify';
      if (!same(await s.exportKey('spki', pub), v.publicKeyBuffer)) return 'spki export differs';
      const jwk = await s.exportKey('jwk', priv);
      const fromJwk = await s.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, alg, true, ['verify']);
      if (!await s.verify(params, fromJwk, v.signature, v.plaintext)) return 'the public half of the private JWK is wrong';
    });
  }
  for (const v of ecdsa.getInvalidTestVectors()) {
    await check('ecdsa-invalid', v.name, async () => {
      const pub = await s.importKey('spki', v.publicKeyBuffer, { name: 'ECDSA', namedCurve: v.namedCurve }, false, ['verify']);
      if (await s.verify({ name: 'ECDSA', hash: v.hashName }, pub, v.signature, v.plaintext)) return 'an invalid signature verified';
    });
  }

  const eddsa = load('eddsa_vectors.js', ['getTestVectors', 'getAdditionalTestVectors']);
  for (const v of [...eddsa.getTestVectors(), ...eddsa.getAdditionalTestVectors()]) {
    await check('eddsa', v.name, async () => {
      if (v.algorithmName === 'Ed448') {
        try { await s.importKey('spki', v.publicKeyBuffer, 'Ed448', false, ['verify']); } catch (e) {
          return e.name === 'NotSupportedError' ? null : 'Ed448 refused with ' + e.name;
        }
        return 'Ed448 was accepted';
      }
      const pub = await s.importKey('spki', v.publicKeyBuffer, v.algorithmName, true, ['verify']);
      const priv = await s.importKey('pkcs8', v.privateKeyBuffer, v.algorithmName, true, ['sign']);
      if (!same(await s.sign(v.algorithmName, priv, v.data), v.signature)) return 'signature differs';
      if (!await s.verify(v.algorithmName, pub, v.signature, v.data)) return 'did not verify';
      if (await s.verify(v.algorithmName, pub, flipped(v.signature), v.data)) return 'a changed signature verified';
      const jwk = await s.exportKey('jwk', priv);
      const raw = await s.exportKey('raw', pub);
      if (!same(raw, v.publicKeyBuffer.slice(12))) return 'raw export differs';
      const back = await s.importKey('jwk', jwk, v.algorithmName, false, ['sign']);
      if (!same(await s.sign(v.algorithmName, back, v.data), v.signature)) return 'the JWK round trip changed the key';
    });
  }

  for (const v of load('rsa_pkcs_vectors.js', ['getTestVectors']).getTestVectors().passing) {
    await check('rsa-pkcs1', v.name, async () => {
      const alg = { name: 'RSASSA-PKCS1-v1_5', hash: v.hash };
      const pub = await s.importKey('spki', v.publicKeyBuffer, alg, true, ['verify']);
      const priv = await s.importKey('pkcs8', v.privateKeyBuffer, alg, true, ['sign']);
      if (pub.algorithm.modulusLength !== 2048 || pub.algorithm.publicExponent.join() !== '1,0,1') return 'algorithm ' + JSON.stringify(pub.algorithm);
      if (!same(await s.sign(v.algorithm, priv, v.plaintext), v.signature)) return 'signature differs';
      if (!await s.verify(v.algorithm, pub, v.signature, v.plaintext)) return 'did not verify';
      if (await s.verify(v.algorithm, pub, v.signature, flipped(v.plaintext))) return 'changed data verified';
      const jwk = await s.exportKey('jwk', priv);
      const back = await s.importKey('jwk', jwk, alg, true, ['sign']);
      if (!same(await s.exportKey('pkcs8', back), v.privateKeyBuffer)) return 'the JWK round trip changed the pkcs8 bytes';
    });
  }

  const gcm = load('aes_gcm_vectors.js', ['getTestVectors']).getTestVectors();
  for (const v of gcm.passing) {
    await check(v.algorithm.tagLength < 96 ? 'aes-gcm-short-tag' : 'aes-gcm', v.name, async () => {
      const key = await s.importKey('raw', v.keyBuffer, 'AES-GCM', false, ['encrypt', 'decrypt']);
      if (v.algorithm.tagLength < 96) {
        try { await s.encrypt(v.algorithm, key, v.plaintext); } catch (e) { return e.name === 'NotSupportedError' ? null : 'refused with ' + e.name; }
        return 'a short tag was accepted';
      }
      if (!same(await s.encrypt(v.algorithm, key, v.plaintext), v.result)) return 'ciphertext differs';
      if (!same(await s.decrypt(v.algorithm, key, v.result), v.plaintext)) return 'plaintext differs';
      try { await s.decrypt(v.algorithm, key, flipped(v.result)); return 'a changed ciphertext decrypted'; } catch (e) {
        if (e.name !== 'OperationError') return 'a changed ciphertext was refused with ' + e.name;
      }
    });
  }
  for (const v of gcm.failing) {
    await check('aes-gcm-bad-tag', v.name, async () => {
      const key = await s.importKey('raw', v.keyBuffer, 'AES-GCM', false, ['encrypt', 'decrypt']);
      try { await s.encrypt(v.algorithm, key, v.plaintext); } catch (e) { return e.name === 'OperationError' ? null : 'refused with ' + e.name; }
      return 'accepted';
    });
  }
  return results;
})
