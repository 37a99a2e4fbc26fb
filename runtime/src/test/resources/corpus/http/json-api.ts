// kind: http
// follows: https://docs.val.town/vals/http/ (a small JSON API routed on the path)
// call: GET /users/2
// status: 200
// expect-header: content-type: application/json
// expect-body: {"id":2,"name":"Grace","langs":["COBOL"]}
// call: GET /users
// status: 200
// expect-body: [{"id":1,"name":"Ada"},{"id":2,"name":"Grace"}]
// call: GET /users/9
// status: 404
// expect-body: {"error":"no user 9"}
// call: DELETE /users/1
// status: 405
// expect-header: allow: GET
// expect-body: method not allowed

interface User {
  id: number;
  name: string;
  langs: string[];
}

const users: User[] = [
  { id: 1, name: "Ada", langs: ["Analytical Engine"] },
  { id: 2, name: "Grace", langs: ["COBOL"] },
];

export default async function (req: Request): Promise<Response> {
  if (req.method !== "GET") {
    return new Response("method not allowed", { status: 405, headers: { Allow: "GET" } });
  }
  const { pathname } = new URL(req.url);
  if (pathname === "/users") {
    return Response.json(users.map(({ id, name }) => ({ id, name })));
  }
  const match = pathname.match(/^\/users\/(\d+)$/);
  const user = match && users.find((u) => u.id === Number(match[1]));
  if (!user) {
    return Response.json({ error: `no user ${match?.[1]}` }, { status: 404 });
  }
  return Response.json(user);
}
