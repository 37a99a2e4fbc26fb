// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/SubtleCrypto/encrypt#aes-gcm (an encrypted session cookie)
// env: SESSION_KEY=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=
// call: GET /me
// header: Cookie: session=AAECAwQFBgcICQoLY6OcA3h7-3NV04vywCW72LZtml9D0_TWWmAV75ff
// status: 200
// expect-body: hello ann
// call: GET /me
// header: Cookie: session=AAECAwQFBgcICQoLY6OcA3h7-3NV04vywCW72LZtml9D0_TWWmAV75fg
// status: 401
// expect-body: session cookie rejected
// call: POST /login?user=bob
// status: 200
// expect-header: set-cookie: session=<any>; HttpOnly; Path=/
// expect-body: {"cookieOpensAgainAs":"bob"}

const b64url = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const key = await crypto.subtle.importKey("raw", unb64url(Deno.env.get("SESSION_KEY")!), "AES-GCM", false, ["encrypt", "decrypt"]);

async function seal(session: object): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(session)));
  const out = new Uint8Array(12 + ct.byteLength);
  out.set(iv);
  out.set(new Uint8Array(ct), 12);
  return b64url(out);
}

async function open(cookie: string): Promise<{ user: string } | null> {
  const bytes = unb64url(cookie);
  try {
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, key, bytes.slice(12));
    return JSON.parse(new TextDecoder().decode(pt));
  } catch {
    return null; // wrong key or tampered: AES-GCM's tag does not verify
  }
}

export default async function (req: Request) {
  const url = new URL(req.url);
  if (req.method === "POST") {
    const cookie = await seal({ user: url.searchParams.get("user") });
    const again = await open(cookie);
    return Response.json({ cookieOpensAgainAs: again?.user }, { headers: { "Set-Cookie": `session=${cookie}; HttpOnly; Path=/` } });
  }
  const cookie = req.headers.get("cookie")?.match(/session=([^;]+)/)?.[1];
  const session = cookie ? await open(cookie) : null;
  return session ? new Response(`hello ${session.user}`) : new Response("session cookie rejected", { status: 401 });
}
