package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The platform's background threads outlive an error in their loop: the supervisor restarts the one
 * that died, {@code /healthz} answers 503 naming it meanwhile, and the restarted guard detects schema
 * changes as before. The error is a real one on the guard's own thread: a transition listener that
 * overflows the stack (what an OutOfMemoryError did to the guard in a JVM that does not exit on it).
 */
class PlatformThreadsTest {
    private static final String FAILED_ROW = """
            INSERT INTO app.flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
            VALUES (100, '900', 'broken by hand', 'SQL', 'V900__broken_by_hand.sql', 0, 'ops', 10, false)""";

    @Test
    void a_schema_guard_ended_by_an_error_fails_healthz_until_restarted_and_then_still_detects_a_contract_migration() throws Exception {
        try (var platform = TestPlatform.start("threads_guard", Map.of("SCHEMA_POLL_MS", "200"))) {
            var healthy = platform.get("/healthz");
            assertEquals(200, healthy.status(), healthy.body());
            assertEquals("ok", healthy.json().getString("status"));
            platform.createVal(platform.adminToken, "hello", "export default () => new Response('hello')");

            var armed = new AtomicBoolean(true);
            platform.valence.guard().onTransition(t -> {
                if (armed.getAndSet(false)) overflow(0);
            });
            var flips = new SchemaFlips(platform.databaseUrl);
            flips.sql(FAILED_ROW); // the guard's next check finds it; its listener then ends the guard's thread
            long killedNs = System.nanoTime();

            var failing = eventually("/healthz fails", 15_000, () -> platform.get("/healthz").status() == 503);
            var body = platform.get("/healthz");
            assertEquals(503, body.status(), body.body());
            assertEquals("no-store", body.header("cache-control"));
            assertEquals("failing", body.json().getString("status"));
            assertEquals(1, body.json().getJsonArray("threads").size(), body.body());
            JsonObject thread = body.json().getJsonArray("threads").getJsonObject(0);
            assertEquals("schema guard", thread.getString("thread"));
            assertEquals(0, thread.getInteger("restarts"));
            assertEquals("The schema guard thread stopped at " + thread.getString("stoppedAt") + "; it is being restarted.",
                    body.json().getString("message"));
            assertTrue(failing < 2_000, "/healthz failed " + failing + " ms after the guard's thread died");

            flips.sql("DELETE FROM app.flyway_schema_history WHERE version = '900'"); // repaired while the guard is down
            long healthyAgainMs = eventually("/healthz is 200 again", 15_000, () -> platform.get("/healthz").status() == 200);
            assertTrue((System.nanoTime() - killedNs) / 1_000_000 >= 1_000, "restarted after the first backoff of 1 s, not at once");
            assertTrue(healthyAgainMs < 5_000, "restarted within " + healthyAgainMs + " ms");
            System.out.println("/healthz failed " + failing + " ms after the failed row was written; 200 again "
                    + (System.nanoTime() - killedNs) / 1_000_000 + " ms after it");
            eventually("compatible again", 15_000, () -> platform.valence.guard().current().compatible());
            assertEquals(200, platform.get("/v/admin/hello").status());

            flips.applyTestContractMigration();
            eventually("the restarted guard detects the contract migration", 15_000,
                    () -> "schema_too_new".equals(platform.valence.guard().current().code()));
            var val = platform.get("/v/admin/hello");
            assertEquals(503, val.status(), val.body());
            assertEquals(200, platform.get("/healthz").status(), "liveness stays green while the schema is mismatched");
        }
    }

    /** A real StackOverflowError: recursion until the thread's stack is gone. */
    private static int overflow(int depth) {
        return overflow(depth + 1) + 1;
    }
}
