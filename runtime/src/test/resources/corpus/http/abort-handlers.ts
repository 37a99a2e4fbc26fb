// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/AbortSignal/abort_event (onabort keeps its place among listeners)
// call: GET /
// status: 200
// expect-body: {"order":["listener before","onabort","listener after"],"aborted":true,"reason":"AbortError: user left","timedOut":"TimeoutError","fetchAborted":"AbortError"}

export default async function () {
  const order: string[] = [];
  const controller = new AbortController();
  const { signal } = controller;
  signal.addEventListener("abort", () => order.push("listener before"));
  signal.onabort = () => order.push("onabort");
  signal.addEventListener("abort", () => order.push("listener after"));
  controller.abort(new DOMException("user left", "AbortError"));

  const timeout = AbortSignal.timeout(10);
  await new Promise((r) => timeout.addEventListener("abort", r, { once: true }));

  const early = new AbortController();
  early.abort();
  const fetchAborted = await fetch("https://example.com/", { signal: early.signal }).then(() => "no", (e) => e.name);

  return Response.json({
    order,
    aborted: signal.aborted,
    reason: `${signal.reason.name}: ${signal.reason.message}`,
    timedOut: timeout.reason.name,
    fetchAborted,
  });
}
