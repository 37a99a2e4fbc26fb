package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Script runs, inbound email, cron schedules at save, run listing and the live log tail, on a real runtime. */
class TriggersTest {
    static TestPlatform platform;
    static String admin;
    static String bob;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("triggers", Map.of("VAL_MAX_CONCURRENCY", "2", "LOG_STREAM_HEARTBEAT_MS", "200"));
        admin = platform.adminToken;
        bob = platform.createUser("bob");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static JsonObject val(String name, String type, String code) {
        return new JsonObject().put("name", name).put("type", type).put("code", code);
    }

    @Test
    void a_script_run_returns_the_result_logs_outcome_and_run_id_and_runs_top_level_code_each_time() {
        platform.createVal(admin, val("adder", "script", """
                let calls = 0;
                calls++;
                console.log('top level ran', calls);
                export default async function (a, b) {
                  await new Promise(r => setTimeout(r, 5));
                  console.log('adding', a, b);
                  return { sum: a + b, calls };
                }"""));
        for (int i = 0; i < 2; i++) {
            var reply = platform.post("/api/v1/vals/admin/adder/run", admin, "{\"args\": [2, 3]}");
            assertEquals(200, reply.status(), reply.body());
            var json = reply.json();
            assertEquals("success", json.getString("outcome"));
            assertEquals(new JsonObject().put("sum", 5).put("calls", 1), json.getJsonObject("result"), "a fresh context each run");
            assertEquals("[log] top level ran 1\n[log] adding 2 3", json.getString("logs"));
            assertEquals("script", json.getString("trigger"));
            assertEquals(1, json.getInteger("version"));
            assertNull(json.getValue("error"));
            assertTrue(json.getDouble("durationMs") > 0);
            String runId = json.getString("runId");
            var run = platform.get("/api/v1/vals/admin/adder/runs/" + runId, admin);
            assertEquals(200, run.status(), run.body());
            assertEquals(runId, run.json().getString("id"));
            assertEquals("script", run.json().getString("trigger"));
            assertEquals("success", run.json().getString("outcome"));
            assertEquals("[log] top level ran 1\n[log] adding 2 3", run.json().getString("logs"));
        }
    }

    @Test
    void a_script_without_a_default_export_runs_its_top_level_code_and_returns_null() {
        platform.createVal(admin, val("toplevel", "script", "console.log('hello from the top');"));
        var reply = platform.post("/api/v1/vals/admin/toplevel/run", admin, null);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("success", reply.json().getString("outcome"));
        assertNull(reply.json().getValue("result"));
        assertEquals("[log] hello from the top", reply.json().getString("logs"));
    }

    @Test
    void a_failing_script_reports_the_error_with_its_line() {
        platform.createVal(admin, val("thrower", "script", "export default () => {\n  throw new Error('nope');\n}"));
        var reply = platform.post("/api/v1/vals/admin/thrower/run", admin, "{}");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("error", reply.json().getString("outcome"));
        assertEquals("Error: nope", reply.json().getJsonObject("error").getString("message"));
        assertEquals(2, reply.json().getJsonObject("error").getInteger("line"));
        platform.createVal(admin, val("bigint", "script", "export default () => 10n"));
        var big = platform.post("/api/v1/vals/admin/bigint/run", admin, null).json();
        assertEquals("error", big.getString("outcome"));
        assertTrue(big.getJsonObject("error").getString("message").contains("cannot be serialised to JSON"), big.encode());
    }

    @Test
    void only_the_owner_runs_a_script_and_an_http_val_is_not_runnable() {
        platform.createVal(admin, val("mine", "script", "export default () => 1"));
        platform.createVal(admin, val("secret", "script", "export default () => 1").put("privacy", "private"));
        platform.createVal(admin, val("web", "http", "export default () => new Response('x')"));
        assertEquals(403, platform.post("/api/v1/vals/admin/mine/run", bob, null).status());
        assertEquals(404, platform.post("/api/v1/vals/admin/secret/run", bob, null).status());
        assertEquals(401, platform.post("/api/v1/vals/admin/mine/run", null, null).status());
        var notRunnable = platform.post("/api/v1/vals/admin/web/run", admin, null);
        assertEquals(409, notRunnable.status());
        assertEquals("not_runnable", notRunnable.json().getJsonObject("error").getString("code"));
        assertEquals(400, platform.post("/api/v1/vals/admin/mine/run", admin, "{\"args\": 3}").status());
        assertEquals(400, platform.post("/api/v1/vals/admin/mine/run", admin, "[1]").status());
        assertEquals(404, platform.post("/api/v1/vals/admin/nothing/run", admin, null).status());
    }

