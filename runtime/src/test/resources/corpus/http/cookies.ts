// kind: http
// follows: https://docs.val.town/vals/http/ (reading and setting cookies with Headers)
// call: GET /
// status: 200
// expect-header: set-cookie: visits=1; Path=/; HttpOnly; SameSite=Lax
// expect-body: first visit
// call: GET /
// header: Cookie: theme=dark; visits=4
// status: 200
// expect-header: set-cookie: visits=5; Path=/; HttpOnly; SameSite=Lax
// expect-body: visit 5 (theme dark)

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k) out[k] = decodeURIComponent(v.join("="));
  }
  return out;
}

export default function (req: Request) {
  const jar = cookies(req);
  const visits = Number(jar.visits ?? 0) + 1;
  const headers = new Headers();
  headers.append("Set-Cookie", `visits=${visits}; Path=/; HttpOnly; SameSite=Lax`);
  const text = visits === 1 ? "first visit" : `visit ${visits} (theme ${jar.theme ?? "light"})`;
  return new Response(text, { headers });
}
