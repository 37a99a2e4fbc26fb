// Checks with Deno's crypto.subtle what val-made.js made with Valence's (see that file for how to run it).
const V = JSON.parse(await Deno.readTextFile(Deno.args[0] ?? 'val-made.json'));
const s = crypto.subtle, enc = new TextEncoder(), dec = new TextDecoder();
const u = (t) => Uint8Array.from(atob(t), c => c.charCodeAt(0));
const data = enc.encode('made in a val');
const r = {};
r.pss = await s.verify({ name: 'RSA-PSS', saltLength: 32 }, await s.importKey('spki', u(V.pss.spki), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']), u(V.pss.sig), data);
r.pssPkcs8 = !!(await s.importKey('pkcs8', u(V.pss.pkcs8), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']));
r.ec = await s.verify({ name: 'ECDSA', hash: 'SHA-384' }, await s.importKey('jwk', V.ec.jwk, { name: 'ECDSA', namedCurve: 'P-384' }, false, ['verify']), u(V.ec.sig), data);
const ecPriv = await s.importKey('pkcs8', u(V.ec.pkcs8), { name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign']);
r.ecPkcs8SameAsJwk = JSON.stringify(await s.exportKey('jwk', ecPriv)) === JSON.stringify(V.ec.privJwk);
r.ed = await s.verify('Ed25519', await s.importKey('raw', u(V.ed.raw), 'Ed25519', false, ['verify']), u(V.ed.sig), data);
const edPriv = await s.importKey('pkcs8', u(V.ed.pkcs8), 'Ed25519', false, ['sign']);
r.edDeterministic = btoa(String.fromCharCode(...new Uint8Array(await s.sign('Ed25519', edPriv, data)))) === V.ed.sig;
r.oaep = dec.decode(await s.decrypt({ name: 'RSA-OAEP', label: enc.encode('l') }, await s.importKey('jwk', V.oaep.privJwk, { name: 'RSA-OAEP', hash: 'SHA-384' }, false, ['decrypt']), u(V.oaep.ct)));
r.aes = dec.decode(await s.decrypt({ name: 'AES-GCM', iv: u(V.aes.iv), additionalData: data }, await s.importKey('jwk', V.aes.jwk, 'AES-GCM', false, ['decrypt']), u(V.aes.ct)));
const bits = await s.deriveBits({ name: 'ECDH', public: await s.importKey('spki', u(V.ecdh.bSpki), { name: 'ECDH', namedCurve: 'P-521' }, false, []) },
  await s.importKey('pkcs8', u(V.ecdh.aPkcs8), { name: 'ECDH', namedCurve: 'P-521' }, false, ['deriveBits']), 528);
r.ecdh = btoa(String.fromCharCode(...new Uint8Array(bits))) === V.ecdh.bits;
const xbits = await s.deriveBits({ name: 'X25519', public: await s.importKey('raw', u(V.x.bRaw), 'X25519', false, []) }, await s.importKey('jwk', V.x.aJwk, 'X25519', false, ['deriveBits']), 256);
r.x25519 = btoa(String.fromCharCode(...new Uint8Array(xbits))) === V.x.bits;
const unwrapped = await s.unwrapKey('raw', u(V.kw.wrapped), await s.importKey('raw', u(V.kw.raw), 'AES-KW', false, ['unwrapKey']), 'AES-KW', 'AES-GCM', true, ['decrypt']);
r.kw = JSON.stringify((await s.exportKey('jwk', unwrapped)).k) === JSON.stringify(V.aes.jwk.k);
console.log(JSON.stringify(r));
