// kind: http
// follows: https://docs.deno.com/examples/http_server_routing/ (routing with URLPattern, as Deno recommends)
// call: GET /books/42
// status: 200
// expect-body: {"route":"book","id":"42"}
// call: GET /books/42/chapters/7
// status: 200
// expect-body: {"route":"chapter","id":"42","chapter":"7"}
// call: GET /files/a/b/c.txt
// status: 200
// expect-body: {"route":"file","path":"a/b/c","ext":"txt"}
// call: GET /nowhere
// status: 404
// expect-body: {"route":null,"tested":false}

const routes = [
  { name: "book", pattern: new URLPattern({ pathname: "/books/:id(\\d+)" }) },
  { name: "chapter", pattern: new URLPattern({ pathname: "/books/:id/chapters/:chapter" }) },
  { name: "file", pattern: new URLPattern({ pathname: "/files/:path*.:ext" }) },
];

export default function (req: Request) {
  for (const { name, pattern } of routes) {
    const match = pattern.exec(req.url);
    if (match) return Response.json({ route: name, ...match.pathname.groups });
  }
  return Response.json({ route: null, tested: routes[0].pattern.test(req.url) }, { status: 404 });
}
