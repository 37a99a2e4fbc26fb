// Makes webcrypto-fixtures.json, the values WebCryptoTest expects a val to reproduce or accept: keys,
// signatures, ciphertexts, derived bits and JWK shapes produced by Deno's own crypto.subtle.
//
//   npm i deno@2.9 && npx deno run make-webcrypto-fixtures.ts > webcrypto-fixtures.json
//
// Keys are generated afresh on each run, so a re-run changes every value but not what they test.
const s = crypto.subtle;
const enc = new TextEncoder();
const b64 = (b: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(b)));
const b64url = (b: ArrayBuffer | Uint8Array) => b64(b).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${b64(der).match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;

async function jwt(alg: string, params: AlgorithmIdentifier | EcdsaParams, key: CryptoKey) {
  const input = b64url(enc.encode(JSON.stringify({ alg, typ: 'JWT' }))) + '.' +
    b64url(enc.encode(JSON.stringify({ sub: 'val', iat: 1700000000 })));
  return input + '.' + b64url(await s.sign(params, key, enc.encode(input)));
}

const out: Record<string, unknown> = { deno: Deno.version.deno };

// RS256: PEM keys as a val would paste them, a JWT signed by Deno, the public key as a JWK
const rsa = await s.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
out.rs256 = {
  privatePem: pem('PRIVATE KEY', await s.exportKey('pkcs8', rsa.privateKey)),
  publicPem: pem('PUBLIC KEY', await s.exportKey('spki', rsa.publicKey)),
  publicJwk: await s.exportKey('jwk', rsa.publicKey),
  jwt: await jwt('RS256', 'RSASSA-PKCS1-v1_5', rsa.privateKey),
};
const pssKey = await s.importKey('pkcs8', await s.exportKey('pkcs8', rsa.privateKey), { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['sign']);
out.ps256 = { jwt: await jwt('PS256', { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams, pssKey) };
const oaepPub = await s.importKey('spki', await s.exportKey('spki', rsa.publicKey), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt']);
out.oaep = { ciphertext: b64(await s.encrypt({ name: 'RSA-OAEP', label: enc.encode('label') }, oaepPub, enc.encode('secret for OAEP'))) };

// ES256
const ec = await s.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
out.es256 = {
  privateJwk: await s.exportKey('jwk', ec.privateKey),
  publicJwk: await s.exportKey('jwk', ec.publicKey),
  privatePkcs8: b64(await s.exportKey('pkcs8', ec.privateKey)),
  publicRaw: b64(await s.exportKey('raw', ec.publicKey)),
  jwt: await jwt('ES256', { name: 'ECDSA', hash: 'SHA-256' }, ec.privateKey),
};

// EdDSA (deterministic: a val signing with the same key must produce the same JWT)
const ed = await s.generateKey('Ed25519', true, ['sign', 'verify']) as CryptoKeyPair;
out.eddsa = {
  privateJwk: await s.exportKey('jwk', ed.privateKey),
  publicJwk: await s.exportKey('jwk', ed.publicKey),
  privatePkcs8: b64(await s.exportKey('pkcs8', ed.privateKey)),
  jwt: await jwt('EdDSA', 'Ed25519', ed.privateKey),
};

// HS256 and the HMAC key's JWK shape
const hs = await s.importKey('raw', enc.encode('a-very-secret-signing-key'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
out.hs256 = { jwt: await jwt('HS256', 'HMAC', hs), jwk: await s.exportKey('jwk', hs), algorithm: hs.algorithm };

// ECDH P-256 and X25519: both public keys, one private key, the shared bits Deno derives
const a = await s.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']) as CryptoKeyPair;
const b = await s.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']) as CryptoKeyPair;
out.ecdh = {
  alicePrivateJwk: await s.exportKey('jwk', a.privateKey),
  bobPublicRaw: b64(await s.exportKey('raw', b.publicKey)),
  bits256: hex(await s.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, 256)),
  bits100: hex(await s.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, 100)),
};
const xa = await s.generateKey('X25519', true, ['deriveBits']) as CryptoKeyPair;
const xb = await s.generateKey('X25519', true, ['deriveBits']) as CryptoKeyPair;
out.x25519 = {
  alicePkcs8: b64(await s.exportKey('pkcs8', xa.privateKey)),
  alicePrivateJwk: await s.exportKey('jwk', xa.privateKey),
  bobPublicRaw: b64(await s.exportKey('raw', xb.publicKey)),
  bits: hex(await s.deriveBits({ name: 'X25519', public: xb.publicKey }, xa.privateKey, 256)),
};

// AES: a cookie sealed with AES-GCM, CBC and CTR (the counter wraps within its 32 bits after 3 blocks), AES-KW
const aesBytes = new Uint8Array(32).map((_, i) => i * 7 + 1);
const iv = new Uint8Array(12).map((_, i) => 200 - i);
const gcm = await s.importKey('raw', aesBytes, 'AES-GCM', true, ['encrypt', 'decrypt']);
const cookie = enc.encode(JSON.stringify({ user: 'alice', exp: 1700003600 }));
const cbc = await s.importKey('raw', aesBytes.slice(0, 16), 'AES-CBC', false, ['encrypt']);
const ctr = await s.importKey('raw', aesBytes.slice(0, 24), 'AES-CTR', false, ['encrypt']);
const counter = new Uint8Array(16).fill(0xfe);
counter.set([0xff, 0xff, 0xff, 0xfd], 12);
const kw = await s.importKey('raw', aesBytes, 'AES-KW', false, ['wrapKey']);
out.aes = {
  keyHex: hex(aesBytes.buffer), ivHex: hex(iv.buffer),
  gcmCookie: b64(await s.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode('session') }, gcm, cookie)),
  gcmJwk: await s.exportKey('jwk', gcm),
  cbc: b64(await s.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16).fill(9) }, cbc, enc.encode('sixteen byte msg and more'))),
  ctrWrapping: b64(await s.encrypt({ name: 'AES-CTR', counter, length: 32 }, ctr, new Uint8Array(100).map((_, i) => i))),
  kwWrappedGcmKey: b64(await s.wrapKey('raw', gcm, kw, 'AES-KW')),
};

