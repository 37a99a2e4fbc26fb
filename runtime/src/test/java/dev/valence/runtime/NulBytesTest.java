package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stores no U+0000 in text and no {@code \u0000} in jsonb. A val or a stranger can put one
 * anywhere (a log line, an error message, an email's subject): it is stored as U+FFFD, and it never
 * takes other rows, other users' runs among them, down with it.
 */
class NulBytesTest {
    static final int CALLS = 20;

    @Test
    void a_nul_in_a_log_line_or_an_error_is_stored_as_a_replacement_and_loses_no_run_of_anyone() throws Exception {
        try (var platform = TestPlatform.start("nul_runs")) {
            String bob = platform.createUser("bob");
            platform.createVal(platform.adminToken, "noisy",
                    "export default () => { console.log('a\\u0000b'); throw new Error('bad\\u0000thing'); }");
            platform.createVal(bob, "quiet", "export default () => { console.log('fine'); return new Response('ok'); }");

            // both vals' runs land in the same batches: one write per 100 ms takes whatever has queued
            List<Thread> callers = new ArrayList<>();
            for (String path : new String[] {"/v/admin/noisy", "/v/bob/quiet"}) {
                callers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < CALLS; i++) platform.get(path);
                }));
            }
            for (Thread caller : callers) caller.join();

            JsonArray quiet = runs(platform, bob, "bob", "quiet");
            assertEquals(CALLS, quiet.size(), "every run of bob's val is recorded");
            JsonArray noisy = runs(platform, platform.adminToken, "admin", "noisy");
            assertEquals(CALLS, noisy.size(), "every run of the val that logged U+0000 is recorded");
            String id = noisy.getJsonObject(0).getString("id");
            JsonObject run = platform.get("/api/v1/vals/admin/noisy/runs/" + id, platform.adminToken).json();
            assertEquals("error", run.getString("outcome"));
            assertEquals("[log] a\uFFFDb", run.getString("logs"));
            assertTrue(run.getString("error").startsWith("Error: bad\uFFFDthing"), run.getString("error"));
        }
    }

    @Test
    void work_held_with_a_nul_in_its_message_is_held_and_runs_after_the_repair() throws Exception {
        try (var platform = TestPlatform.start("nul_held")) {
            platform.createVal(platform.adminToken, new JsonObject().put("name", "inbox").put("type", "email")
                    .put("code", "export default (email) => console.log('subject', email.subject)"));
            var flips = new SchemaFlips(platform.databaseUrl);
            flips.applyTestContractMigration();
            eventually("incompatible", 20_000, () -> !platform.valence.guard().current().compatible());

            var held = platform.send("POST", "/api/v1/email/admin/inbox", platform.adminToken,
                    new JsonObject().put("from", "ann@example.com").put("to", "inbox@valence.test").put("subject", "hi\u0000there").encode(),
                    Map.of("Content-Type", "application/json", "Idempotency-Key", "nul-subject"));
            assertEquals(202, held.status(), held.body());
            String heldId = held.json().getString("heldId");

            flips.removeContractRow(900);
            eventually("the held message ran", 20_000, () -> platform.valence.guard().current().compatible()
                    && flips.count("SELECT count(*) FROM control.held_work WHERE done_at IS NULL") == 0);
            var outcome = platform.get("/api/v1/vals/admin/inbox/held/" + heldId, platform.adminToken);
            assertEquals("ran", outcome.json().getString("status"), outcome.body());
            JsonArray runs = runs(platform, platform.adminToken, "admin", "inbox");
            assertEquals(1, runs.size(), runs.encode());
            String id = runs.getJsonObject(0).getString("id");
            assertEquals("[log] subject hi\uFFFDthere", platform.get("/api/v1/vals/admin/inbox/runs/" + id, platform.adminToken).json().getString("logs"));
        }
    }

    private static JsonArray runs(TestPlatform platform, String token, String owner, String val) {
        var reply = platform.get("/api/v1/vals/" + owner + "/" + val + "/runs?limit=100", token);
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("data");
    }
}
