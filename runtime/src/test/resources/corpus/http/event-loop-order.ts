// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/Window/queueMicrotask (microtasks before timers)
// call: GET /
// status: 200
// expect-body: ["sync 1","sync 2","microtask","promise","nested microtask","timeout 0","timeout 1"]

export default async function () {
  const order: string[] = [];
  setTimeout(() => order.push("timeout 0"), 0);
  setTimeout(() => order.push("timeout 1"), 1);
  queueMicrotask(() => {
    order.push("microtask");
    queueMicrotask(() => order.push("nested microtask"));
  });
  Promise.resolve().then(() => order.push("promise"));
  order.push("sync 1");
  order.push("sync 2");
  await new Promise((r) => setTimeout(r, 20));
  return Response.json(order);
}