    @Test
    void a_repeated_idempotency_key_returns_the_first_run_instead_of_running_again() {
        platform.createVal(admin, val("once", "script", "export default (n) => { console.log('ran', n); return n }"));
        var headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "order-42");
        var first = platform.send("POST", "/api/v1/vals/admin/once/run", admin, "{\"args\": [1]}", headers);
        var second = platform.send("POST", "/api/v1/vals/admin/once/run", admin, "{\"args\": [2]}", headers);
        assertEquals(200, first.status(), first.body());
        assertEquals(200, second.status(), second.body());
        assertEquals(first.json().getString("runId"), second.json().getString("runId"));
        assertTrue(second.json().getBoolean("replayed"));
        assertEquals("[log] ran 1", second.json().getString("logs"));
        assertEquals(1, platform.get("/api/v1/vals/admin/once/runs", admin).json().getJsonArray("data").size(), "it ran once");
        var bad = platform.send("POST", "/api/v1/vals/admin/once/run", admin, null, Map.of("Idempotency-Key", "has space"));
        assertEquals(400, bad.status());
    }

    @Test
    void an_email_val_gets_the_parsed_message_and_bad_messages_are_refused() {
        platform.createVal(admin, val("inbox", "email", """
                export default async function (email) {
                  console.log(JSON.stringify(email));
                }"""));
        var message = new JsonObject().put("from", "ann@example.com").put("to", "inbox@valence.test").put("subject", "Hi")
                .put("text", "Hello").put("headers", new JsonObject().put("Message-ID", "<1@example.com>"));
        var reply = platform.post("/api/v1/email/admin/inbox", admin, message.encode());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("success", reply.json().getString("outcome"));
        assertEquals("email", reply.json().getString("trigger"));
        var seen = new JsonObject(reply.json().getString("logs").substring("[log] ".length()));
        assertEquals(new JsonObject().put("from", "ann@example.com").put("to", new JsonArray().add("inbox@valence.test"))
                .put("cc", new JsonArray()).put("bcc", new JsonArray()).put("subject", "Hi").put("text", "Hello").putNull("html")
                .put("headers", new JsonObject().put("Message-ID", "<1@example.com>")).put("attachments", new JsonArray()), seen);

        var missingFrom = platform.post("/api/v1/email/admin/inbox", admin, "{\"to\": \"x@y\"}");
        assertEquals(400, missingFrom.status());
        assertEquals("'from' is required: the sender's address as a string.", missingFrom.json().getJsonObject("error").getString("message"));
        var badTo = platform.post("/api/v1/email/admin/inbox", admin, "{\"from\": \"a@b\", \"to\": 7}");
        assertEquals("'to' must be an address or an array of addresses.", badTo.json().getJsonObject("error").getString("message"));
        var badHeader = platform.post("/api/v1/email/admin/inbox", admin, "{\"from\": \"a@b\", \"to\": \"c@d\", \"headers\": {\"X\": 1}}");
        assertEquals(400, badHeader.status());
        assertEquals(400, platform.post("/api/v1/email/admin/inbox", admin, "not json").status());
        // a message past the old 1 MiB JSON limit runs: EMAIL_MAX_BYTES (30 MiB) is the limit now (413 past it: EmailInboundTest)
        var large = platform.post("/api/v1/email/admin/inbox", admin,
                new JsonObject().put("from", "a@b").put("to", "c@d").put("text", "x".repeat(1024 * 1024)).encode());
        assertEquals(200, large.status(), large.body());
        assertEquals(403, platform.post("/api/v1/email/admin/inbox", bob, message.encode()).status());
    }

    @Test
    void cron_schedules_are_checked_when_saved() {
        for (String good : List.of("*/5 * * * *", "0 9 * * MON-FRI", "@hourly", "every 5m", "15m", "every 2 h", "1d")) {
            var reply = platform.post("/api/v1/vals", admin, val("cron-" + Math.abs(good.hashCode()), "cron", "export default () => {}")
                    .put("schedule", good).encode());
            assertEquals(201, reply.status(), good + ": " + reply.body());
            assertEquals(good, reply.json().getString("schedule"));
        }
        Map<String, String> bad = Map.of(
                "* * * *", "The cron expression '* * * *' has 4 fields; it needs 5 (minute hour day-of-month month day-of-week, in UTC), such as '*/5 * * * *'.",
                "every 30s", "The interval 'every 30s' is shorter than the minimum of 60 seconds.",
                "every fortnight", "The interval 'every fortnight' is not understood; write a number and one of the units s, m, h, d, such as 'every 5m' or '15m'.",
                "61 * * * *", "");
        for (var entry : bad.entrySet()) {
            var reply = platform.post("/api/v1/vals", admin, val("badcron", "cron", "export default () => {}").put("schedule", entry.getKey()).encode());
            assertEquals(400, reply.status(), entry.getKey());
            var error = reply.json().getJsonObject("error");
            assertEquals("invalid_schedule", error.getString("code"));
            if (!entry.getValue().isEmpty()) assertEquals(entry.getValue(), error.getString("message"));
            else assertTrue(error.getString("message").startsWith("The cron expression '61 * * * *' is not valid"), error.getString("message"));
        }
    }

    @Test
    void runs_are_listed_with_filters_and_cursor_pages() {
        platform.createVal(admin, val("mixed", "script", "export default (fail) => { if (fail) throw new Error('bad'); return 'ok' }"));
        for (int i = 0; i < 5; i++) platform.post("/api/v1/vals/admin/mixed/run", admin, "{\"args\": [" + (i % 2 == 0) + "]}");
        var all = platform.get("/api/v1/vals/admin/mixed/runs", admin).json().getJsonArray("data");
        assertEquals(5, all.size());
        var errors = platform.get("/api/v1/vals/admin/mixed/runs?outcome=error", admin).json().getJsonArray("data");
        assertEquals(3, errors.size());
        assertEquals(5, platform.get("/api/v1/vals/admin/mixed/runs?trigger=script", admin).json().getJsonArray("data").size());
        assertEquals(0, platform.get("/api/v1/vals/admin/mixed/runs?trigger=cron", admin).json().getJsonArray("data").size());
        assertEquals(0, platform.get("/api/v1/vals/admin/mixed/runs?since=2999-01-01T00:00:00Z", admin).json().getJsonArray("data").size());
        assertEquals(5, platform.get("/api/v1/vals/admin/mixed/runs?before=2999-01-01T00:00:00Z", admin).json().getJsonArray("data").size());

        var ids = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var page = platform.get("/api/v1/vals/admin/mixed/runs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin).json();
            page.getJsonArray("data").forEach(r -> ids.add(((JsonObject) r).getString("id")));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(all.stream().map(r -> ((JsonObject) r).getString("id")).toList(), ids);

        assertEquals(400, platform.get("/api/v1/vals/admin/mixed/runs?trigger=ftp", admin).status());
        assertEquals(400, platform.get("/api/v1/vals/admin/mixed/runs?outcome=great", admin).status());
        assertEquals(400, platform.get("/api/v1/vals/admin/mixed/runs?since=yesterday", admin).status());
        assertEquals(400, platform.get("/api/v1/vals/admin/mixed/runs?limit=1001", admin).status());
        assertEquals(400, platform.get("/api/v1/vals/admin/mixed/runs?cursor=zzz", admin).status());
        assertEquals(404, platform.get("/api/v1/vals/admin/mixed/runs/999999999", admin).status());
        assertEquals(403, platform.get("/api/v1/vals/admin/mixed/runs", bob).status());
    }

    @Test
    void the_log_stream_sends_each_run_and_its_log_lines_as_server_sent_events() throws Exception {
        platform.createVal(admin, val("chatty", "http", "export default () => { console.log('one'); console.warn('two'); return new Response('ok') }"));
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/api/v1/vals/admin/chatty/logs/stream"))
                .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(20)).build();
        HttpResponse<java.io.InputStream> response = platform.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("content-type").orElse(null));
        List<String> lines = new CopyOnWriteArrayList<>();
        var reader = CompletableFuture.runAsync(() -> {
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (lines.stream().filter(l -> l.startsWith("data: ") && l.contains("\"line\"")).count() >= 2
                            && lines.stream().anyMatch(l -> l.equals(": heartbeat"))) return;
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertEquals(200, platform.get("/v/admin/chatty").status());
        reader.get(15, java.util.concurrent.TimeUnit.SECONDS);
        var data = lines.stream().filter(l -> l.startsWith("data: ")).map(l -> new JsonObject(l.substring(6))).toList();
        var run = data.getFirst();
        assertEquals("http", run.getString("trigger"));
        assertEquals("success", run.getString("outcome"));
        assertEquals(200, run.getInteger("status"));
        var logs = data.stream().filter(d -> d.containsKey("line")).toList();
        assertEquals(List.of("[log] one", "[warn] two"), logs.stream().map(d -> d.getString("line")).toList());
        assertEquals(run.getString("runId"), logs.getFirst().getString("runId"));
        assertTrue(lines.contains("event: run") && lines.contains("event: log"), lines.toString());
        assertTrue(lines.contains("id: " + run.getString("runId")));
        assertEquals(403, platform.get("/api/v1/vals/admin/chatty/logs/stream", bob).status());
    }

    @Test
    void over_the_concurrency_limit_an_http_val_answers_429_with_retry_after_and_the_run_says_so() throws Exception {
        platform.createVal(admin, val("slow", "http", "export default async () => { await new Promise(r => setTimeout(r, 700)); return new Response('done') }"));
        platform.get("/v/admin/slow"); // loaded once, so all four below run the handler only
        var replies = new ArrayList<CompletableFuture<TestPlatform.Reply>>();
        for (int i = 0; i < 4; i++) replies.add(CompletableFuture.supplyAsync(() -> platform.get("/v/admin/slow")));
        var statuses = new ArrayList<Integer>();
        for (var reply : replies) {
            var r = reply.get();
            statuses.add(r.status());
            if (r.status() == 429) {
                assertEquals("1", r.header("retry-after"));
                assertEquals("val_busy", r.json().getJsonObject("error").getString("code"));
                assertEquals("the val already runs 2 invocations at once (VAL_MAX_CONCURRENCY); this http run was refused",
                        r.json().getJsonObject("error").getString("message"));
            }
        }
        assertEquals(2, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(2, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        var limited = platform.get("/api/v1/vals/admin/slow/runs?outcome=limit", admin).json().getJsonArray("data");
        assertEquals(2, limited.size());
        assertEquals(429, limited.getJsonObject(0).getInteger("status"));
        assertFalse(limited.getJsonObject(0).getString("error").isEmpty());
    }
}
