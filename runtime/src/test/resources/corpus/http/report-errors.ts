// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/Window/reportError (reporting an error without throwing)
// call: GET /
// status: 200
// expect-body: {"seen":[{"type":"error","message":"Uncaught Error: webhook payload was empty","errorMessage":"webhook payload was empty","isErrorEvent":true}],"continued":true}

export default function () {
  const seen: object[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault(); // handled: not an uncaught error
    seen.push({
      type: event.type,
      message: event.message,
      errorMessage: (event.error as Error).message,
      isErrorEvent: event instanceof ErrorEvent,
    });
  };
  globalThis.addEventListener("error", onError);
  reportError(new Error("webhook payload was empty"));
  globalThis.removeEventListener("error", onError);
  return Response.json({ seen, continued: true });
}
