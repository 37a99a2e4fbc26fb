package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP vals end to end: a real runtime, a real database, a real HTTP client. */
class HttpValTest {
    static TestPlatform platform;
    static String token;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("http_vals");
        token = platform.adminToken;
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void a_saved_version_is_loaded_before_the_save_answers_and_its_top_level_logs_go_to_its_first_run() {
        long id = Long.parseLong(platform.createVal(token, "preloaded", "console.log('loading'); export default () => new Response('ready')").getString("id"));
        assertEquals(1, platform.valence.runner().idleContexts(id), "a context with the module loaded waits for the first request");
        assertEquals("ready", platform.get("/v/admin/preloaded").body());
        var first = platform.get("/api/v1/vals/admin/preloaded/runs", token).json().getJsonArray("data").getJsonObject(0);
        assertEquals("[log] loading", first.getString("logs"), "the top-level log of the load at save time");

        assertEquals(200, platform.put("/api/v1/vals/admin/preloaded", token, "{\"code\": \"export default () => new Response('v2')\"}").status());
        assertEquals(1, platform.valence.runner().idleContexts(id), "the new version is loaded too");
        assertEquals("v2", platform.get("/v/admin/preloaded").body());

        assertEquals(200, platform.put("/api/v1/vals/admin/preloaded", token, "{\"code\": \"throw new Error('top'); export default () => new Response('never')\"}").status());
        assertEquals(0, platform.valence.runner().idleContexts(id), "a module that throws is not kept");
        var failed = platform.get("/v/admin/preloaded");
        assertEquals(500, failed.status());
        assertTrue(failed.body().contains("Error: top"), failed.body());
    }

    @Test
    void a_val_answers_json() {
        platform.createVal(token, "json", "export default () => Response.json({ hello: 'world', n: 42 })");
        var reply = platform.get("/v/admin/json");
        assertEquals(200, reply.status());
        assertEquals("application/json", reply.header("content-type"));
        assertEquals(new JsonObject().put("hello", "world").put("n", 42), reply.json());
    }

    @Test
    void a_val_answers_html_with_its_own_content_type() {
        platform.createVal(token, "html", """
                export default function (req) {
                  return new Response('<h1>Hi</h1>', { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
                }""");
        var reply = platform.get("/v/admin/html");
        assertEquals(200, reply.status());
        assertEquals("text/html; charset=utf-8", reply.header("content-type"));
        assertEquals("<h1>Hi</h1>", reply.body());
    }

    @Test
    void a_string_body_defaults_to_plain_text() {
        platform.createVal(token, "plain", "export default () => new Response('just text')");
        var reply = platform.get("/v/admin/plain");
        assertEquals("text/plain;charset=UTF-8", reply.header("content-type"));
        assertEquals("just text", reply.body());
    }

    @Test
    void the_val_sees_request_headers_case_insensitively_and_combined() {
        platform.createVal(token, "echo-headers", """
                export default (req) => Response.json({
                  agent: req.headers.get('X-Custom'),
                  missing: req.headers.get('x-missing'),
                  has: req.headers.has('X-CUSTOM'),
                  prefix: req.headers.get('x-forwarded-prefix'),
                })""");
        var reply = platform.send("GET", "/v/admin/echo-headers", null, null, Map.of("X-Custom", "abc"));
        assertEquals(new JsonObject().put("agent", "abc").putNull("missing").put("has", true)
                .put("prefix", "/v/admin/echo-headers"), reply.json());
    }

    @Test
    void the_val_sets_response_headers_including_repeated_set_cookie() {
        platform.createVal(token, "set-headers", """
                export default () => {
                  const h = new Headers();
                  h.append('Set-Cookie', 'a=1');
                  h.append('Set-Cookie', 'b=2');
                  h.set('X-Answer', '42');
                  return new Response('ok', { headers: h });
                }""");
        var reply = platform.get("/v/admin/set-headers");
        assertEquals("42", reply.header("x-answer"));
        assertEquals(java.util.List.of("a=1", "b=2"), reply.headers().allValues("set-cookie"));
    }

