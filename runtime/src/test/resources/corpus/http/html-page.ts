// kind: http
// follows: https://docs.val.town/vals/http/ (returning HTML)
// call: GET /?name=Val%20Town
// status: 200
// expect-header: content-type: text/html; charset=utf-8
// expect-body: <!doctype html><html><head><title>Hello</title></head><body><h1>Hello, Val Town!</h1><p>2 + 2 = 4</p></body></html>
// call: GET /?name=%3Cscript%3E
// status: 200
// expect-body: <!doctype html><html><head><title>Hello</title></head><body><h1>Hello, &lt;script&gt;!</h1><p>2 + 2 = 4</p></body></html>

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export default function (req: Request) {
  const name = new URL(req.url).searchParams.get("name") ?? "world";
  const html = `<!doctype html><html><head><title>Hello</title></head><body><h1>Hello, ${escape(name)}!</h1><p>2 + 2 = ${2 + 2}</p></body></html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
