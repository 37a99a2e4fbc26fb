// kind: http
// follows: https://datatracker.ietf.org/doc/html/rfc7519 (a JWT signed and checked with HMAC-SHA256, no library)
// env: JWT_SECRET=jwt-corpus-secret
// call: GET /token
// status: 200
// expect-body: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.3jVjNUmzeu5YHPMOhOEYbgXq9FfkwU5dXdkOJ16elww
// call: GET /me
// header: Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.3jVjNUmzeu5YHPMOhOEYbgXq9FfkwU5dXdkOJ16elww
// status: 200
// expect-body: {"sub":"ann","admin":true,"iat":1733450000}
// call: GET /me
// header: Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib2IiLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.3jVjNUmzeu5YHPMOhOEYbgXq9FfkwU5dXdkOJ16elww
// status: 401
// expect-body: {"error":"invalid token"}

const enc = new TextEncoder();
const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const key = await crypto.subtle.importKey("raw", enc.encode(Deno.env.get("JWT_SECRET")), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);

async function signJwt(claims: object): Promise<string> {
  const head = b64url(enc.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const body = b64url(enc.encode(JSON.stringify(claims)));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(`${head}.${body}`)));
  return `${head}.${body}.${b64url(sig)}`;
}

async function verifyJwt(token: string): Promise<unknown | null> {
  const [head, body, sig] = token.split(".");
  const ok = await crypto.subtle.verify("HMAC", key, fromB64url(sig), enc.encode(`${head}.${body}`));
  return ok ? JSON.parse(new TextDecoder().decode(fromB64url(body))) : null;
}

export default async function (req: Request) {
  const { pathname } = new URL(req.url);
  if (pathname === "/token") return new Response(await signJwt({ sub: "ann", admin: true, iat: 1733450000 }));
  const token = req.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
  const claims = await verifyJwt(token);
  return claims ? Response.json(claims) : Response.json({ error: "invalid token" }, { status: 401 });
}
