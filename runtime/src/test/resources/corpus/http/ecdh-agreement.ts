// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/SubtleCrypto/deriveBits#ecdh (agreeing on a shared secret with ECDH P-256)
// call: GET /
// status: 200
// expect-body: {"recordedShared":"93498565cb723992ff1d058002e179ddacdb46b077689b0fa0cb0839a3b1e808","generatedAgree":true,"sharedBytes":32}

const ALICE = {"kty":"EC","x":"Rppnzwd7SCb9VQaFYlEmqErEmvHJyPW1W6LwcA1fnzE","y":"bB_qojTZ9fsJ1Iu5vo4jvytZ-_tD7M6CVfbEjTeH6nA","crv":"P-256","d":"97pIErMJTaIC3BBuUF1g5a0FAte0NEiOxi20LDWlEU8"};
const BOB_PUBLIC = {"kty":"EC","x":"3394DoAe_CZKT711s8PMxTfShQSXpYm1quExlj3sGOo","y":"3UF9skKajS0lLNjmQrKFVBqmISdVCSeKrixYbi8cvgY","crv":"P-256"};

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const ecdh = { name: "ECDH", namedCurve: "P-256" };

export default async function () {
  const alice = await crypto.subtle.importKey("jwk", ALICE, ecdh, false, ["deriveBits"]);
  const bob = await crypto.subtle.importKey("jwk", BOB_PUBLIC, ecdh, false, []);
  const recorded = await crypto.subtle.deriveBits({ name: "ECDH", public: bob }, alice, 256);

  const a = await crypto.subtle.generateKey(ecdh, true, ["deriveBits"]) as CryptoKeyPair;
  const b = await crypto.subtle.generateKey(ecdh, true, ["deriveBits"]) as CryptoKeyPair;
  const ab = await crypto.subtle.deriveBits({ name: "ECDH", public: b.publicKey }, a.privateKey, 256);
  const ba = await crypto.subtle.deriveBits({ name: "ECDH", public: a.publicKey }, b.privateKey, 256);
  return Response.json({ recordedShared: hex(recorded), generatedAgree: hex(ab) === hex(ba), sharedBytes: ab.byteLength });
}
