// kind: http
// follows: https://docs.val.town/reference/environment-variables/ (a password kept in an environment variable, set just before)
// env: ADMIN_PASSWORD=correct-horse-battery
// call: GET /admin
// status: 401
// expect-header: www-authenticate: Basic realm="admin"
// expect-body: Unauthorized
// call: GET /admin
// header: Authorization: Basic YWRtaW46dW5kZWZpbmVk
// status: 401
// expect-body: Unauthorized
// call: GET /admin
// header: Authorization: Basic YWRtaW46Y29ycmVjdC1ob3JzZS1iYXR0ZXJ5
// status: 200
// expect-body: Welcome, admin
// (the second call sends the password "undefined", which a val that cannot see the variable would accept)

export default function (req: Request) {
  const expected = `admin:${Deno.env.get("ADMIN_PASSWORD")}`;
  const given = atob(req.headers.get("authorization")?.replace(/^Basic /, "") ?? "");
  if (!Deno.env.get("ADMIN_PASSWORD") || given !== expected) {
    return new Response("Unauthorized", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="admin"' } });
  }
  return new Response("Welcome, admin");
}
