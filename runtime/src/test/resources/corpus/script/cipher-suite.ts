// kind: script
// follows: https://developer.mozilla.org/docs/Web/API/SubtleCrypto/encrypt (AES-CBC, RSA-OAEP, RSA-PSS, AES-KW key wrapping)
// call: run {}
// outcome: success
// result: {"aesCbc":"7649abac8119b246cee98e9b12e9197d","cbcBack":true,"oaepBack":"launch codes","pssValid":true,"pssTampered":false,"wrappedBytes":24,"unwrappedRaw":"000102030405060708090a0b0c0d0e0f","jwkKty":"RSA"}
// (aesCbc is NIST SP 800-38A F.2.1, CBC-AES128.Encrypt, first block; the padding block is left out.)

const fromHex = (h: string) => new Uint8Array(h.match(/../g)!.map((b) => parseInt(b, 16)));
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const enc = new TextEncoder();

export default async function () {
  const aes = await crypto.subtle.importKey("raw", fromHex("2b7e151628aed2a6abf7158809cf4f3c"), "AES-CBC", false, ["encrypt", "decrypt"]);
  const iv = fromHex("000102030405060708090a0b0c0d0e0f");
  const block = fromHex("6bc1bee22e409f96e93d7e117393172a");
  const ct = await crypto.subtle.encrypt({ name: "AES-CBC", iv }, aes, block);
  const back = await crypto.subtle.decrypt({ name: "AES-CBC", iv }, aes, ct);

  const oaep = await crypto.subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["encrypt", "decrypt"],
  ) as CryptoKeyPair;
  const secret = await crypto.subtle.encrypt({ name: "RSA-OAEP" }, oaep.publicKey, enc.encode("launch codes"));
  const opened = new TextDecoder().decode(await crypto.subtle.decrypt({ name: "RSA-OAEP" }, oaep.privateKey, secret));

  const pss = await crypto.subtle.generateKey(
    { name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    false,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const sig = await crypto.subtle.sign({ name: "RSA-PSS", saltLength: 32 }, pss.privateKey, enc.encode("invoice 42"));
  const pssValid = await crypto.subtle.verify({ name: "RSA-PSS", saltLength: 32 }, pss.publicKey, sig, enc.encode("invoice 42"));
  const pssTampered = await crypto.subtle.verify({ name: "RSA-PSS", saltLength: 32 }, pss.publicKey, sig, enc.encode("invoice 43"));

  const kek = await crypto.subtle.generateKey({ name: "AES-KW", length: 256 }, false, ["wrapKey", "unwrapKey"]);
  const dataKey = await crypto.subtle.importKey("raw", iv, "AES-GCM", true, ["encrypt"]);
  const wrapped = await crypto.subtle.wrapKey("raw", dataKey, kek, "AES-KW");
  const unwrapped = await crypto.subtle.unwrapKey("raw", wrapped, kek, "AES-KW", "AES-GCM", true, ["encrypt"]);

  return {
    aesCbc: hex(ct).slice(0, 32),
    cbcBack: hex(back) === hex(block.buffer),
    oaepBack: opened,
    pssValid,
    pssTampered,
    wrappedBytes: wrapped.byteLength,
    unwrappedRaw: hex(await crypto.subtle.exportKey("raw", unwrapped)),
    jwkKty: (await crypto.subtle.exportKey("jwk", oaep.publicKey)).kty,
  };
}
