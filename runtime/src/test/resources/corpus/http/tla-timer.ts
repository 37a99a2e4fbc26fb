// kind: http
// follows: https://docs.val.town/vals/http/ (module state set up after a top-level await)
// call: GET /
// status: 200
// expect-body: {"requestCount":1,"config":{"greeting":"hi"}}
// call: GET /
// status: 200
// expect-body: {"requestCount":2,"config":{"greeting":"hi"}}

const config = await new Promise<{ greeting: string }>((resolve) =>
  setTimeout(() => resolve({ greeting: "hi" }), 20)
);
let requestCount = 0;

export default function (req: Request) {
  requestCount++;
  return Response.json({ requestCount, config });
}
