package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web APIs vals use, against the behaviour the standards (Fetch, Streams, HTML, Encoding, WebCrypto)
 * specify: a real runtime, real HTTP clients, and a real upstream server that fetch may reach because
 * the test configuration allows the host name {@code localhost} (while 127.0.0.1 itself stays refused).
 */
class WebApiTest {
    static final int MAX_RESPONSE = 100_000;
    /** Generous: the fetch tests make many requests, and a loaded machine runs cold guest code slowly. */
    static final long TIMEOUT_MS = 10_000;
    static TestPlatform platform;
    static String token;
    static Vertx upstreamVertx;
    static HttpServer upstream;
    static HttpServer otherOrigin;
    static int port;

    @BeforeAll
    static void start() {
        upstreamVertx = Vertx.vertx();
        upstream = upstreamVertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/hello" -> req.response().putHeader("content-type", "text/plain").putHeader("x-up", "1")
                        .putHeader("set-cookie", (Iterable<String>) java.util.List.of("a=1", "b=2")).setStatusMessage("Fine").end("hello from upstream");
                case "/echo" -> req.body().onSuccess(body -> {
                    var headers = new JsonObject();
                    req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    req.response().putHeader("content-type", "application/json").end(new JsonObject()
                            .put("method", req.method().name()).put("headers", headers).put("body", body.toString(StandardCharsets.ISO_8859_1))
                            .encode());
                });
                case "/redirect" -> req.response().setStatusCode(302).putHeader("location", "/hello").end();
                case "/see-other" -> req.response().setStatusCode(303).putHeader("location", "/echo").end();
                case "/loop" -> req.response().setStatusCode(307).putHeader("location", "/loop").end();
                case "/to-loopback" -> req.response().setStatusCode(302).putHeader("location", "http://127.0.0.1:" + port + "/hello").end();
                case "/to-other-origin" -> req.response().setStatusCode(307)
                        .putHeader("location", "http://localhost:" + otherOrigin.actualPort() + "/echo").end();
                case "/slow" -> upstreamVertx.setTimer(3000, t -> req.response().end("late"));
                case "/big" -> req.response().end("x".repeat(70_000));
                case "/chunks" -> {
                    req.response().setChunked(true).write("one,");
                    upstreamVertx.setTimer(100, t -> req.response().end("two"));
                }
                default -> req.response().setStatusCode(404).end("no " + req.path());
            }
        }).listen(0, "127.0.0.1").await();
        port = upstream.actualPort();
        // the same handler on another port: another origin
        otherOrigin = upstreamVertx.createHttpServer().requestHandler(upstream.requestHandler()).listen(0, "127.0.0.1").await();
        platform = TestPlatform.start("web_apis", Map.of(
                "VAL_FETCH_ALLOW", "localhost",
                "VAL_FETCH_MAX_BYTES", "65536",
                "VAL_MAX_RESPONSE_BYTES", Integer.toString(MAX_RESPONSE),
                "VAL_TIMEOUT_MS", Long.toString(TIMEOUT_MS)));
        token = platform.adminToken;
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
        upstreamVertx.close().await();
    }

    /** Creates a val answering JSON, calls it and returns the JSON (asserting a 200). */
    private static JsonObject call(String name, String code) {
        platform.createVal(token, name, code.replace("UPSTREAM", "http://localhost:" + port));
        var reply = platform.get("/v/admin/" + name);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    /** The val's latest run; runs are recorded off the request path, so this waits (up to 10 s) for the first one. */
    private static JsonObject lastRun(String name) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            var runs = platform.get("/api/v1/vals/admin/" + name + "/runs", token).json().getJsonArray("data");
            if (!runs.isEmpty() || System.nanoTime() > deadline) return runs.getJsonObject(0);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------ fetch

    @Test
    void fetch_reads_status_headers_and_body_from_an_allowed_host() {
        var got = call("fetch-hello", """
                export default async () => {
                  const res = await fetch('UPSTREAM/hello');
                  return Response.json({
                    status: res.status, statusText: res.statusText, ok: res.ok, type: res.type, url: res.url,
                    redirected: res.redirected, up: res.headers.get('X-Up'), cookies: res.headers.getSetCookie(),
                    bodyIsStream: res.body instanceof ReadableStream, text: await res.text(), used: res.bodyUsed,
                  });
                }""");
        assertEquals(new JsonObject().put("status", 200).put("statusText", "Fine").put("ok", true).put("type", "basic")
                .put("url", "http://localhost:" + port + "/hello").put("redirected", false).put("up", "1")
                .put("cookies", new JsonArray().add("a=1").add("b=2")).put("bodyIsStream", true)
                .put("text", "hello from upstream").put("used", true), got);
    }

    @Test
    void fetch_sends_every_kind_of_body_with_its_content_type() {
        var got = call("fetch-bodies", """
                export default async () => {
                  const echo = async (body, init = {}) => {
                    const r = await (await fetch('UPSTREAM/echo', { method: 'POST', body, ...init })).json();
                    return [r.headers['content-type'] ?? null, r.body];
                  };
                  const form = new FormData();
                  form.append('a', '1');
                  return Response.json({
                    text: await echo('plain'),
                    params: await echo(new URLSearchParams({ q: 'a b', n: '1' })),
                    bytes: await echo(new Uint8Array([104, 105])),
                    blob: await echo(new Blob(['blob!'], { type: 'text/x-blob' })),
                    stream: await echo(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('str')); c.enqueue(new TextEncoder().encode('eam')); c.close(); } }), { duplex: 'half' }),
                    multipart: (await echo(form))[1].includes('Content-Disposition: form-data; name="a"\\r\\n\\r\\n1\\r\\n'),
                    request: await (await fetch(new Request('UPSTREAM/echo', { method: 'PUT', body: 'from a Request', headers: { 'X-Mine': 'yes' } }))).json().then(r => [r.method, r.body, r.headers['x-mine'], r.headers['user-agent'], r.headers.accept]),
                  });
                }""");
        assertEquals(new JsonArray().add("text/plain;charset=UTF-8").add("plain"), got.getJsonArray("text"));
        assertEquals(new JsonArray().add("application/x-www-form-urlencoded;charset=UTF-8").add("q=a+b&n=1"), got.getJsonArray("params"));
        assertEquals(new JsonArray().addNull().add("hi"), got.getJsonArray("bytes"));
        assertEquals(new JsonArray().add("text/x-blob").add("blob!"), got.getJsonArray("blob"));
        assertEquals(new JsonArray().addNull().add("stream"), got.getJsonArray("stream"));
        assertEquals(true, got.getBoolean("multipart"));
        assertEquals(new JsonArray().add("PUT").add("from a Request").add("yes").add("Valence").add("*/*"), got.getJsonArray("request"));
    }

    @Test
    void a_redirect_to_another_origin_drops_the_credentials_and_a_same_origin_one_keeps_them() {
        var got = call("fetch-credentials", """
                export default async () => {
                  const headers = { authorization: 'Bearer secret', cookie: 'session=1', 'x-keep': 'yes' };
                  const other = await (await fetch('UPSTREAM/to-other-origin', { headers })).json();
                  const same = await (await fetch('UPSTREAM/see-other', { headers })).json();
                  return Response.json({ other: other.headers, same: same.headers });
                }""");
        var other = got.getJsonObject("other");
        assertEquals("yes", other.getString("x-keep"));
        assertFalse(other.containsKey("authorization"), other.encode());
        assertFalse(other.containsKey("cookie"), other.encode());
        var same = got.getJsonObject("same");
        assertEquals("Bearer secret", same.getString("authorization"));
        assertEquals("session=1", same.getString("cookie"));
    }

    @Test
    void an_invocation_has_at_most_64_fetches_in_flight() {
        var got = call("fetch-flood", """
                export default async () => {
                  const started = [];
                  for (let i = 0; i < 65; i++) started.push(fetch('UPSTREAM/slow').then(() => 'answered', e => e.name + ': ' + e.message));
                  return Response.json({ last: await started[64] });
                }""");
        assertEquals("TypeError: fetch refused: this invocation already has 64 fetches in flight; await some before starting more",
                got.getString("last"));
    }

    @Test
    void many_short_answers_in_a_row_are_all_seen_to_their_end() {
        // A redirect and a short body each end in the packet that brings their head: the fetch's
        // handlers must be in place by then (they once were set from another thread, and now and
        // then a response ended unseen and the val hung until its time limit).
        var got = call("fetch-many", """
                export default async () => {
                  let done = 0;
                  for (let i = 0; i < 100; i++) {
                    const r = await fetch('UPSTREAM/redirect');
                    if ((await r.text()) === 'hello from upstream') done++;
                  }
                  return Response.json({ done });
                }""");
        assertEquals(100, got.getInteger("done"));
    }

    @Test
    void fetch_follows_redirects_by_hand_and_honours_the_redirect_mode() {
        var got = call("fetch-redirects", """
                export default async () => {
                  const followed = await fetch('UPSTREAM/redirect');
                  const seeOther = await (await fetch('UPSTREAM/see-other', { method: 'POST', body: 'x' })).json();
                  const manual = await fetch('UPSTREAM/redirect', { redirect: 'manual' });
                  const error = await fetch('UPSTREAM/redirect', { redirect: 'error' }).catch(e => e.name + ': ' + e.message);
                  const loop = await fetch('UPSTREAM/loop').catch(e => e.name + ': ' + e.message);
                  return Response.json({
                    followed: [followed.status, followed.redirected, followed.url, await followed.text()],
                    seeOther: seeOther.method,
                    manual: [manual.status, manual.headers.get('location')],
                    error, loop,
                  });
                }""");
        String base = "http://localhost:" + port;
        assertEquals(new JsonArray().add(200).add(true).add(base + "/hello").add("hello from upstream"), got.getJsonArray("followed"));
        assertEquals("GET", got.getString("seeOther"));
        assertEquals(new JsonArray().add(302).add("/hello"), got.getJsonArray("manual"));
        assertEquals("TypeError: fetch to " + base + "/redirect was redirected (302) and the request's redirect mode is 'error'", got.getString("error"));
        assertEquals("TypeError: fetch to " + base + "/loop failed: more than 20 redirects", got.getString("loop"));
    }

    @Test
    void fetch_refuses_loopback_private_and_metadata_addresses_also_after_a_redirect() {
        var got = call("fetch-refused", """
                export default async () => {
                  const attempt = (url) => fetch(url).then(r => 'fetched ' + r.status, e => e.name + ': ' + e.message);
                  return Response.json({
                    loopback: await attempt('http://127.0.0.1:PORT/hello'),
                    private: await attempt('http://10.0.0.1/'),
                    metadata: await attempt('http://169.254.169.254/latest/meta-data/'),
                    v6: await attempt('http://[::1]:PORT/hello'),
                    cgnat: await attempt('http://100.64.0.1/'),
                    uniqueLocal: await attempt('http://[fd00:ec2::254]/'),
                    redirect: await attempt('UPSTREAM/to-loopback'),
                    scheme: await attempt('file:///etc/passwd'),
                  });
                }""".replace("PORT", Integer.toString(port)));
        assertEquals("TypeError: fetch to http://127.0.0.1:" + port + "/hello refused: 127.0.0.1 is a loopback address; allow it with VAL_FETCH_ALLOW",
                got.getString("loopback"));
        assertEquals("TypeError: fetch to http://10.0.0.1/ refused: 10.0.0.1 is a private address; allow it with VAL_FETCH_ALLOW", got.getString("private"));
        assertEquals("TypeError: fetch to http://169.254.169.254/latest/meta-data/ refused: 169.254.169.254 is a cloud metadata address; allow it with VAL_FETCH_ALLOW",
                got.getString("metadata"));
        assertEquals("TypeError: fetch to http://[::1]:" + port + "/hello refused: 0:0:0:0:0:0:0:1 is a loopback address; allow it with VAL_FETCH_ALLOW",
                got.getString("v6"));
        assertEquals("TypeError: fetch to http://100.64.0.1/ refused: 100.64.0.1 is a private address; allow it with VAL_FETCH_ALLOW", got.getString("cgnat"));
        assertEquals("TypeError: fetch to http://[fd00:ec2::254]/ refused: fd00:ec2:0:0:0:0:0:254 is a cloud metadata address; allow it with VAL_FETCH_ALLOW",
                got.getString("uniqueLocal"));
        assertEquals("TypeError: fetch to http://127.0.0.1:" + port + "/hello refused: 127.0.0.1 is a loopback address; allow it with VAL_FETCH_ALLOW",
                got.getString("redirect"));
        assertEquals("TypeError: fetch: the scheme 'file:' is not supported; only http: and https: URLs can be fetched", got.getString("scheme"));
    }

    @Test
    void fetch_is_aborted_by_a_signal_and_capped_in_size() {
        var got = call("fetch-abort", """
                export default async () => {
                  const controller = new AbortController();
                  setTimeout(() => controller.abort(), 100);
                  const started = Date.now();
                  const aborted = await fetch('UPSTREAM/slow', { signal: controller.signal }).catch(e => [e.name, e.message, e instanceof DOMException]);
                  const tookMs = Date.now() - started;
                  const timedOut = await fetch('UPSTREAM/slow', { signal: AbortSignal.timeout(100) }).catch(e => [e.name, e.message]);
                  const already = await fetch('UPSTREAM/hello', { signal: AbortSignal.abort('why not') }).catch(e => e);
                  const big = await fetch('UPSTREAM/big').then(r => r.text()).catch(e => e.name + ': ' + e.message);
                  const chunks = [];
                  for await (const chunk of (await fetch('UPSTREAM/chunks')).body) chunks.push(new TextDecoder().decode(chunk));
                  return Response.json({ aborted, quick: tookMs < 1500, timedOut, already, big, chunks });
                }""");
        assertEquals(new JsonArray().add("AbortError").add("This operation was aborted").add(true), got.getJsonArray("aborted"));
        assertEquals(true, got.getBoolean("quick"));
        assertEquals(new JsonArray().add("TimeoutError").add("The signal timed out."), got.getJsonArray("timedOut"));
        assertEquals("why not", got.getString("already"));
        assertEquals("TypeError: fetch: the response body of http://localhost:" + port + "/big is larger than 65536 bytes (the limit)", got.getString("big"));
        assertEquals(new JsonArray().add("one,").add("two"), got.getJsonArray("chunks"));
    }

    // ------------------------------------------------------------------ Request, Response, Headers

    @Test
    void responses_follow_the_fetch_standard() {
        var got = call("responses", """
                export default async () => {
                  const r = new Response('abc', { status: 201, statusText: 'Made', headers: { 'X-A': '1' } });
                  const c = r.clone();
                  const t1 = await r.text();
                  let again; try { await r.text(); } catch (e) { again = e.name; }
                  const streamed = new Response(new ReadableStream({ start(ctl) { ctl.enqueue(new Uint8Array([1, 2])); ctl.enqueue(new Uint8Array([3])); ctl.close(); } }));
                  const tee = streamed.clone();
                  const err = Response.error();
                  const redirect = Response.redirect('https://example.com/x', 301);
                  let badRedirect; try { Response.redirect('https://example.com/', 200); } catch (e) { badRedirect = e.name; }
                  let badStatus; try { new Response('', { status: 99 }); } catch (e) { badStatus = e.name; }
                  let nullBody; try { new Response('x', { status: 204 }); } catch (e) { nullBody = e.name; }
                  const json = Response.json({ a: 1 }, { status: 202 });
                  const blob = await new Response('blobbed', { headers: { 'content-type': 'text/x-b' } }).blob();
                  const buffer = await new Response(new Uint8Array([7, 8])).arrayBuffer();
                  const bytes = await new Response('hé').bytes();
                  const form = await new Response(new URLSearchParams('a=1&b=2&a=3')).formData();
                  const fd = new FormData(); fd.append('name', 'val'); fd.append('file', new Blob(['content'], { type: 'text/plain' }), 'f.txt');
                  const parsed = await new Response(fd).formData();
                  const file = parsed.get('file');
                  let immutable; try { err.headers.set('x', '1'); } catch (e) { immutable = e.name; }
                  return Response.json({
                    t1, cloneText: await c.text(), status: [c.status, c.statusText, c.headers.get('x-a')], again, used: r.bodyUsed,
                    streamed: Array.from(await streamed.bytes()), tee: Array.from(await tee.bytes()),
                    error: [err.type, err.status, err.ok, err.body], redirect: [redirect.status, redirect.headers.get('location')],
                    badRedirect, badStatus, nullBody, immutable,
                    json: [json.status, json.headers.get('content-type'), await json.json()],
                    blob: [blob.size, blob.type, await blob.text(), blob instanceof Blob],
                    buffer: [buffer instanceof ArrayBuffer, buffer.byteLength], bytes: Array.from(bytes),
                    form: form.getAll('a').concat(form.get('b')),
                    parsed: [parsed.get('name'), file instanceof File, file.name, file.type, await file.text()],
                    bodyOfEmpty: new Response(null).body, bodyType: Object.prototype.toString.call(new Response('x').body),
                  });
                }""");
        assertEquals(new JsonObject()
                .put("t1", "abc").put("cloneText", "abc").put("status", new JsonArray().add(201).add("Made").add("1"))
                .put("again", "TypeError").put("used", true)
                .put("streamed", new JsonArray().add(1).add(2).add(3)).put("tee", new JsonArray().add(1).add(2).add(3))
                .put("error", new JsonArray().add("error").add(0).add(false).addNull())
                .put("redirect", new JsonArray().add(301).add("https://example.com/x"))
                .put("badRedirect", "RangeError").put("badStatus", "RangeError").put("nullBody", "TypeError").put("immutable", "TypeError")
                .put("json", new JsonArray().add(202).add("application/json").add(new JsonObject().put("a", 1)))
                .put("blob", new JsonArray().add(7).add("text/x-b").add("blobbed").add(true))
                .put("buffer", new JsonArray().add(true).add(2)).put("bytes", new JsonArray().add(104).add(195).add(169))
                .put("form", new JsonArray().add("1").add("3").add("2"))
                .put("parsed", new JsonArray().add("val").add(true).add("f.txt").add("text/plain").add("content"))
                .putNull("bodyOfEmpty").put("bodyType", "[object ReadableStream]"), got);
    }

    @Test
    void requests_follow_the_fetch_standard() {
        var got = call("requests", """
                export default async (incoming) => {
                  const r = new Request('https://example.com/a?b=1', { method: 'post', body: 'payload', headers: [['X-One', '1'], ['x-one', '2']] });
                  const c = r.clone();
                  let getBody; try { new Request('https://example.com/', { body: 'x' }); } catch (e) { getBody = e.name; }
                  let relative; try { new Request('/relative'); } catch (e) { relative = e.name; }
                  const source = r.clone();
                  const copy = new Request(source, { headers: { 'x-two': '2' } });
                  return Response.json({
                    method: r.method, url: r.url, one: r.headers.get('x-one'), type: r.headers.get('content-type'),
                    text: await r.text(), used: [r.bodyUsed, source.bodyUsed, copy.bodyUsed], cloned: await c.text(), copied: [copy.method, copy.headers.get('x-two'), await copy.text()],
                    getBody, relative, signal: [r.signal instanceof AbortSignal, r.signal.aborted, incoming.signal.aborted],
                    defaults: [r.redirect, r.cache, r.credentials, r.mode],
                    incoming: [incoming.method, incoming.bodyUsed, incoming.body === null],
                  });
                }""");
        assertEquals(new JsonObject().put("method", "POST").put("url", "https://example.com/a?b=1").put("one", "1, 2")
                .put("type", "text/plain;charset=UTF-8").put("text", "payload").put("used", new JsonArray().add(true).add(true).add(false))
                .put("cloned", "payload").put("copied", new JsonArray().add("POST").add("2").add("payload"))
                .put("getBody", "TypeError").put("relative", "TypeError")
                .put("signal", new JsonArray().add(true).add(false).add(false))
                .put("defaults", new JsonArray().add("follow").add("default").add("same-origin").add("cors"))
                .put("incoming", new JsonArray().add("GET").add(false).add(true)), got);
    }

    @Test
    void an_incoming_multipart_form_and_body_stream_reach_the_val() {
        platform.createVal(token, "form-in", """
                export default async (req) => {
                  if (req.headers.get('x-mode') === 'stream') {
                    let n = 0;
                    for await (const chunk of req.body) n += chunk.byteLength;
                    return Response.json({ n, used: req.bodyUsed });
                  }
                  const form = await req.formData();
                  const file = form.get('upload');
                  return Response.json({ field: form.get('field'), file: [file.name, file.type, await file.text()] });
                }""");
        String boundary = "XyZ";
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue é\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile\r\nbody\r\n--XyZ--\r\n";
        var reply = platform.send("POST", "/v/admin/form-in", null, body, Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
        assertEquals(new JsonObject().put("field", "value é").put("file", new JsonArray().add("a.txt").add("text/plain").add("file\r\nbody")), reply.json());
        var streamed = platform.send("POST", "/v/admin/form-in", null, "0123456789", Map.of("X-Mode", "stream"));
        assertEquals(new JsonObject().put("n", 10).put("used", true), streamed.json());
    }

    @Test
    void headers_combine_values_keep_set_cookie_apart_and_iterate_sorted() {
        var got = call("headers", """
                export default () => {
                  const h = new Headers({ 'B': '2', 'a': '1' });
                  h.append('Accept', 'text/html');
                  h.append('accept', 'application/json');
                  h.append('Set-Cookie', 'x=1');
                  h.append('set-cookie', 'y=2');
                  h.set('C', '  padded  ');
                  let bad; try { h.append('bad name', 'v'); } catch (e) { bad = e.name; }
                  const seen = [];
                  h.forEach((v, k) => seen.push(k + '=' + v));
                  h.delete('b');
                  return Response.json({
                    entries: [...new Headers(h)], accept: h.get('ACCEPT'), cookie: h.get('set-cookie'), cookies: h.getSetCookie(),
                    c: h.get('c'), missing: h.get('nope'), has: h.has('A'), bad, seen, keys: [...h.keys()],
                  });
                }""");
        assertEquals(new JsonObject()
                .put("entries", new JsonArray().add(new JsonArray().add("a").add("1")).add(new JsonArray().add("accept").add("text/html, application/json"))
                        .add(new JsonArray().add("c").add("padded")).add(new JsonArray().add("set-cookie").add("x=1")).add(new JsonArray().add("set-cookie").add("y=2")))
                .put("accept", "text/html, application/json").put("cookie", "x=1, y=2").put("cookies", new JsonArray().add("x=1").add("y=2"))
                .put("c", "padded").putNull("missing").put("has", true).put("bad", "TypeError")
                .put("seen", new JsonArray().add("a=1").add("accept=text/html, application/json").add("b=2").add("c=padded").add("set-cookie=x=1").add("set-cookie=y=2"))
                .put("keys", new JsonArray().add("a").add("accept").add("c").add("set-cookie").add("set-cookie")), got);
    }

    // ------------------------------------------------------------------ Blob, FormData, AbortController, structuredClone

    @Test
    void blobs_files_and_form_data_behave_as_specified() {
        var got = call("blobs", """
                export default async () => {
                  const b = new Blob(['ab', new Uint8Array([99]), new Blob(['d'])], { type: 'Text/Plain' });
                  const f = new File(['x'], 'x.txt', { type: 'text/plain', lastModified: 42 });
                  const fd = new FormData();
                  fd.append('k', 'v1'); fd.append('k', 'v2'); fd.set('s', 'one'); fd.append('blob', new Blob(['z']));
                  const chunks = [];
                  for await (const c of b.stream()) chunks.push(...c);
                  return Response.json({
                    blob: [b.size, b.type, await b.text(), await b.slice(1, -1).text(), await b.slice(-2).text()],
                    file: [f.name, f.lastModified, f.size, f instanceof Blob],
                    form: [fd.getAll('k'), fd.get('s'), fd.has('k'), fd.get('blob').name, [...fd.keys()]],
                    stream: chunks,
                  });
                }""");
        assertEquals(new JsonObject()
                .put("blob", new JsonArray().add(4).add("text/plain").add("abcd").add("bc").add("cd"))
                .put("file", new JsonArray().add("x.txt").add(42).add(1).add(true))
                .put("form", new JsonArray().add(new JsonArray().add("v1").add("v2")).add("one").add(true).add("blob")
                        .add(new JsonArray().add("k").add("k").add("s").add("blob")))
                .put("stream", new JsonArray().add(97).add(98).add(99).add(100)), got);
    }

    @Test
    void abort_controllers_signal_with_reasons_and_events() {
        var got = call("aborts", """
                export default async () => {
                  const c = new AbortController();
                  const seen = [];
                  c.signal.addEventListener('abort', (e) => seen.push('listener:' + e.type + ':' + (e.target === c.signal)));
                  c.signal.onabort = () => seen.push('onabort');
                  c.signal.addEventListener('abort', () => seen.push('once'), { once: true });
                  c.abort('my reason');
                  c.abort('second');
                  let thrown; try { c.signal.throwIfAborted(); } catch (e) { thrown = e; }
                  const d = new AbortController(); d.abort();
                  const timeout = AbortSignal.timeout(50);
                  await new Promise(r => timeout.addEventListener('abort', r));
                  const any = AbortSignal.any([new AbortController().signal, AbortSignal.abort('first')]);
                  let illegal; try { new AbortSignal(); } catch (e) { illegal = e.name; }
                  const t = new EventTarget(); let count = 0; const l = () => count++;
                  t.addEventListener('x', l); t.addEventListener('x', l); t.dispatchEvent(new Event('x')); t.removeEventListener('x', l); t.dispatchEvent(new Event('x'));
                  return Response.json({
                    seen, aborted: c.signal.aborted, reason: c.signal.reason, thrown,
                    defaultReason: [d.signal.reason.name, d.signal.reason.message, d.signal.reason.code],
                    timeout: [timeout.aborted, timeout.reason.name], any: any.reason, illegal, count,
                  });
                }""");
        // onabort was set between the two listeners, so it runs between them (HTML's event handler
        // attributes keep their place; Deno 2.9 prints the same order)
        assertEquals(new JsonObject()
                .put("seen", new JsonArray().add("listener:abort:true").add("onabort").add("once"))
                .put("aborted", true).put("reason", "my reason").put("thrown", "my reason")
                .put("defaultReason", new JsonArray().add("AbortError").add("This operation was aborted").add(20))
                .put("timeout", new JsonArray().add(true).add("TimeoutError")).put("any", "first").put("illegal", "TypeError").put("count", 1), got);
    }

    @Test
    void structured_clone_copies_deeply_and_refuses_functions() {
        var got = call("clone", """
                export default () => {
                  const shared = new Uint8Array([1, 2, 3]);
                  const original = { d: new Date(5), m: new Map([[1, { x: 1 }]]), s: new Set(['a']), r: /ab+c/gi, a: [shared, new Uint8Array(shared.buffer, 1, 2)], n: new Number(3), big: 10n, e: new RangeError('bad') };
                  original.self = original;
                  const copy = structuredClone(original);
                  let fn; try { structuredClone({ f() {} }); } catch (e) { fn = [e.name, e instanceof DOMException, e.code]; }
                  let sym; try { structuredClone(Symbol('s')); } catch (e) { sym = e.name; }
                  copy.a[0][1] = 9;
                  return Response.json({
                    cycle: copy.self === copy, notSame: copy !== original, date: copy.d instanceof Date && copy.d.getTime(),
                    map: copy.m.get(1).x, mapCopied: copy.m.get(1) !== original.m.get(1), set: copy.s.has('a'),
                    regexp: [copy.r.source, copy.r.flags], sharing: copy.a[1][0], originalUntouched: shared[1],
                    number: typeof copy.n === 'object' && copy.n.valueOf(), big: String(copy.big), error: [copy.e instanceof RangeError, copy.e.message],
                    fn, sym,
                  });
                }""");
        assertEquals(new JsonObject().put("cycle", true).put("notSame", true).put("date", 5).put("map", 1).put("mapCopied", true)
                .put("set", true).put("regexp", new JsonArray().add("ab+c").add("gi")).put("sharing", 9).put("originalUntouched", 2)
                .put("number", 3).put("big", "10").put("error", new JsonArray().add(true).add("bad"))
                .put("fn", new JsonArray().add("DataCloneError").add(true).add(25)).put("sym", "DataCloneError"), got);
    }

    // ------------------------------------------------------------------ crypto, encoding

    @Test
    void digests_base64_and_text_coding_match_their_standards() {
        var got = call("codecs", """
                const hex = (b) => Array.from(new Uint8Array(b), x => x.toString(16).padStart(2, '0')).join('');
                export default async () => {
                  const abc = new TextEncoder().encode('abc');
                  const d = new TextDecoder();
                  const euro = new TextEncoder().encode('€!');
                  const parts = d.decode(euro.subarray(0, 1), { stream: true }) + d.decode(euro.subarray(1, 2), { stream: true }) + d.decode(euro.subarray(2), { stream: true }) + d.decode();
                  let badAlg; try { await crypto.subtle.digest('MD5', abc); } catch (e) { badAlg = e.name; }
                  let badB64; try { atob('a'); } catch (e) { badB64 = e.name; }
                  let wide; try { btoa('€'); } catch (e) { wide = e.name; }
                  const piped = [];
                  const s = new Blob(['héllo']).stream().pipeThrough(new TextDecoderStream());
                  for await (const t of s) piped.push(t);
                  return Response.json({
                    sha1: hex(await crypto.subtle.digest('SHA-1', abc)),
                    sha256: hex(await crypto.subtle.digest({ name: 'sha-256' }, abc)),
                    sha384: hex(await crypto.subtle.digest('SHA-384', abc.buffer)).slice(0, 16),
                    sha512: hex(await crypto.subtle.digest('SHA-512', abc)).slice(0, 16),
                    badAlg, b64: [btoa('hello'), atob('aGVsbG8='), atob(' aGVs bG8 '), btoa('\\u00ff')], badB64, wide,
                    parts, fatal: (() => { try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (e) { return e.name; } })(),
                    lossy: new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0x62])), piped: piped.join(''),
                    random: crypto.getRandomValues(new Uint8Array(8)).length,
                  });
                }""");
        assertEquals(new JsonObject().put("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d")
                .put("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                .put("sha384", "cb00753f45a35e8b").put("sha512", "ddaf35a193617aba")
                .put("badAlg", "NotSupportedError").put("b64", new JsonArray().add("aGVsbG8=").add("hello").add("hello").add("/w=="))
                .put("badB64", "InvalidCharacterError").put("wide", "InvalidCharacterError")
                .put("parts", "€!").put("fatal", "TypeError").put("lossy", "a\uFFFDb").put("piped", "héllo").put("random", 8), got);
    }

    // ------------------------------------------------------------------ the event loop

    @Test
    void microtasks_run_before_timers_and_timers_in_order() {
        var got = call("event-loop", """
                export default async () => {
                  const order = [];
                  setTimeout(() => { order.push('t2'); Promise.resolve().then(() => order.push('t2-micro')); }, 20);
                  setTimeout(() => { order.push('t1'); queueMicrotask(() => order.push('t1-micro')); }, 10);
                  setTimeout(() => order.push('t1b'), 10);
                  const cancelled = setTimeout(() => order.push('never'), 5);
                  clearTimeout(cancelled);
                  queueMicrotask(() => order.push('micro'));
                  order.push('sync');
                  let ticks = 0;
                  await new Promise(resolve => { const i = setInterval(() => { if (++ticks === 3) { clearInterval(i); resolve(); } }, 5); });
                  await new Promise(r => setTimeout(r, 40));
                  return Response.json({ order, ticks });
                }""");
        assertEquals(new JsonObject().put("order", new JsonArray().add("sync").add("micro").add("t1").add("t1-micro").add("t1b").add("t2").add("t2-micro"))
                .put("ticks", 3), got);
    }

    @Test
    void a_promise_nothing_can_settle_is_reported_but_a_pending_fetch_is_waited_for() {
        platform.createVal(token, "stuck", "export default () => new Promise(() => {})");
        var reply = platform.get("/v/admin/stuck");
        assertEquals(500, reply.status());
        assertEquals("the handler's promise never settled: it awaits something that will never happen",
                reply.json().getJsonObject("error").getString("message"));
        // no timer is pending while the fetch is in flight, yet the loop waits for it
        var got = call("waits-for-fetch", """
                export default () => new Promise(resolve => { fetch('UPSTREAM/hello').then(r => r.text()).then(t => resolve(Response.json({ t }))); })""");
        assertEquals("hello from upstream", got.getString("t"));
    }

    // ------------------------------------------------------------------ streaming responses and the size limit

    @Test
    void a_streamed_response_reaches_the_client_chunk_by_chunk() throws Exception {
        platform.createVal(token, "stream", """
                export default () => new Response(new ReadableStream({
                  async start(controller) {
                    const enc = new TextEncoder();
                    controller.enqueue(enc.encode('a'));
                    await new Promise(r => setTimeout(r, 1000));
                    controller.enqueue(enc.encode('b'));
                    controller.close();
                  },
                }), { headers: { 'content-type': 'text/plain', 'x-streamed': 'yes' } })""");
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/stream")).timeout(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = platform.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("yes", response.headers().firstValue("x-streamed").orElseThrow());
        assertEquals("chunked", response.headers().firstValue("transfer-encoding").orElseThrow());
        try (InputStream body = response.body()) {
            assertEquals('a', body.read());
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals('b', body.read());
            long secondMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(-1, body.read());
            // 'b' is produced 1 s after 'a': had 'a' waited for it, both would arrive together (margin for a loaded machine)
            assertTrue(secondMs - firstMs >= 500, "'a' at " + firstMs + " ms, 'b' at " + secondMs + " ms: the first chunk waited for the second");
        }
        var run = lastRun("stream");
        assertEquals("success", run.getString("outcome"));
        assertEquals(200, run.getInteger("status"));
    }

    @Test
    void a_client_that_goes_away_cancels_the_stream() throws Exception {
        platform.createVal(token, "endless", """
                export default () => {
                  let n = 0;
                  return new Response(new ReadableStream({
                    async pull(controller) {
                      await new Promise(r => setTimeout(r, 20));
                      controller.enqueue(new TextEncoder().encode('tick ' + (n++) + '\\n'));
                    },
                    cancel(reason) { console.log('cancelled after', n, 'ticks:', reason.message); },
                  }));
                }""");
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/endless")).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> response = platform.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(7);
            assertEquals("tick 0\n", new String(first, StandardCharsets.UTF_8));
        }
        JsonObject run = null;
        for (int i = 0; i < 100; i++) {
            Thread.sleep(50);
            var runs = platform.get("/api/v1/vals/admin/endless/runs", token).json().getJsonArray("data");
            if (!runs.isEmpty()) {
                run = runs.getJsonObject(0);
                break;
            }
        }
        assertTrue(run != null, "the run was never recorded: the stream was not cancelled");
        assertEquals("success", run.getString("outcome"));
        assertTrue(run.getString("logs").contains("cancelled after"), run.getString("logs"));
        assertTrue(run.getString("logs").contains("the client went away"), run.getString("logs"));
        assertTrue(run.getDouble("durationMs") < TIMEOUT_MS - 1000, run.encode());
    }

    @Test
    void a_buffered_response_over_the_limit_answers_500_val_limit() {
        platform.createVal(token, "too-big", "export default () => new Response('x'.repeat(" + (MAX_RESPONSE + 1) + "))");
        var reply = platform.get("/v/admin/too-big");
        assertEquals(500, reply.status());
        var error = reply.json().getJsonObject("error");
        assertEquals("val_limit", error.getString("code"));
        assertEquals("the val's response body is " + (MAX_RESPONSE + 1) + " bytes, more than the limit of " + MAX_RESPONSE
                + " bytes (VAL_MAX_RESPONSE_BYTES)", error.getString("message"));
        assertEquals("limit", lastRun("too-big").getString("outcome"));
        platform.createVal(token, "just-fits", "export default () => new Response('x'.repeat(" + MAX_RESPONSE + "))");
        assertEquals(MAX_RESPONSE, platform.get("/v/admin/just-fits").bytes().length);
    }

    @Test
    void a_streamed_response_over_the_limit_is_cut_and_recorded_as_limit() {
        platform.createVal(token, "stream-too-big", """
                export default () => new Response(new ReadableStream({
                  pull(controller) { controller.enqueue(new Uint8Array(30000).fill(120)); },
                }))""");
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/stream-too-big")).timeout(Duration.ofSeconds(10)).build();
        var failure = assertThrows(IOException.class, () -> platform.client().send(request, HttpResponse.BodyHandlers.ofByteArray()));
        assertTrue(failure.getMessage() != null, failure.toString());
        var run = lastRun("stream-too-big");
        assertEquals("limit", run.getString("outcome"));
        assertEquals(200, run.getInteger("status"));
        assertTrue(run.getString("error").startsWith("the val's streamed response passed the limit of " + MAX_RESPONSE
                + " bytes (VAL_MAX_RESPONSE_BYTES) and was cut off"), run.getString("error"));
    }

    @Test
    void a_stream_still_running_at_the_deadline_is_cut_and_recorded_as_timeout() throws Exception {
        platform.createVal(token, "stream-forever", """
                export default () => new Response(new ReadableStream({
                  start(controller) { controller.enqueue(new TextEncoder().encode('first')); setInterval(() => {}, 1000); },
                }))""");
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/stream-forever")).timeout(Duration.ofSeconds(30)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = platform.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertEquals("first", new String(body.readNBytes(5), StandardCharsets.UTF_8));
            assertThrows(IOException.class, () -> body.readAllBytes());
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= TIMEOUT_MS - 500 && tookMs < TIMEOUT_MS + 8000, "cut after " + tookMs + " ms");
        var run = lastRun("stream-forever");
        assertEquals("timeout", run.getString("outcome"));
    }

    @Test
    void a_stream_of_strings_is_an_error_that_says_to_encode_them() {
        platform.createVal(token, "stream-strings", """
                export default () => new Response(new ReadableStream({ start(c) { c.enqueue('text'); c.close(); } }))""");
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/stream-strings")).timeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> platform.client().send(request, HttpResponse.BodyHandlers.ofByteArray()));
        var run = lastRun("stream-strings");
        assertEquals("error", run.getString("outcome"));
        assertTrue(run.getString("error").startsWith("TypeError: The response body stream gave a string chunk; body chunks must be Uint8Array"),
                run.getString("error"));
    }

    @Test
    void responses_urls_and_bodies_keep_their_standard_behaviour_on_the_fast_paths() {
        var got = call("fast-paths", """
                export default async () => {
                  const plain = new Response('hi');
                  const headers = plain.headers;
                  headers.set('x-a', '1');
                  const json = Response.json({ a: 1 });
                  const jsonWithHeaders = Response.json({ a: 1 }, { headers: { 'X-B': '2' } });
                  const jsonTyped = Response.json({ a: 1 }, { headers: { 'content-type': 'application/vnd.x+json' } });
                  const cloned = new Response('c').clone();
                  const changed = new URL('http://example.com/a/b?x=1#f');
                  changed.pathname = '/changed';
                  changed.searchParams.append('y', '2');
                  const again = new URL('http://example.com/a/b?x=1#f');
                  const request = new Request('http://example.com/p', { method: 'POST', body: '{"k":[1]}' });
                  const parsed = await request.json();
                  const reread = await request.text().then(() => 'read twice', e => e.name + ': ' + e.message);
                  let badName;
                  try { plain.headers.get('bad name'); } catch (e) { badName = e.name; }
                  return Response.json({
                    plain: [...headers], same: plain.headers === headers, json: [...json.headers],
                    jsonWithHeaders: [...jsonWithHeaders.headers], jsonTyped: jsonTyped.headers.get('Content-Type'),
                    empty: [...new Response(null, { status: 204 }).headers], cloned: [cloned.headers.get('content-type'), await cloned.text()],
                    changed: changed.href, again: again.href, parsed, reread, badName,
                  });
                }""");
        assertEquals("[[\"content-type\",\"text/plain;charset=UTF-8\"],[\"x-a\",\"1\"]]", got.getJsonArray("plain").encode());
        assertEquals(true, got.getBoolean("same"));
        assertEquals("[[\"content-type\",\"application/json\"]]", got.getJsonArray("json").encode());
        assertEquals("[[\"content-type\",\"application/json\"],[\"x-b\",\"2\"]]", got.getJsonArray("jsonWithHeaders").encode());
        assertEquals("application/vnd.x+json", got.getString("jsonTyped"));
        assertEquals("[]", got.getJsonArray("empty").encode());
        assertEquals("[\"text/plain;charset=UTF-8\",\"c\"]", got.getJsonArray("cloned").encode());
        assertEquals("http://example.com/changed?x=1&y=2#f", got.getString("changed"));
        assertEquals("http://example.com/a/b?x=1#f", got.getString("again"));
        assertEquals("{\"k\":[1]}", got.getJsonObject("parsed").encode());
        assertEquals("TypeError: text(): the body has already been read", got.getString("reread"));
        assertEquals("TypeError", got.getString("badName"));
    }
}
