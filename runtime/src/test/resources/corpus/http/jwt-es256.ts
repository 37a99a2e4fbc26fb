// kind: http
// follows: https://datatracker.ietf.org/doc/html/rfc7518#section-3.4 (ES256: ECDSA P-256, raw r||s signatures, keys as JWK)
// call: GET /
// status: 200
// expect-body: {"signatureBytes":64,"ownTokenValid":true,"recordedTokenValid":true,"tamperedValid":false,"publicJwk":{"kty":"EC","crv":"P-256","hasD":false}}

const JWK = {"kty":"EC","x":"1ZLK7uGAClWCFhRdT3yMRs7pb1UfKnJx2sx-4x4Sw6w","y":"3Bu9Bo1aYmb8IltqnID7NtZDAom1ZN-QpXjOec_k5bI","crv":"P-256","d":"r74nvkNm1PkM0jqDqkSPEcZToPFN0d-tWf1mKrdbSOY"};
const RECORDED = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.HU6eBmh6oETDy8Juccxcsr6awdhUt6Ykxx_xMQ8_0ZFTFyrByoZzl44EltbJGOVdODY2wnxkDuS-uKpyAHs7kg";

const enc = new TextEncoder();
const b64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const ecdsa = { name: "ECDSA", namedCurve: "P-256" };
const privateKey = await crypto.subtle.importKey("jwk", JWK, ecdsa, false, ["sign"]);
const { d: _d, ...pub } = JWK;
const publicKey = await crypto.subtle.importKey("jwk", pub, ecdsa, true, ["verify"]);
const verify = (token: string) => {
  const [h, p, s] = token.split(".");
  return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, publicKey, fromB64url(s), enc.encode(h + "." + p));
};

export default async function () {
  const input = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9." + b64url(enc.encode(JSON.stringify({ sub: "ann" })).buffer);
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, enc.encode(input));
  const exported = await crypto.subtle.exportKey("jwk", publicKey);
  return Response.json({
    signatureBytes: sig.byteLength,
    ownTokenValid: await verify(input + "." + b64url(sig)),
    recordedTokenValid: await verify(RECORDED),
    tamperedValid: await verify(RECORDED.replace(".eyJzdWIiOiJhbm4i", ".eyJzdWIiOiJib2Ii")),
    publicJwk: { kty: exported.kty, crv: exported.crv, hasD: "d" in exported },
  });
}
