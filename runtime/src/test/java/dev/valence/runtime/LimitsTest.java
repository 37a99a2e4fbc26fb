package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile vals are stopped by the wall-clock limit while other vals keep answering. */
class LimitsTest {
    static final long TIMEOUT_MS = 1500;
    static TestPlatform platform;
    static String token;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("limits", Map.of("VAL_TIMEOUT_MS", String.valueOf(TIMEOUT_MS), "JS_WORKERS", "4",
                "VAL_MEMORY_LIMIT_MB", "64"));
        token = platform.adminToken;
        platform.createVal(token, "spin", "export default () => { while (true) {} }");
        platform.createVal(token, "neighbour", "export default () => new Response('still here')");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void an_infinite_loop_is_stopped_within_the_timeout_and_answers_504_while_another_val_keeps_answering() throws Exception {
        long start = System.nanoTime();
        CompletableFuture<TestPlatform.Reply> spinning = CompletableFuture.supplyAsync(() -> platform.get("/v/admin/spin"));

        var neighbourReplies = new ArrayList<Integer>();
        while (!spinning.isDone()) {
            var reply = platform.get("/v/admin/neighbour");
            neighbourReplies.add(reply.status());
            assertEquals("still here", reply.body());
            Thread.sleep(50);
        }
        var reply = spinning.get(TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, reply.status());
        assertEquals("val_timeout", reply.json().getJsonObject("error").getString("code"));
        assertEquals("the val did not answer within 1500 ms and was stopped", reply.json().getJsonObject("error").getString("message"));
        assertTrue(tookMs < TIMEOUT_MS + 1000, "stopped after " + tookMs + " ms");
        assertTrue(neighbourReplies.size() >= 5, "the neighbour answered only " + neighbourReplies.size() + " times");

        var run = platform.get("/api/v1/vals/admin/spin/runs", token).json().getJsonArray("data").getJsonObject(0);
        assertEquals("timeout", run.getString("outcome"));
        assertEquals(504, run.getInteger("status"));
    }

    @Test
    void a_val_stopped_by_the_timeout_answers_again_from_a_fresh_context() {
        platform.createVal(token, "sometimes", """
                let calls = 0;
                export default (req) => {
                  calls++;
                  if (new URL(req.url).searchParams.has('spin')) while (true) {}
                  return new Response('calls=' + calls);
                }""");
        assertEquals("calls=1", platform.get("/v/admin/sometimes").body());
        assertEquals(504, platform.get("/v/admin/sometimes?spin").status());
        // the cancelled context was discarded: module state starts over
        assertEquals("calls=1", platform.get("/v/admin/sometimes").body());
    }

    @Test
    void a_never_settling_promise_is_an_error_not_a_hang() {
        platform.createVal(token, "forever", "export default () => new Promise(() => {})");
        var reply = platform.get("/v/admin/forever");
        assertEquals(500, reply.status());
        assertEquals("the handler's promise never settled: it awaits something that will never happen",
                reply.json().getJsonObject("error").getString("message"));
    }

    @Test
    void a_slow_timer_past_the_deadline_is_a_timeout() {
        platform.createVal(token, "sleepy", "export default () => new Promise((r) => setTimeout(() => r(new Response('late')), 60000))");
        long start = System.nanoTime();
        var reply = platform.get("/v/admin/sleepy");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, reply.status());
        assertTrue(tookMs < TIMEOUT_MS + 1000, "took " + tookMs + " ms");
    }

    @Test
    void a_top_level_infinite_loop_is_stopped_too() {
        var saved = platform.createVal(token, "spin-at-load", "while (true) {}\nexport default () => new Response('never')");
        assertEquals(0, platform.valence.runner().idleContexts(Long.parseLong(saved.getString("id"))),
                "the load at save time was stopped and nothing was kept");
        var reply = platform.get("/v/admin/spin-at-load");
        assertEquals(504, reply.status());
    }

    @Test
    void deep_recursion_is_a_clear_error() {
        platform.createVal(token, "deep", "const f = (n) => f(n + 1) + 1; export default () => new Response(String(f(0)))");
        var reply = platform.get("/v/admin/deep");
        assertEquals(500, reply.status());
        assertTrue(reply.json().getJsonObject("error").getString("message").contains("RangeError"), reply.body());
        assertEquals("still here", platform.get("/v/admin/neighbour").body());
    }

    @Test
    void an_allocation_bomb_is_stopped_at_the_memory_limit_and_the_process_keeps_serving() {
        platform.createVal(token, "bomb", """
                export default () => {
                  const keep = [];
                  while (true) keep.push(new Float64Array(1 << 20)); // 8 MB at a time, kept alive
                }""");
        long start = System.nanoTime();
        var reply = platform.get("/v/admin/bomb");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(500, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("val_limit", error.getString("code"));
        assertEquals("the val allocated more than 64 MB in one invocation and was stopped", error.getString("message"));
        assertTrue(tookMs < TIMEOUT_MS, "stopped by the memory limit, not the clock: " + tookMs + " ms");
        var run = platform.get("/api/v1/vals/admin/bomb/runs", token).json().getJsonArray("data").getJsonObject(0);
        assertEquals("limit", run.getString("outcome"));
        assertEquals("still here", platform.get("/v/admin/neighbour").body());
    }

    @Test
    void string_doubling_ends_in_a_clear_error() {
        platform.createVal(token, "doubling", "export default () => { let s = 'x'; while (true) s = s + s; }");
        var reply = platform.get("/v/admin/doubling");
        assertEquals(500, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("val_error", error.getString("code"));
        assertEquals("RangeError: Invalid string length", error.getString("message"));
        assertEquals(1, error.getInteger("line"));
        assertEquals("still here", platform.get("/v/admin/neighbour").body());
    }

    @Test
    void log_output_is_capped() {
        try (var small = TestPlatform.start("small_logs", Map.of("VAL_LOG_LIMIT_BYTES", "100"))) {
            small.createVal(small.adminToken, "chatty", "export default () => { for (let i = 0; i < 50; i++) console.log('line ' + i); return new Response('ok'); }");
            assertEquals(200, small.get("/v/admin/chatty").status());
            String logs = small.get("/api/v1/vals/admin/chatty/runs", small.adminToken).json().getJsonArray("data").getJsonObject(0).getString("logs");
            assertTrue(logs.startsWith("[log] line 0\n[log] line 1\n"), logs);
            assertTrue(logs.endsWith("[valence] log limit of 100 bytes reached; 599 more bytes were dropped"), logs);
        }
    }
}
