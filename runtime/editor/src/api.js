// The API as the editor calls it: same origin, the session cookie (sent by the browser) and the
// session's CSRF token in a header, which the runtime requires for a cookie to count.
let csrfToken = null;

export function useCsrf(token) {
  csrfToken = token;
}

/** An answer other than 2xx: the API's sentence, its code and details (line, column for syntax errors). */
export class ApiFailure extends Error {
  constructor(status, error) {
    super(error?.message ?? `The server answered ${status}.`);
    this.status = status;
    this.code = error?.code ?? "http_" + status;
    this.details = error ?? {};
  }
}

export async function api(method, path, body, extraHeaders = {}) {
  const headers = { ...extraHeaders };
  if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw new ApiFailure(res.status, json?.error);
  return json;
}

export const enc = encodeURIComponent;

/**
 * Reads the server-sent events of a GET (the live log tail) with fetch, so the CSRF header goes with
 * it (EventSource cannot send headers). Calls onEvent(type, data) per event; stop() aborts.
 */
export function stream(path, onEvent, onEnd) {
  const abort = new AbortController();
  (async () => {
    try {
      const res = await fetch(path, { headers: { "X-CSRF-Token": csrfToken ?? "" }, credentials: "same-origin", signal: abort.signal });
      if (!res.ok) {
        const json = await res.json().catch(() => null);
        throw new ApiFailure(res.status, json?.error);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      onEvent("open", null);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let type = "message";
          const data = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) type = line.slice(7);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length) onEvent(type, JSON.parse(data.join("\n")));
        }
      }
      onEnd?.(null);
    } catch (e) {
      if (e.name !== "AbortError") onEnd?.(e);
    }
  })();
  return { stop: () => abort.abort() };
}
