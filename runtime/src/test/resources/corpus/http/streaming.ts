// kind: http
// follows: https://docs.val.town/vals/http/ (a streamed response body)
// call: GET /
// status: 200
// expect-header: content-type: text/plain; charset=utf-8
// expect-body: tick 1
// expect-body: tick 2
// expect-body: tick 3
// expect-body: done

export default function () {
  const encoder = new TextEncoder();
  let n = 0;
  const body = new ReadableStream({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, 5));
      n++;
      if (n <= 3) controller.enqueue(encoder.encode(`tick ${n}\n`));
      else {
        controller.enqueue(encoder.encode("done"));
        controller.close();
      }
    },
  });
  return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
}
