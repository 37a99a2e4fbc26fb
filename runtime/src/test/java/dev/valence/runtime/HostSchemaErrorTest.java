package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The incident's 500s: val requests queued behind a contract migration's lock resume at its commit and
 * fail inside std/blob before the guard has switched. A database error that reaches a val through a
 * host function is a schema problem like any other: the request gets the fallback 503, whatever the
 * val answered after catching the error, and the run is recorded with outcome {@code schema}.
 */
class HostSchemaErrorTest {
    static final int REQUESTS = 6;

    @Test
    void requests_blocked_on_a_contract_migrations_lock_end_503_never_500_and_their_runs_are_recorded_as_schema() throws Exception {
        // a long poll interval: nothing but the failed queries and the migration's notice may switch the guard;
        // enough JavaScript workers for every request to be inside the val at once
        try (var platform = TestPlatform.start("host_schema_lock", Map.of("SCHEMA_POLL_MS", "30000", "JS_WORKERS", "8"))) {
            platform.createVal(platform.adminToken, "shelf", """
                    import { blob } from "https://esm.town/v/std/blob";
                    export default async () => {
                      try {
                        await blob.setJSON("visits", { n: 1 });
                        return Response.json(await blob.getJSON("visits"));
                      } catch (e) {
                        // a val that answers its own 500 when its storage fails
                        return new Response("the shelf is broken: " + e.message, { status: 500 });
                      }
                    };""");
            assertEquals("{\"n\":1}", platform.get("/v/admin/shelf").body());
            var flips = new SchemaFlips(platform.databaseUrl);
            String waiting = "SELECT count(*) FROM pg_locks WHERE relation = 'app.blobs'::regclass AND NOT granted";

            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            try (var gate = DriverManager.getConnection(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "");
                 var statement = gate.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(4901)");
                var migration = CompletableFuture.runAsync(flips::applyBlobRenameUnderLock);
                eventually("the migration holds app.blobs' ACCESS EXCLUSIVE lock", 20_000, () -> flips.count(
                        "SELECT count(*) FROM pg_locks WHERE relation = 'app.blobs'::regclass AND mode = 'AccessExclusiveLock' AND granted") == 1);
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int i = 0; i < REQUESTS; i++) {
                    var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/shelf")).timeout(Duration.ofSeconds(20)).build();
                    replies.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
                }
                eventually("every request's std/blob query waits for the lock", 20_000, () -> flips.count(waiting) == REQUESTS);
                statement.execute("SELECT pg_advisory_unlock(4901)"); // the migration renames the column and commits
                migration.get(30, TimeUnit.SECONDS);
            }
            long committedNs = System.nanoTime();

            for (var reply : replies) {
                HttpResponse<String> response = reply.get(20, TimeUnit.SECONDS);
                assertEquals(503, response.statusCode(), response.body());
                assertEquals("5", response.headers().firstValue("Retry-After").orElse(null));
                assertEquals("schema_too_new", new JsonObject(response.body()).getJsonObject("error").getString("reason"), response.body());
            }
            System.out.printf("blocked on the migration's lock: all %d requests answered 503 within %d ms of the migration's return%n",
                    REQUESTS, (System.nanoTime() - committedNs) / 1_000_000);

            // taking the contract back makes the schema compatible again, so the runs can be listed
            flips.removeContractRow(901);
            eventually("compatible again", 20_000, () -> platform.valence.guard().current().compatible());
            var runs = platform.get("/api/v1/vals/admin/shelf/runs?outcome=schema", platform.adminToken);
            assertEquals(200, runs.status(), runs.body());
            var data = runs.json().getJsonArray("data");
            assertEquals(REQUESTS, data.size(), data.encodePrettily());
            for (int i = 0; i < data.size(); i++) {
                var run = data.getJsonObject(i);
                assertEquals("schema", run.getString("outcome"));
                assertEquals(503, run.getInteger("status"));
                assertTrue(run.getString("error").startsWith("std/blob failed with SQLSTATE 42703"), run.getString("error"));
            }
            var successes = platform.get("/api/v1/vals/admin/shelf/runs?outcome=success", platform.adminToken).json().getJsonArray("data");
            assertEquals(1, successes.size(), "only the warm-up request ran to the end: " + successes.encodePrettily());
        }
    }

    @Test
    void a_script_run_that_meets_the_migration_in_std_blob_is_held_and_runs_once_after_the_repair() throws Exception {
        try (var platform = TestPlatform.start("host_schema_script", Map.of("SCHEMA_POLL_MS", "30000"))) {
            String token = platform.adminToken;
            platform.createVal(token, new JsonObject().put("name", "restock").put("type", "script").put("code", """
                    import { blob } from "https://esm.town/v/std/blob";
                    export default async (n) => {
                      try {
                        await blob.setJSON("stock", { n });
                      } catch (e) {
                        return "not stored: " + e.message; // a val that swallows the error and returns normally
                      }
                      return n;
                    };"""));
            var flips = new SchemaFlips(platform.databaseUrl);
            CompletableFuture<HttpResponse<String>> reply;
            try (var gate = DriverManager.getConnection(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "");
                 var statement = gate.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(4901)");
                var migration = CompletableFuture.runAsync(flips::applyBlobRenameUnderLock);
                eventually("the migration holds app.blobs' ACCESS EXCLUSIVE lock", 20_000, () -> flips.count(
                        "SELECT count(*) FROM pg_locks WHERE relation = 'app.blobs'::regclass AND mode = 'AccessExclusiveLock' AND granted") == 1);
                var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/api/v1/vals/admin/restock/run"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "restock-7").timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"args\": [7]}")).build();
                reply = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
                eventually("the run's std/blob query waits for the lock", 20_000, () -> flips.count(
                        "SELECT count(*) FROM pg_locks WHERE relation = 'app.blobs'::regclass AND NOT granted") == 1);
                statement.execute("SELECT pg_advisory_unlock(4901)");
                migration.get(30, TimeUnit.SECONDS);
            }
            var held = reply.get(20, TimeUnit.SECONDS);
            assertEquals(202, held.statusCode(), held.body());
            var answer = new JsonObject(held.body());
            assertEquals("held", answer.getString("status"));
            assertEquals("schema_too_new", answer.getString("reason"));
            assertEquals("restock-7", answer.getString("idempotencyKey"));
            assertEquals(0, flips.count("SELECT count(*) FROM app.blobs WHERE key = 'stock'"));

            // the operator's repair: the column back under its old name, the contract taken back
            flips.sql("ALTER TABLE app.blobs RENAME COLUMN stored_value TO value; DELETE FROM control.schema_contract WHERE version = 901");
            var location = answer.getString("location");
            // "ran" comes with the key's claim, the run record once the run ended
            eventually("the held run ran", 20_000, () -> platform.valence.guard().current().compatible()
                    && platform.get(location, token).json().containsKey("run"));
            var run = platform.get(location, token).json().getJsonObject("run");
            assertEquals("success", run.getString("outcome"));
            assertEquals("script", run.getString("trigger"));
            assertEquals(1, flips.count("SELECT count(*) FROM app.blobs WHERE key = 'stock' AND convert_from(value, 'UTF8') = '{\"n\":7}'"));

            var schemaRuns = platform.get("/api/v1/vals/admin/restock/runs?outcome=schema", token).json().getJsonArray("data");
            assertEquals(1, schemaRuns.size(), schemaRuns.encodePrettily());
            assertEquals("script", schemaRuns.getJsonObject(0).getString("trigger"));
            assertEquals(null, schemaRuns.getJsonObject(0).getValue("status"));
            assertEquals(1, platform.get("/api/v1/vals/admin/restock/runs?outcome=success", token).json().getJsonArray("data").size());
            var again = platform.send("POST", "/api/v1/vals/admin/restock/run", token, "{\"args\": [7]}",
                    Map.of("Content-Type", "application/json", "Idempotency-Key", "restock-7"));
            assertEquals(run.getString("id"), again.json().getString("runId"), "the key finds the run it became");
        }
    }

    @Test
    void an_env_read_that_fails_on_a_schema_changed_without_a_declaration_answers_503_query_failed() throws Exception {
        try (var platform = TestPlatform.start("host_schema_env", Map.of("SCHEMA_POLL_MS", "30000"))) {
            assertEquals(204, platform.put("/api/v1/env/GREETING", platform.adminToken, "{\"value\": \"hello there\"}").status());
            platform.createVal(platform.adminToken, "greet", """
                    export default () => {
                      try {
                        return new Response(Deno.env.get("GREETING"));
                      } catch (e) {
                        return new Response("no greeting today", { status: 500 });
                      }
                    };""");
            // renamed by hand, with no contract row: the recorded schema still reads as compatible
            new SchemaFlips(platform.databaseUrl).sql("ALTER TABLE app.env_vars RENAME COLUMN value TO secret_value");
            var reply = platform.get("/v/admin/greet");
            assertEquals(503, reply.status(), reply.body());
            var error = reply.json().getJsonObject("error");
            assertEquals("query_failed", error.getString("reason"));
            assertTrue(error.getString("message").startsWith("a query failed against the database (SQLSTATE 42703)"), error.getString("message"));

            var runs = platform.get("/api/v1/vals/admin/greet/runs", platform.adminToken).json().getJsonArray("data");
            assertEquals(1, runs.size(), runs.encodePrettily());
            var run = runs.getJsonObject(0);
            assertEquals("schema", run.getString("outcome"));
            assertEquals(503, run.getInteger("status"));
            assertTrue(run.getString("error").startsWith("Deno.env failed with SQLSTATE 42703"), run.getString("error"));
        }
    }

    @Test
    void a_cron_tick_that_meets_the_migration_in_std_blob_is_held_and_runs_after_the_repair() throws Exception {
        try (var platform = TestPlatform.start("host_schema_cron", Map.of("SCHEMA_POLL_MS", "30000", "CRON_MIN_INTERVAL_SECONDS", "1",
                "CRON_POLL_MS", "100", "CRON_SYNC_MS", "200"))) {
            var cron = platform.createVal(platform.adminToken, new JsonObject().put("name", "meter").put("type", "cron").put("schedule", "every 1s")
                    .put("code", """
                            import { blob } from "https://esm.town/v/std/blob";
                            export default async () => {
                              try { await blob.setJSON("reading", { at: Date.now() }); } catch (e) { console.log("not stored"); }
                            };"""));
            long cronId = Long.parseLong(cron.getString("id"));
            var flips = new SchemaFlips(platform.databaseUrl);
            eventually("the cron val ticks", 20_000, () -> flips.count("SELECT count(*) FROM app.runs WHERE val_id = " + cronId) > 0);
            try (var gate = DriverManager.getConnection(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "");
                 var statement = gate.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(4901)");
                var migration = CompletableFuture.runAsync(flips::applyBlobRenameUnderLock);
                eventually("a tick's std/blob query waits for the migration's lock", 20_000, () -> flips.count(
                        "SELECT count(*) FROM pg_locks WHERE relation = 'app.blobs'::regclass AND NOT granted") >= 1);
                statement.execute("SELECT pg_advisory_unlock(4901)");
                migration.get(30, TimeUnit.SECONDS);
            }
            eventually("the failed tick is held", 20_000, () -> flips.count("SELECT count(*) FROM control.held_work WHERE kind = 'cron'"
                    + " AND reason_code = 'schema_too_new' AND done_at IS NULL AND (payload->>'valId')::bigint = " + cronId) >= 1);
            String firstHeld = "(SELECT idempotency_key FROM control.held_work WHERE kind = 'cron' ORDER BY id LIMIT 1)";

            flips.sql("ALTER TABLE app.blobs RENAME COLUMN stored_value TO value; DELETE FROM control.schema_contract WHERE version = 901");
            eventually("every held tick ran", 20_000, () -> flips.count("SELECT count(*) FROM control.held_work WHERE done_at IS NULL") == 0);
            platform.valence.cron().close();
            assertEquals("ok", flips.string("SELECT outcome FROM control.held_work WHERE idempotency_key = " + firstHeld));
            var runs = platform.get("/api/v1/vals/admin/meter/runs?limit=1000", platform.adminToken).json().getJsonArray("data");
            long schemaRuns = 0;
            for (int i = 0; i < runs.size(); i++) {
                var run = runs.getJsonObject(i);
                if (run.getString("outcome").equals("schema")) schemaRuns++;
                else assertEquals("success", run.getString("outcome"), run.encodePrettily());
                assertTrue(!"[log] not stored".equals(run.getString("logs")) || run.getString("outcome").equals("schema"),
                        "a tick that could not store its reading counted as a success: " + run.encodePrettily());
            }
            assertTrue(schemaRuns >= 1, runs.encodePrettily());
            String heldRun = "SELECT run_id FROM control.trigger_results WHERE idempotency_key = " + firstHeld;
            assertEquals("success", platform.get("/api/v1/vals/admin/meter/runs/" + flips.count(heldRun), platform.adminToken).json().getString("outcome"),
                    "the held tick ran again, under its own key, after the repair");
        }
    }
}
