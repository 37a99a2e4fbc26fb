// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/SubtleCrypto/deriveKey#hkdf (deriving per-purpose keys with HKDF)
// call: GET /
// status: 200
// expect-body: {"okm":"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865","derivedKey":{"algorithm":"AES-GCM","length":256,"usages":["encrypt"]}}
// (okm is RFC 5869 appendix A.1, test case 1, HKDF-SHA256.)

const fromHex = (h: string) => new Uint8Array(h.match(/../g)!.map((b) => parseInt(b, 16)));
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

export default async function () {
  const ikm = await crypto.subtle.importKey("raw", fromHex("0b".repeat(22)), "HKDF", false, ["deriveBits", "deriveKey"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: fromHex("000102030405060708090a0b0c"), info: fromHex("f0f1f2f3f4f5f6f7f8f9") };
  const okm = await crypto.subtle.deriveBits(params, ikm, 42 * 8);
  const key = await crypto.subtle.deriveKey(params, ikm, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
  const algorithm = key.algorithm as AesKeyAlgorithm;
  return Response.json({ okm: hex(okm), derivedKey: { algorithm: algorithm.name, length: algorithm.length, usages: key.usages } });
}
