// kind: http
// follows: https://docs.val.town/vals/http/ (the `export default { fetch }` form Deno.serve also takes)
// call: POST /echo?x=1
// header: Content-Type: application/json
// body: {"hello":"world"}
// status: 201
// expect-header: content-type: application/json
// expect-body: {"method":"POST","path":"/echo","query":{"x":"1"},"json":{"hello":"world"}}

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    return Response.json(
      { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), json: await req.json() },
      { status: 201 },
    );
  },
};
