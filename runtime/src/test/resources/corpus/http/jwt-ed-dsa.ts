// kind: http
// follows: https://datatracker.ietf.org/doc/html/rfc8037 (EdDSA JWTs with Ed25519 keys from JWK; Ed25519 signatures are deterministic)
// call: GET /
// status: 200
// expect-body: {"token":"eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.OxLB2WLZbjkNMYZg13JbFLIfylwepFdCtR-pHSccK54k1tohEcIvI4fUqguLe-HLOKyFAW0vCYnOsBJfLCh3BQ","valid":true,"rawPublicKeyBytes":32}

const JWK = {"crv":"Ed25519","d":"6yBLJbNtKhmaNKP1FYqNwfptmxtUNakMGL3hhpr4jFM","x":"QLq50b5h07UuiXgR6bPHEfKzmoAeI6pLMslOouRzJZo","kty":"OKP"};

const enc = new TextEncoder();
const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export default async function () {
  const privateKey = await crypto.subtle.importKey("jwk", JWK, { name: "Ed25519" }, false, ["sign"]);
  const publicKey = await crypto.subtle.importKey("jwk", { kty: JWK.kty, crv: JWK.crv, x: JWK.x }, "Ed25519", true, ["verify"]);
  const input = b64url(enc.encode(JSON.stringify({ alg: "EdDSA", typ: "JWT" }))) + "." +
    b64url(enc.encode(JSON.stringify({ sub: "ann", admin: true, iat: 1733450000 })));
  const signature = await crypto.subtle.sign("Ed25519", privateKey, enc.encode(input));
  return Response.json({
    token: input + "." + b64url(signature),
    valid: await crypto.subtle.verify("Ed25519", publicKey, signature, enc.encode(input)),
    rawPublicKeyBytes: (await crypto.subtle.exportKey("raw", publicKey)).byteLength,
  });
}
