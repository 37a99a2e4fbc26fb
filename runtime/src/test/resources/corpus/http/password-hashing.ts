// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/SubtleCrypto/deriveKey#pbkdf2 (storing password hashes with PBKDF2)
// call: GET /vector
// status: 200
// expect-body: 55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783
// call: POST /check
// body: correct horse battery staple
// status: 200
// expect-body: {"ok":true,"hash":"08b3837c4bab9035d48eff99f3624556e49fbb736cd70f099772f0f741346bb0"}
// call: POST /check
// body: Tr0ub4dor&3
// status: 403
// expect-body: {"ok":false}
// (/vector is RFC 7914 section 11's PBKDF2-HMAC-SHA256 test vector: "passwd", "salt", 1 iteration, 64 bytes.)

const enc = new TextEncoder();
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

async function pbkdf2(password: string, salt: string, iterations: number, bytes: number): Promise<string> {
  const material = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
  return hex(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode(salt), iterations }, material, bytes * 8));
}

const STORED = "08b3837c4bab9035d48eff99f3624556e49fbb736cd70f099772f0f741346bb0";

export default async function (req: Request) {
  if (new URL(req.url).pathname === "/vector") return new Response(await pbkdf2("passwd", "salt", 1, 64));
  const hash = await pbkdf2(await req.text(), "corpus-salt", 100_000, 32);
  return hash === STORED ? Response.json({ ok: true, hash }) : Response.json({ ok: false }, { status: 403 });
}
