package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import dev.valence.runtime.guard.BuildInfo;
import dev.valence.runtime.guard.HeldWork;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The runtime never exits over the schema: it starts, serves the fallback with the right reason, and recovers. */
class SchemaGuardTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private record Got(int status, String body, java.net.http.HttpHeaders headers) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private Got get(Valence valence, String path, Map<String, String> headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://localhost:" + valence.port() + path)).timeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Got(r.statusCode(), r.body(), r.headers());
    }

    /** The status of a GET, or -1 when it could not be had (for waiting on it). */
    private int status(Valence valence, String path) {
        try {
            return get(valence, path).status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private Got get(Valence valence, String path) throws Exception {
        return get(valence, path, Map.of());
    }

    private static Valence startOn(String databaseUrl, BuildInfo build, Map<String, String> extra) {
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", databaseUrl);
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("SCHEMA_POLL_MS", "200");
        env.put("HEARTBEAT_MS", "200");
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-guard").toString());
        // with the database gone every connection wait, at start, in checks and in the stop, lasts this long
        env.put("DB_CONNECT_TIMEOUT_MS", "2000");
        env.putAll(extra);
        return Valence.start(Config.fromEnv(env), build);
    }

    private static final BuildInfo LEVEL_1 = new BuildInfo(1, 1, "level-1");

    private static void assertFallback(Got got, String reason, String message) {
        assertEquals(503, got.status(), got.body());
        assertEquals("5", got.headers().firstValue("retry-after").orElse(null));
        assertEquals("no-store", got.headers().firstValue("cache-control").orElse(null));
        var error = got.json().getJsonObject("error");
        assertEquals(reason, error.getString("reason"));
        if (message != null) assertEquals(message, error.getString("message"));
    }

    @Test
    void starting_on_a_schema_that_is_too_new_serves_the_fallback_and_recovers_when_the_contract_is_repaired() throws Exception {
        String db = TestDatabase.newDatabase("too_new");
        var flips = new SchemaFlips(db);
        flips.applyMigrations();
        flips.applyTestContractMigration();
        try (var valence = TestPlatform.awaitUp(startOn(db, LEVEL_1, Map.of()))) {
            String sentence = "schema is at app v900, which requires code level >= 900; this build is level 1 (contract migration app v900"
                    + " removed what older code uses); deploy a build of level 900 or newer";
            assertFallback(get(valence, "/v/admin/anything"), "schema_too_new", sentence);
            assertFallback(get(valence, "/api/v1/vals"), "schema_too_new", sentence);
            assertEquals(200, get(valence, "/healthz").status(), "liveness stays green");
            var ready = get(valence, "/readyz");
            assertEquals(503, ready.status());
            assertEquals("schema_too_new", ready.json().getString("verdict"));
            var schema = get(valence, "/api/v1/schema").json();
            assertEquals(1, schema.getInteger("codeLevel"));
            assertEquals(1, schema.getInteger("codeMinimum"));
            assertEquals(900, schema.getInteger("schemaVersion"));
            assertEquals(900, schema.getInteger("floor"));
            assertEquals(900, schema.getInteger("floorVersion"));
            assertFalse(schema.getBoolean("compatible"));
            assertEquals("schema_too_new", schema.getString("reason"));
            assertEquals(sentence, schema.getString("message"));

            var html = get(valence, "/v/admin/anything", Map.of("Accept", "text/html,application/xhtml+xml"));
            assertEquals(503, html.status());
            assertTrue(html.headers().firstValue("content-type").orElse("").startsWith("text/html"));
            assertTrue(html.body().contains("schema_too_new") && html.body().contains("http://localhost:" + valence.statusPage().port() + "/"), html.body());

            flips.removeContractRow(900);
            eventually("compatible after the repair", 15_000, () -> valence.guard().current().compatible());
            eventually("ready after the repair", 15_000, () -> status(valence, "/readyz") == 200);
            eventually("the admin is created once the schema is compatible", 15_000, () -> valence.bootstrapToken().isPresent());
        }
    }

    @Test
    void a_newer_build_level_runs_on_the_contracted_schema() throws Exception {
        String db = TestDatabase.newDatabase("newer_build");
        var flips = new SchemaFlips(db);
        flips.applyMigrations();
        flips.applyTestContractMigration();
        try (var valence = TestPlatform.awaitUp(startOn(db, new BuildInfo(900, 900, "level-900"), Map.of("MIGRATE_ON_START", "false")))) {
            assertTrue(valence.guard().current().compatible(), valence.guard().current().message());
            // readiness turns 200 once the last service has started, a moment after the start-up sequence
            eventually("ready", 10_000, () -> status(valence, "/readyz") == 200);
        }
    }

    @Test
    void starting_on_a_schema_that_is_too_old_recovers_when_the_migrations_are_applied_later() throws Exception {
        String db = TestDatabase.newDatabase("too_old");
        try (var valence = TestPlatform.awaitUp(startOn(db, LEVEL_1, Map.of("MIGRATE_ON_START", "false")))) {
            assertFallback(get(valence, "/v/admin/x"), "schema_too_old",
                    "schema is at app v0, but this build (level 1) needs at least app v1; apply the pending migrations (ops migrate)");
            new SchemaFlips(db).applyMigrations();
            eventually("compatible after migrating", 15_000, () -> valence.guard().current().compatible());
            eventually("the admin is created once the schema is there", 15_000, () -> valence.bootstrapToken().isPresent());
            var me = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + valence.port() + "/api/v1/me"))
                    .header("Authorization", "Bearer " + valence.bootstrapToken().get()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, me.statusCode());
        }
    }

    @Test
    void a_failed_migration_row_is_reported_and_its_repair_recovers() throws Exception {
        String db = TestDatabase.newDatabase("failed_row");
        var flips = new SchemaFlips(db);
        flips.applyMigrations();
        flips.sql("""
                INSERT INTO app.flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                VALUES (100, '2', 'add index concurrently', 'SQL', 'V2__add_index_concurrently.sql', 0, 'ops', 10, false)""");
        try (var valence = TestPlatform.awaitUp(startOn(db, LEVEL_1, Map.of()))) {
            assertFallback(get(valence, "/api/v1/me"), "failed_migration",
                    "migration app v2 (add index concurrently) failed, so the schema is half applied; fix the migration, then repair"
                            + " the history (flyway repair) and migrate again");
            flips.sql("DELETE FROM app.flyway_schema_history WHERE NOT success");
            eventually("compatible after the repair", 15_000, () -> valence.guard().current().compatible());
        }
    }

    @Test
    void with_the_database_down_the_runtime_starts_serves_the_fallback_and_recovers_when_it_comes_up() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String db = "postgres://postgres@localhost:" + port + "/postgres";
        try (var valence = startOn(db, LEVEL_1, Map.of())) {
            eventually("unreachable reported", 15_000, () -> valence.guard().current().code().equals("database_unreachable"));
            var got = get(valence, "/v/admin/x");
            assertFallback(got, "database_unreachable", null);
            assertTrue(got.json().getJsonObject("error").getString("message").startsWith("the database cannot be reached ("), got.body());
            assertEquals(200, get(valence, "/healthz").status());
            assertEquals(503, get(valence, "/readyz").status());

            try (var postgres = EmbeddedPostgres.builder().setPort(port).start()) {
                assertTrue(TestPlatform.awaitUp(valence) == valence);
                eventually("compatible once the database is up", 15_000, () -> valence.guard().current().compatible());
                assertTrue(valence.bootstrapToken().isPresent(), "first start on the empty database created the admin");

                // the database goes away while serving, and comes back
                postgres.close();
            }
            eventually("unreachable after the database stopped", 15_000, () -> valence.guard().current().code().equals("database_unreachable"));
            assertFallback(get(valence, "/api/v1/vals"), "database_unreachable", null);
        }
    }

    @Test
    void a_code_first_build_runs_on_the_old_and_on_the_new_schema() throws Exception {
        var codeFirst = new BuildInfo(900, 1, "code-first");
        String db = TestDatabase.newDatabase("code_first");
        var flips = new SchemaFlips(db);
        flips.applyMigrations();
        try (var valence = TestPlatform.awaitUp(startOn(db, codeFirst, Map.of("MIGRATE_ON_START", "false")))) {
            assertTrue(valence.guard().current().compatible(), valence.guard().current().message());
            flips.applyTestContractMigration();
            eventually("sees app v900", 15_000, () -> valence.guard().current().state().schemaVersion() == 900);
            assertTrue(valence.guard().current().compatible(), valence.guard().current().message());
        }
        // the same build without the lowered minimum cannot run on the old schema
        String old = TestDatabase.newDatabase("strict");
        new SchemaFlips(old).applyMigrations();
        int next = BuildInfo.current().codeLevel() + 1; // one level above every real migration
        try (var strict = TestPlatform.awaitUp(startOn(old, new BuildInfo(next, next, "strict"), Map.of("MIGRATE_ON_START", "false")))) {
            assertEquals("schema_too_old", strict.guard().current().code());
        }
    }

    @Test
    void a_query_broken_by_an_undeclared_schema_change_gets_the_fallback_not_a_500() throws Exception {
        try (var platform = TestPlatform.start("drift", Map.of("SCHEMA_POLL_MS", "200"))) {
            var flips = new SchemaFlips(platform.databaseUrl);
            // renamed behind the protocol's back: no contract row says so
            flips.sql("ALTER TABLE app.val_versions RENAME COLUMN code TO source");
            var reply = platform.get("/v/admin/never-seen");
            assertEquals(503, reply.status(), reply.body());
            var error = reply.json().getJsonObject("error");
            assertEquals("query_failed", error.getString("reason"));
            assertEquals("a query failed against the database (SQLSTATE 42703) although its recorded schema is compatible with"
                    + " this build; the schema may have changed without a contract declaration", error.getString("message"));
            flips.sql("ALTER TABLE app.val_versions RENAME COLUMN source TO code");
            assertEquals(404, platform.get("/v/admin/never-seen").status());
        }
    }

    @Test
    void each_instance_keeps_its_heartbeat_while_the_app_schema_is_mismatched() throws Exception {
        String db = TestDatabase.newDatabase("heartbeats");
        var flips = new SchemaFlips(db);
        try (var valence = TestPlatform.awaitUp(startOn(db, LEVEL_1, Map.of("INSTANCE_ID", "runtime-a")))) {
            eventually("heartbeat written", 15_000, () -> flips.count("SELECT count(*) FROM control.instances WHERE instance_id = 'runtime-a' AND verdict = 'compatible'") == 1);
            flips.applyTestContractMigration();
            eventually("verdict in the heartbeat", 15_000, () -> flips.count(
                    "SELECT count(*) FROM control.instances WHERE instance_id = 'runtime-a' AND verdict = 'incompatible' AND reason_code = 'schema_too_new'") == 1);
            long seen = flips.count("SELECT (extract(epoch FROM last_seen_at) * 1000)::bigint FROM control.instances WHERE instance_id = 'runtime-a'");
            eventually("still beating", 15_000, () -> flips.count(
                    "SELECT (extract(epoch FROM last_seen_at) * 1000)::bigint FROM control.instances WHERE instance_id = 'runtime-a'") > seen);
            assertEquals(1, flips.count("SELECT count(*) FROM control.instances WHERE instance_id = 'runtime-a' AND code_level = 1 AND code_minimum = 1 AND build_id = 'level-1'"));
        }
        assertEquals(0, flips.count("SELECT count(*) FROM control.instances WHERE instance_id = 'runtime-a'"), "a stopped instance removes its row");
    }

    @Test
    void held_work_waits_while_incompatible_and_runs_once_after_recovery_across_instances() throws Exception {
        String db = TestDatabase.newDatabase("held_work");
        var flips = new SchemaFlips(db);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (var a = TestPlatform.awaitUp(startOn(db, LEVEL_1, Map.of("INSTANCE_ID", "held-a")));
             var b = TestPlatform.awaitUp(startOn(db, LEVEL_1, Map.of("INSTANCE_ID", "held-b", "MIGRATE_ON_START", "false")))) {
            for (Valence v : List.of(a, b)) v.heldWork().register("test", payload -> ran.add(payload));
            assertEquals(HeldWork.Submitted.RAN, a.heldWork().submit("test", "now-1", "{\"n\":0}"));
            assertEquals(List.of("{\"n\":0}"), ran);

            flips.applyTestContractMigration();
            eventually("both incompatible", 15_000, () -> !a.guard().current().compatible() && !b.guard().current().compatible());
            for (int i = 1; i <= 20; i++) {
                Valence via = i % 2 == 0 ? a : b;
                assertEquals(HeldWork.Submitted.HELD, via.heldWork().submit("test", "tick-" + i, "{\"n\":" + i + "}"));
            }
            assertEquals(HeldWork.Submitted.ALREADY_HELD, b.heldWork().submit("test", "tick-3", "{\"n\":3}"), "a repeated submission is a no-op");
            assertEquals(1, ran.size(), "nothing runs while incompatible");
            assertEquals(20, flips.count("SELECT count(*) FROM control.held_work WHERE done_at IS NULL"));

            flips.removeContractRow(900);
            eventually("all held work ran", 15_000, () -> flips.count("SELECT count(*) FROM control.held_work WHERE done_at IS NULL") == 0);
            Thread.sleep(300);
            assertEquals(21, ran.size(), ran.toString());
            assertEquals(21, ran.stream().distinct().count(), "each item ran exactly once");
            assertEquals(20, flips.count("SELECT count(*) FROM control.held_work WHERE outcome = 'ok'"));
        }
    }

    @Test
    void metrics_expose_the_verdict_and_fallback_counts() throws Exception {
        String db = TestDatabase.newDatabase("metrics");
        var flips = new SchemaFlips(db);
        flips.applyMigrations();
        flips.applyTestContractMigration();
        try (var valence = TestPlatform.awaitUp(startOn(db, LEVEL_1, Map.of()))) {
            get(valence, "/v/admin/x");
            String metrics = get(valence, "/metrics").body();
            assertTrue(metrics.contains("valence_schema_compatible 0.0"), metrics);
            assertTrue(metrics.contains("valence_fallback_responses_total{reason=\"schema_too_new\"} 1.0"), metrics);
            assertTrue(metrics.contains("valence_schema_transitions_total{to=\"schema_too_new\"} 1.0"), metrics);
            flips.removeContractRow(900);
            eventually("compatible", 15_000, () -> valence.guard().current().compatible());
            metrics = get(valence, "/metrics").body();
            assertTrue(metrics.contains("valence_schema_compatible 1.0"), metrics);
            assertTrue(metrics.contains("valence_schema_detection_latency_seconds_count 1"), metrics);
        }
    }

    @Test
    void detection_time_counts_from_the_commit_of_the_change_not_from_the_statement_that_made_it() throws Exception {
        try (var platform = TestPlatform.start("guard_detection_commit", Map.of("SCHEMA_POLL_MS", "30000"))) {
            // the contract row lands a second before its transaction commits, as in a migration that goes on working
            new SchemaFlips(platform.databaseUrl).sql("BEGIN; INSERT INTO control.schema_contract (version, kind, min_code_level, description)"
                    + " VALUES (900, 'contract', 900, 'test: committed a second after it was written'); SELECT pg_sleep(1); COMMIT");
            eventually("incompatible", 15_000, () -> !platform.valence.guard().current().compatible());
            var transition = platform.valence.guard().transitions().getFirst();
            assertEquals("schema_too_new", transition.to().code());
            System.out.printf("guard detection: %d ms from the commit%n", transition.detectionMs());
            assertTrue(transition.detectionMs() >= 0 && transition.detectionMs() < 500,
                    "detected " + transition.detectionMs() + " ms after the commit (the row was written 1000 ms before it)");
        }
    }
}
