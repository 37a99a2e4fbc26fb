// kind: http
// follows: https://docs.deno.com/api/web/~/Navigator (navigator.userAgent as product/version, crypto.getRandomValues, crypto.randomUUID)
// call: GET /
// status: 200
// expect-body: {"userAgent":"<any>/<any>","randomBytes":16,"allZero":false,"uuid":true,"quota":"QuotaExceededError","typeMismatch":"TypeMismatchError"}

export default function () {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let quota = "none";
  try {
    crypto.getRandomValues(new Uint8Array(65537));
  } catch (e) {
    quota = (e as DOMException).name;
  }
  let typeMismatch = "none";
  try {
    crypto.getRandomValues(new Float64Array(2) as unknown as Uint8Array);
  } catch (e) {
    typeMismatch = (e as DOMException).name;
  }
  return Response.json({
    userAgent: navigator.userAgent,
    randomBytes: bytes.length,
    allZero: bytes.every((b) => b === 0),
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
    quota,
    typeMismatch,
  });
}
