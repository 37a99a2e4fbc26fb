// kind: http
// follows: https://docs.val.town/vals/http/ (redirects with Response.redirect and by hand)
// call: GET /old
// status: 301
// expect-header: location: https://example.com/new
// expect-body:
// call: GET /login
// status: 302
// expect-header: location: /dashboard?from=login
// call: GET /elsewhere
// status: 307
// expect-header: location: https://example.com/elsewhere

export default function (req: Request) {
  const { pathname } = new URL(req.url);
  if (pathname === "/old") return Response.redirect("https://example.com/new", 301);
  if (pathname === "/login") {
    return new Response(null, { status: 302, headers: { Location: "/dashboard?from=login" } });
  }
  return Response.redirect(new URL(pathname, "https://example.com"), 307);
}
