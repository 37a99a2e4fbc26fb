// kind: http
// follows: https://docs.val.town/reference/environment-variables/ (a feature flag flipped by changing an environment variable)
// env: CHECKOUT_FLAG=on
// deno: skip: changes environment variables between calls, which a running Deno process does not see
// call: GET /
// status: 200
// expect-body: checkout is on
// call: GET /
// env-set: CHECKOUT_FLAG=off
// status: 200
// expect-body: checkout is off
// call: GET /
// env-delete: CHECKOUT_FLAG
// status: 200
// expect-body: checkout flag is not set

export default function (req: Request) {
  const flag = Deno.env.get("CHECKOUT_FLAG");
  return new Response(flag === undefined ? "checkout flag is not set" : `checkout is ${flag}`);
}
