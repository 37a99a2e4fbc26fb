// The reverse of make-webcrypto-fixtures.ts: a val that makes keys, signatures, ciphertexts and derived
// bits with Valence's crypto.subtle, for check-val-made.ts to verify, decrypt and re-derive with Deno's.
//
//   save this file as an HTTP val, then:  curl .../v/OWNER/VAL > val-made.json
//   npx deno run --allow-read check-val-made.ts val-made.json      (prints true for every check)
export default async () => {
  const s = crypto.subtle, enc = new TextEncoder();
  const b64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b)));
  const data = enc.encode('made in a val');
  const out = {};
  const pss = await s.generateKey({ name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
  out.pss = { spki: b64(await s.exportKey('spki', pss.publicKey)), sig: b64(await s.sign({ name: 'RSA-PSS', saltLength: 32 }, pss.privateKey, data)), pkcs8: b64(await s.exportKey('pkcs8', pss.privateKey)) };
  const ec = await s.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
  out.ec = { jwk: await s.exportKey('jwk', ec.publicKey), sig: b64(await s.sign({ name: 'ECDSA', hash: 'SHA-384' }, ec.privateKey, data)), pkcs8: b64(await s.exportKey('pkcs8', ec.privateKey)), privJwk: await s.exportKey('jwk', ec.privateKey) };
  const ed = await s.generateKey('Ed25519', true, ['sign', 'verify']);
  out.ed = { raw: b64(await s.exportKey('raw', ed.publicKey)), sig: b64(await s.sign('Ed25519', ed.privateKey, data)), pkcs8: b64(await s.exportKey('pkcs8', ed.privateKey)) };
  const oaep = await s.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' }, true, ['encrypt', 'decrypt']);
  out.oaep = { privJwk: await s.exportKey('jwk', oaep.privateKey), ct: b64(await s.encrypt({ name: 'RSA-OAEP', label: enc.encode('l') }, oaep.publicKey, data)) };
  const aes = await s.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  out.aes = { jwk: await s.exportKey('jwk', aes), iv: b64(iv), ct: b64(await s.encrypt({ name: 'AES-GCM', iv, additionalData: data }, aes, data)) };
  const a = await s.generateKey({ name: 'ECDH', namedCurve: 'P-521' }, true, ['deriveBits']);
  const b = await s.generateKey({ name: 'ECDH', namedCurve: 'P-521' }, true, ['deriveBits']);
  out.ecdh = { aPkcs8: b64(await s.exportKey('pkcs8', a.privateKey)), bSpki: b64(await s.exportKey('spki', b.publicKey)), bits: b64(await s.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, 528)) };
  const xa = await s.generateKey('X25519', true, ['deriveBits']);
  const xb = await s.generateKey('X25519', true, ['deriveBits']);
  out.x = { aJwk: await s.exportKey('jwk', xa.privateKey), bRaw: b64(await s.exportKey('raw', xb.publicKey)), bits: b64(await s.deriveBits({ name: 'X25519', public: xb.publicKey }, xa.privateKey, 256)) };
  const kw = await s.generateKey({ name: 'AES-KW', length: 128 }, true, ['wrapKey']);
  out.kw = { raw: b64(await s.exportKey('raw', kw)), wrapped: b64(await s.wrapKey('raw', aes, kw, 'AES-KW')) };
  return Response.json(out);
};