// PBKDF2 password hashing and HKDF
const pw = await s.importKey('raw', enc.encode('correct horse battery staple'), 'PBKDF2', false, ['deriveBits', 'deriveKey']);
out.pbkdf2 = { bits: hex(await s.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: enc.encode('pepper-and-salt'), iterations: 100000 }, pw, 256)) };
const ikm = await s.importKey('raw', enc.encode('input keying material'), 'HKDF', false, ['deriveBits', 'deriveKey']);
out.hkdf = { bits: hex(await s.deriveBits({ name: 'HKDF', hash: 'SHA-384', salt: enc.encode('salt'), info: enc.encode('context') }, ikm, 520)) };
const derived = await s.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new Uint8Array(0) }, ikm, { name: 'HMAC', hash: 'SHA-512' }, true, ['sign']);
out.hkdfDerivedHmac = { jwk: await s.exportKey('jwk', derived), algorithm: derived.algorithm };

// The DOMException names Deno gives to wrong calls (the val must give the same names)
const errors: Record<string, string> = {};
async function name(label: string, f: () => Promise<unknown>) {
  try { await f(); errors[label] = 'none'; } catch (e) { errors[label] = (e as Error).name; }
}
const verifyOnly = await s.importKey('raw', enc.encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
await name('signWithVerifyOnlyKey', () => s.sign('HMAC', verifyOnly, enc.encode('x')));
await name('exportNonExtractable', () => s.exportKey('raw', verifyOnly));
await name('unknownAlgorithm', () => s.sign('FOO', verifyOnly, enc.encode('x')));
await name('hmacWithEcKey', () => s.sign('HMAC', ec.privateKey, enc.encode('x')));
await name('badUsageOnImport', () => s.importKey('raw', enc.encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['encrypt']));
await name('emptyUsagesSecret', () => s.importKey('raw', enc.encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, []));
await name('aesWrongLength', () => s.importKey('raw', new Uint8Array(10), 'AES-GCM', false, ['encrypt']));
await name('gcmBadTag', () => s.decrypt({ name: 'AES-GCM', iv }, gcm, new Uint8Array(40)));
await name('spkiNotAKey', () => s.importKey('spki', new Uint8Array([1, 2, 3]), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']));
await name('jwkWrongCurve', () => s.importKey('jwk', out.es256 && (out.es256 as { publicJwk: JsonWebKey }).publicJwk, { name: 'ECDSA', namedCurve: 'P-384' }, false, ['verify']));
await name('pbkdf2NoLength', () => s.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(8), iterations: 1 }, pw, null as unknown as number));
await name('pbkdf2Extractable', () => s.importKey('raw', enc.encode('pw'), 'PBKDF2', true, ['deriveBits']));
await name('badFormat', () => s.importKey('der' as KeyFormat, new Uint8Array(4), 'AES-GCM', false, ['encrypt']));
await name('publicKeyWithSignUsage', () => s.importKey('jwk', (out.eddsa as { publicJwk: JsonWebKey }).publicJwk, 'Ed25519', false, ['sign']));
await name('cbcShortIv', () => s.encrypt({ name: 'AES-CBC', iv: new Uint8Array(8) }, cbc, new Uint8Array(8)));
out.errors = errors;

console.log(JSON.stringify(out, null, 2));
