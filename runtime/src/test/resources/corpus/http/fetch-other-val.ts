// kind: http
// follows: https://docs.val.town/vals/http/ (one val calling another val's HTTP endpoint with fetch)
// uses: quote-api.ts
// env: QUOTES_URL={base}/v/corpus/quote-api
// deno: skip: calls another val's URL on the Valence runtime under test
// call: GET /?id=1
// status: 200
// expect-body: {"from":"quote-api","status":200,"quote":"Premature optimization is the root of all evil."}
// call: GET /?id=7
// status: 502
// expect-body: {"from":"quote-api","status":404,"error":"no such quote"}

export default async function (req: Request) {
  const id = new URL(req.url).searchParams.get("id");
  const res = await fetch(`${Deno.env.get("QUOTES_URL")}/quotes/${id}`, { headers: { accept: "application/json" } });
  const data = await res.json();
  if (!res.ok) return Response.json({ from: "quote-api", status: res.status, error: data.error }, { status: 502 });
  return Response.json({ from: "quote-api", status: res.status, quote: data.quote });
}