    @Test
    void the_rest_of_the_path_and_the_query_reach_the_val_unchanged() {
        platform.createVal(token, "paths", """
                export default (req) => {
                  const u = new URL(req.url);
                  return Response.json({ path: u.pathname, q: u.searchParams.get('q'), all: u.searchParams.getAll('t'), search: u.search });
                }""");
        var reply = platform.get("/v/admin/paths/a/b%20c?q=hello%20world&t=1&t=2");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject().put("path", "/a/b%20c").put("q", "hello world")
                .put("all", new io.vertx.core.json.JsonArray().add("1").add("2")).put("search", "?q=hello%20world&t=1&t=2"), reply.json());
        assertEquals("/", platform.get("/v/admin/paths").json().getString("path"));
    }

    @Test
    void a_json_body_is_parsed_by_the_val() {
        platform.createVal(token, "sum", """
                export default async (req) => {
                  const { a, b } = await req.json();
                  return Response.json({ sum: a + b, method: req.method });
                }""");
        var reply = platform.post("/v/admin/sum", null, "{\"a\": 2, \"b\": 40}");
        assertEquals(new JsonObject().put("sum", 42).put("method", "POST"), reply.json());
    }

    @Test
    void redirects_carry_status_and_location() {
        platform.createVal(token, "go", "export default () => Response.redirect('https://example.com/there', 307)");
        var reply = platform.get("/v/admin/go");
        assertEquals(307, reply.status());
        assertEquals("https://example.com/there", reply.header("location"));
    }

    @Test
    void custom_status_codes_and_status_text_pass_through() {
        platform.createVal(token, "teapot", "export default () => new Response('short and stout', { status: 418, statusText: 'I am a teapot' })");
        var reply = platform.get("/v/admin/teapot");
        assertEquals(418, reply.status());
        assertEquals("short and stout", reply.body());
        platform.createVal(token, "nothing", "export default () => new Response(null, { status: 204 })");
        var empty = platform.get("/v/admin/nothing");
        assertEquals(204, empty.status());
        assertEquals("", empty.body());
    }

    @Test
    void binary_bodies_round_trip_byte_for_byte() {
        platform.createVal(token, "bytes", """
                export default async (req) => {
                  const input = new Uint8Array(await req.arrayBuffer());
                  const out = new Uint8Array(input.length);
                  for (let i = 0; i < input.length; i++) out[i] = input[input.length - 1 - i];
                  return new Response(out, { headers: { 'content-type': 'application/octet-stream' } });
                }""");
        byte[] sent = new byte[256 * 1024];
        for (int i = 0; i < sent.length; i++) sent[i] = (byte) (i * 31 + (i >> 8));
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/bytes"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build();
        var reply = platform.send(request);
        assertEquals(200, reply.status());
        byte[] expected = new byte[sent.length];
        for (int i = 0; i < sent.length; i++) expected[i] = sent[sent.length - 1 - i];
        assertArrayEquals(expected, reply.bytes());
    }

    @Test
    void async_handlers_awaiting_promises_and_timers_answer() {
        platform.createVal(token, "later", """
                const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
                export default {
                  async fetch(req) {
                    await Promise.resolve();
                    await wait(20);
                    const text = await new Promise((resolve) => queueMicrotask(() => resolve('done')));
                    return new Response(text);
                  },
                };""");
        var reply = platform.get("/v/admin/later");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("done", reply.body());
    }

    @Test
    void text_encoding_and_crypto_work_in_vals() {
        platform.createVal(token, "enc", """
                export default () => {
                  const bytes = new TextEncoder().encode('héllo €😀');
                  const back = new TextDecoder().decode(bytes);
                  const id = crypto.randomUUID();
                  return Response.json({ len: bytes.length, back, uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id) });
                }""");
        var reply = platform.get("/v/admin/enc");
        assertEquals(new JsonObject().put("len", 14).put("back", "héllo €😀").put("uuid", true), reply.json());
    }

    @Test
    void a_val_that_throws_answers_500_naming_the_val_the_error_and_its_line() {
        platform.createVal(token, "thrower", """
                export default (req) => {
                  const x = null;
                  return x.boom;
                }""");
        var reply = platform.get("/v/admin/thrower");
        assertEquals(500, reply.status());
        var error = reply.json().getJsonObject("error");
        assertEquals("val_error", error.getString("code"));
        assertEquals("admin/thrower", error.getString("val"));
        assertEquals("TypeError: Cannot read property 'boom' of null", error.getString("message"));
        assertEquals(3, error.getInteger("line"));

        var html = platform.send("GET", "/v/admin/thrower", null, null, Map.of("Accept", "text/html"));
        assertEquals(500, html.status());
        assertTrue(html.header("content-type").startsWith("text/html"));
        assertTrue(html.body().contains("admin/thrower") && html.body().contains("line 3"), html.body());

        var runs = platform.get("/api/v1/vals/admin/thrower/runs", token).json().getJsonArray("data");
        var run = runs.getJsonObject(0);
        assertEquals("error", run.getString("outcome"));
        assertEquals(500, run.getInteger("status"));
        assertTrue(run.getString("error").startsWith("TypeError: Cannot read property 'boom' of null"), run.getString("error"));
        assertTrue(run.getString("error").contains("admin/thrower@1.mjs:3"), run.getString("error"));
    }

    @Test
    void a_rejected_promise_is_reported_like_a_throw() {
        platform.createVal(token, "rejects", """
                export default async () => {
                  await null;
                  throw new RangeError('out of range');
                }""");
        var error = platform.get("/v/admin/rejects").json().getJsonObject("error");
        assertEquals("RangeError: out of range", error.getString("message"));
        assertEquals(3, error.getInteger("line"));
    }

    @Test
    void a_handler_returning_something_else_than_a_response_is_a_clear_error() {
        platform.createVal(token, "wrong-return", "export default () => ({ not: 'a response' })");
        var reply = platform.get("/v/admin/wrong-return");
        assertEquals(500, reply.status());
        assertEquals("TypeError: The handler must return a Response (or a Promise of one), but it returned Object",
                reply.json().getJsonObject("error").getString("message"));
    }

    @Test
    void console_output_is_captured_in_the_run() {
        platform.createVal(token, "logger", """
                export default (req) => {
                  console.log('hello', { a: 1 }, [1, 2]);
                  console.error('bad', new Error('nope').message);
                  return new Response('ok');
                }""");
        assertEquals(200, platform.get("/v/admin/logger").status());
        var run = platform.get("/api/v1/vals/admin/logger/runs", token).json().getJsonArray("data").getJsonObject(0);
        assertEquals("success", run.getString("outcome"));
        assertEquals("[log] hello { a: 1 } [ 1, 2 ]\n[error] bad nope", run.getString("logs"));
        assertEquals(1, run.getInteger("version"));
        assertEquals("http", run.getString("trigger"));
    }

    @Test
    void an_unknown_val_is_404() {
        var reply = platform.get("/v/admin/does-not-exist");
        assertEquals(404, reply.status());
        assertEquals("not_found", reply.json().getJsonObject("error").getString("code"));
        assertEquals(404, platform.get("/v/nobody/x").status());
        assertEquals(404, platform.get("/v/Bad%20Name/x").status());
    }

    @Test
    void unknown_routes_are_json_404() {
        var reply = platform.get("/nowhere");
        assertEquals(404, reply.status());
        assertEquals("not_found", reply.json().getJsonObject("error").getString("code"));
    }

    @Test
    void a_body_over_the_limit_is_refused_with_413() {
        try (var small = TestPlatform.start("small_bodies", Map.of("MAX_BODY_BYTES", "2048"))) {
            small.createVal(small.adminToken, "echo", "export default async (req) => new Response(await req.text())");
            assertEquals(200, small.post("/v/admin/echo", null, "x".repeat(2000)).status());
            var reply = small.post("/v/admin/echo", null, "x".repeat(5000));
            assertEquals(413, reply.status());
            assertEquals("payload_too_large", reply.json().getJsonObject("error").getString("code"));
        }
    }

    @Test
    void a_private_val_needs_its_owners_token() {
        var val = new JsonObject().put("name", "secret").put("privacy", "private").put("code", "export default () => new Response('for admin only')");
        platform.createVal(token, val);
        var anonymous = platform.get("/v/admin/secret");
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized", anonymous.json().getJsonObject("error").getString("code"));

        var wrong = platform.get("/v/admin/secret", "vl_not-a-real-token");
        assertEquals(401, wrong.status());

        String bob = platform.createUser("bob-private");
        var other = platform.get("/v/admin/secret", bob);
        assertEquals(403, other.status());
        assertEquals("forbidden", other.json().getJsonObject("error").getString("code"));

        var owner = platform.get("/v/admin/secret", token);
        assertEquals(200, owner.status());
        assertEquals("for admin only", owner.body());
    }

    @Test
    void public_and_unlisted_vals_are_open_to_everyone() {
        platform.createVal(token, new JsonObject().put("name", "listed-not").put("privacy", "unlisted").put("code", "export default () => new Response('u')"));
        assertEquals("u", platform.get("/v/admin/listed-not").body());
    }

    @Test
    void another_users_val_runs_with_its_own_code() {
        String carol = platform.createUser("carol");
        platform.createVal(carol, "hello", "export default () => new Response('carol says hi')");
        platform.createVal(token, "hello", "export default () => new Response('admin says hi')");
        assertEquals("carol says hi", platform.get("/v/carol/hello").body());
        assertEquals("admin says hi", platform.get("/v/admin/hello").body());
    }

    @Test
    void a_new_version_is_served_right_after_it_is_saved() {
        platform.createVal(token, "versioned", "export default () => new Response('v1')");
        assertEquals("v1", platform.get("/v/admin/versioned").body());
        var saved = platform.put("/api/v1/vals/admin/versioned", token, new JsonObject().put("code", "export default () => new Response('v2')").encode());
        assertEquals(200, saved.status());
        assertEquals("v2", platform.get("/v/admin/versioned").body());
    }

    @Test
    void module_state_persists_between_requests_of_one_version() {
        platform.createVal(token, "counter", "let n = 0; export default () => new Response(String(++n))");
        // one client after another: the pool hands the same warm context back each time
        assertEquals("1", platform.get("/v/admin/counter").body());
        assertEquals("2", platform.get("/v/admin/counter").body());
        assertEquals("3", platform.get("/v/admin/counter").body());
        platform.put("/api/v1/vals/admin/counter", token, new JsonObject().put("code", "let n = 100; export default () => new Response(String(++n))").encode());
        assertEquals("101", platform.get("/v/admin/counter").body(), "a new version starts from fresh module state");
    }

    @Test
    void guest_code_cannot_reach_java_or_the_host() {
        platform.createVal(token, "escape", """
                export default () => Response.json({
                  java: typeof Java, polyglot: typeof Polyglot, load: typeof load, print: typeof print,
                  quit: typeof quit, graal: typeof Graal, packages: typeof Packages,
                })""");
        var expected = new JsonObject().put("java", "undefined").put("polyglot", "undefined").put("load", "undefined")
                .put("print", "undefined").put("quit", "undefined").put("graal", "undefined").put("packages", "undefined");
        assertEquals(expected, platform.get("/v/admin/escape").json());
    }
}
