// kind: http
// follows: https://docs.val.town/vals/http/ (conditional GET with an ETag from crypto.subtle.digest)
// call: GET /
// status: 200
// expect-header: etag: "e974e41b0dcec7d3e3de37f183142465ca70b4d1e1c565d26dbf9395edb744fd"
// expect-header: cache-control: public, max-age=60
// expect-body: {"items":["apples","pears"]}
// call: GET /
// header: If-None-Match: "e974e41b0dcec7d3e3de37f183142465ca70b4d1e1c565d26dbf9395edb744fd"
// status: 304
// expect-body:

const body = JSON.stringify({ items: ["apples", "pears"] });
const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
const etag = `"${Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")}"`;

export default function (req: Request) {
  const headers = { ETag: etag, "Cache-Control": "public, max-age=60" };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers: { ...headers, "Content-Type": "application/json" } });
}
