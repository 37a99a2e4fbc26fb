// kind: http
// follows: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries (X-Hub-Signature-256)
// env: GITHUB_WEBHOOK_SECRET=gh-corpus-secret
// call: POST /
// header: X-GitHub-Event: issues
// header: X-Hub-Signature-256: sha256=4503e699c3260097b2084b17d0db73ba439288b451693cce1e964b2670fe17d4
// body: {"action":"opened","issue":{"number":7,"title":"Bug"}}
// status: 200
// expect-body: issues opened #7: Bug
// call: POST /
// header: X-GitHub-Event: issues
// header: X-Hub-Signature-256: sha256=0000e699c3260097b2084b17d0db73ba439288b451693cce1e964b2670fe17d4
// body: {"action":"opened","issue":{"number":7,"title":"Bug"}}
// status: 401
// expect-body: bad signature

async function sign(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: { name: "SHA-256" } }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, enc.encode(body));
  return "sha256=" + Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export default async function (req: Request) {
  const body = await req.text();
  const expected = await sign(Deno.env.get("GITHUB_WEBHOOK_SECRET") ?? "", body);
  if (!safeEqual(expected, req.headers.get("x-hub-signature-256") ?? "")) {
    return new Response("bad signature", { status: 401 });
  }
  const event = JSON.parse(body);
  return new Response(`${req.headers.get("x-github-event")} ${event.action} #${event.issue.number}: ${event.issue.title}`);
}
