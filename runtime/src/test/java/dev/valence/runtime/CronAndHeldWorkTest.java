package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cron vals tick exactly once across two runtimes on one database, and cron ticks, script runs and
 * inbound email are held while the schema is incompatible and run once each after it recovers.
 */
class CronAndHeldWorkTest {
    /** Short intervals; and a short grace at the stop, since the log tails stay open to the end and would hold it for 10 s. */
    private static final Map<String, String> FAST = Map.of("CRON_MIN_INTERVAL_SECONDS", "1", "CRON_POLL_MS", "100",
            "CRON_SYNC_MS", "200", "SCHEMA_POLL_MS", "200", "HEARTBEAT_MS", "200", "SHUTDOWN_GRACE_MS", "500");

    private static Valence second(TestPlatform first, String instanceId) {
        var env = new HashMap<String, String>(FAST);
        env.put("DATABASE_URL", first.databaseUrl);
        env.put("MIGRATE_ON_START", "false");
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("INSTANCE_ID", instanceId);
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-cron-b").toString());
        return TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)));
    }

    private static Map<String, String> with(String instanceId) {
        var settings = new HashMap<>(FAST);
        settings.put("INSTANCE_ID", instanceId);
        return settings;
    }

    @Test
    void each_cron_tick_runs_exactly_once_across_two_runtimes_and_gets_the_last_run_time() throws Exception {
        try (var a = TestPlatform.start("cron_twice", with("cron-a"));
             var b = second(a, "cron-b")) {
            var flips = new SchemaFlips(a.databaseUrl);
            var created = a.createVal(a.adminToken, new JsonObject().put("name", "ticker").put("type", "cron").put("schedule", "every 1s")
                    .put("code", "export default async (interval) => { console.log(JSON.stringify(interval)); }"));
            long valId = Long.parseLong(created.getString("id"));
            eventually("the first tick", 10_000, () -> flips.count("SELECT count(*) FROM control.trigger_results WHERE val_id = " + valId) > 0);
            Thread.sleep(4_000);
            // one runtime stops scheduling: the other takes every tick from then on
            a.valence.cron().close();
            long beforeFailover = flips.count("SELECT count(*) FROM control.trigger_results WHERE val_id = " + valId);
            Thread.sleep(3_000);
            long afterFailover = flips.count("SELECT count(*) FROM control.trigger_results WHERE val_id = " + valId);
            assertTrue(afterFailover - beforeFailover >= 2, "runtime b kept ticking alone: " + beforeFailover + " -> " + afterFailover);
            // stop scheduling before counting: no tick may be half-way through
            b.cron().close();
            Thread.sleep(300);

            long keys = flips.count("SELECT count(*) FROM control.trigger_results WHERE val_id = " + valId + " AND idempotency_key LIKE 'cron:%'");
            long runs = flips.count("SELECT count(*) FROM app.runs WHERE val_id = " + valId + " AND trigger = 'cron'");
            long minGapMs = flips.count("""
                    SELECT coalesce(min(extract(epoch FROM gap) * 1000), 0)::bigint FROM (
                      SELECT started_at - lag(started_at) OVER (ORDER BY started_at) AS gap
                      FROM app.runs WHERE val_id = %d AND trigger = 'cron') g WHERE gap IS NOT NULL""".formatted(valId));
            System.out.printf("cron exactly-once: %d ticks, %d runs in ~7 s (two runtimes, then one); shortest gap between runs %d ms%n", keys, runs, minGapMs);
            assertEquals(keys, runs, "one run per tick");
            assertTrue(minGapMs >= 500, "no tick ran twice: runs of an every-1s val are " + minGapMs + " ms apart at the least");
            assertTrue(keys >= 6 && keys <= 10, "about one tick a second, got " + keys);

            var ticks = a.get("/api/v1/vals/admin/ticker/runs?trigger=cron&limit=100", a.adminToken).json().getJsonArray("data");
            assertEquals(runs, ticks.size());
            var oldest = ticks.getJsonObject(ticks.size() - 1);
            assertEquals("success", oldest.getString("outcome"));
            assertNull(new JsonObject(oldest.getString("logs").substring("[log] ".length())).getValue("lastRunAt"), "the first tick has no last run");
            var newest = new JsonObject(ticks.getJsonObject(0).getString("logs").substring("[log] ".length()));
            assertNotNull(newest.getString("lastRunAt"));
            java.time.Instant.parse(newest.getString("lastRunAt"));
        }
    }

    @Test
    void cron_ticks_script_runs_and_email_are_held_while_incompatible_and_run_once_each_afterwards() throws Exception {
        try (var a = TestPlatform.start("held_triggers", with("held-a"));
             var b = second(a, "held-b")) {
            var flips = new SchemaFlips(a.databaseUrl);
            String token = a.adminToken;
            a.createVal(token, new JsonObject().put("name", "job").put("type", "script")
                    .put("code", "export default (x) => { console.log('job', x); return x * 2 }"));
            a.createVal(token, new JsonObject().put("name", "mail").put("type", "email")
                    .put("code", "export default (m) => { console.log('mail from', m.from) }"));
            var cron = a.createVal(token, new JsonObject().put("name", "tick").put("type", "cron").put("schedule", "every 1s")
                    .put("code", "export default () => { console.log('tick') }"));
            long cronId = Long.parseLong(cron.getString("id"));
            eventually("the cron val ticks", 10_000, () -> flips.count("SELECT count(*) FROM control.trigger_results WHERE val_id = " + cronId) > 0);

            flips.applyTestContractMigration();
            eventually("both runtimes incompatible", 10_000, () -> !a.valence.guard().current().compatible() && !b.guard().current().compatible());
            long cronRunsBefore = flips.count("SELECT count(*) FROM app.runs WHERE val_id = " + cronId);

            var headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "nightly-1");
            var held = a.send("POST", "/api/v1/vals/admin/job/run", token, "{\"args\": [21]}", headers);
            assertEquals(202, held.status(), held.body());
            assertEquals("held", held.json().getString("status"));
            assertEquals("nightly-1", held.json().getString("idempotencyKey"));
            assertEquals("schema_too_new", held.json().getString("reason"));
            assertEquals("5", held.header("retry-after"));
            String heldId = held.json().getString("heldId");
            assertEquals("/api/v1/vals/admin/job/held/" + heldId, held.json().getString("location"));
            var again = a.send("POST", "/api/v1/vals/admin/job/run", token, "{\"args\": [21]}", headers);
            assertEquals(heldId, again.json().getString("heldId"), "the same key is the same held item");
            var mail = a.post("/api/v1/email/admin/mail", token, "{\"from\": \"ann@example.com\", \"to\": \"mail@valence.test\"}");
            assertEquals(202, mail.status(), mail.body());
            assertEquals(401, a.post("/api/v1/email/admin/mail", null, "{\"from\": \"a@b\", \"to\": \"c@d\"}").status());
            assertEquals(400, a.post("/api/v1/email/admin/mail", token, "{\"to\": \"c@d\"}").status(), "validated while held too");
            assertEquals(503, a.get("/api/v1/vals/admin/job/held/" + heldId, token).status(), "the rest of the API waits for the schema");

            eventually("cron ticks are held", 10_000, () -> flips.count("SELECT count(*) FROM control.held_work WHERE kind = 'cron' AND done_at IS NULL") >= 2);
            assertEquals(cronRunsBefore, flips.count("SELECT count(*) FROM app.runs WHERE val_id = " + cronId), "no tick runs while incompatible");

            flips.removeContractRow(900);
            eventually("all held work ran", 20_000, () -> a.valence.guard().current().compatible()
                    && flips.count("SELECT count(*) FROM control.held_work WHERE done_at IS NULL") == 0);

            var outcome = a.get("/api/v1/vals/admin/job/held/" + heldId, token);
            assertEquals(200, outcome.status(), outcome.body());
            assertEquals("ran", outcome.json().getString("status"));
            var run = outcome.json().getJsonObject("run");
            assertEquals("success", run.getString("outcome"));
            assertEquals("script", run.getString("trigger"));
            assertEquals("[log] job 21", run.getString("logs"));
            // listing runs flushes this instance's recorder; the held email may have run on the other instance,
            // whose recorder writes it within its flush interval
            eventually("the email's run is recorded", 10_000,
                    () -> !a.get("/api/v1/vals/admin/mail/runs", token).json().getJsonArray("data").isEmpty());
            var mailRun = a.get("/api/v1/vals/admin/mail/runs", token).json().getJsonArray("data").getJsonObject(0);
            assertEquals(1, flips.count("SELECT count(*) FROM app.runs r JOIN app.vals v ON v.id = r.val_id WHERE v.name = 'job'"), "the script ran once");
            assertEquals(1, flips.count("SELECT count(*) FROM app.runs r JOIN app.vals v ON v.id = r.val_id WHERE v.name = 'mail'"), "the email ran once");
            assertEquals("[log] mail from ann@example.com", mailRun.getString("logs"));

            long heldTicks = flips.count("SELECT count(*) FROM control.held_work WHERE kind = 'cron'");
            long heldTicksRan = flips.count("SELECT count(*) FROM control.held_work h JOIN control.trigger_results t USING (idempotency_key) WHERE h.kind = 'cron'");
            assertEquals(heldTicks, heldTicksRan, "every held tick ran");
            a.valence.cron().close();
            b.cron().close();
            Thread.sleep(300);
            long cronKeys = flips.count("SELECT count(*) FROM control.trigger_results WHERE val_id = " + cronId);
            assertEquals(cronKeys, flips.count("SELECT count(*) FROM app.runs WHERE val_id = " + cronId), "each tick ran exactly once");
            var replay = a.send("POST", "/api/v1/vals/admin/job/run", token, "{\"args\": [21]}", headers);
            assertEquals(200, replay.status());
            assertEquals(run.getString("id"), replay.json().getString("runId"), "the key of the held request finds its run");
        }
    }

    @Test
    void a_held_cron_tick_tells_the_next_tick_when_it_ran_not_when_it_was_held() throws Exception {
        try (var a = TestPlatform.start("cron_held_last_run", with("held-last"))) {
            var flips = new SchemaFlips(a.databaseUrl);
            var cron = a.createVal(a.adminToken, new JsonObject().put("name", "pulse").put("type", "cron").put("schedule", "every 1s")
                    .put("code", "export default (interval) => { console.log(JSON.stringify(interval)) }"));
            long cronId = Long.parseLong(cron.getString("id"));
            String runs = "SELECT count(*) FROM app.runs WHERE val_id = " + cronId;
            eventually("the cron val ticks", 10_000, () -> flips.count(runs) > 0);

            flips.applyTestContractMigration();
            eventually("incompatible", 10_000, () -> !a.valence.guard().current().compatible());
            var incompatibleAt = java.time.Instant.now(); // from here until the repair, every tick is held
            eventually("ticks are held", 10_000, () -> flips.count("SELECT count(*) FROM control.held_work WHERE kind = 'cron' AND done_at IS NULL") >= 3);
            var repairedAt = java.time.Instant.now();
            flips.removeContractRow(900);
            eventually("the held ticks ran", 10_000, () -> flips.count("SELECT count(*) FROM control.held_work WHERE done_at IS NULL") == 0);
            long afterHeld = flips.count(runs);
            eventually("two ticks after the held ones", 10_000, () -> flips.count(runs) >= afterHeld + 2);
            a.valence.cron().close();

            var listed = a.get("/api/v1/vals/admin/pulse/runs?trigger=cron&limit=1000", a.adminToken).json().getJsonArray("data");
            for (int i = 0; i < listed.size(); i++) {
                String logged = listed.getJsonObject(i).getString("logs");
                String lastRunAt = new JsonObject(logged.substring("[log] ".length())).getString("lastRunAt");
                if (lastRunAt == null) continue;
                var at = java.time.Instant.parse(lastRunAt);
                assertTrue(at.isBefore(incompatibleAt) || at.isAfter(repairedAt),
                        "a tick was told lastRunAt " + at + ", while every tick was held (" + incompatibleAt + " to " + repairedAt + ")");
            }
            String newest = new JsonObject(listed.getJsonObject(0).getString("logs").substring("[log] ".length())).getString("lastRunAt");
            assertTrue(java.time.Instant.parse(newest).isAfter(repairedAt), "the newest tick was told " + newest + ", before the repair at " + repairedAt);
        }
    }

    /** Opens the live log tail of admin/{val} on runtime {@code b} and returns its lines once it listens. */
    private static java.util.Iterator<String> tail(TestPlatform a, Valence b, String val) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + b.port() + "/api/v1/vals/admin/" + val + "/logs/stream"))
                .header("Authorization", "Bearer " + a.adminToken).build();
        var response = a.client().send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        var lines = response.body().iterator();
        assertTrue(lines.next().startsWith(":"), "the stream opens with a comment");
        Thread.sleep(300);
        return lines;
    }

    @Test
    void the_log_tail_on_one_runtime_shows_the_runs_of_another() throws Exception {
        try (var a = TestPlatform.start("tail_across", with("tail-a"));
             var b = second(a, "tail-b")) {
            a.createVal(a.adminToken, new JsonObject().put("name", "job").put("type", "script")
                    .put("code", "export default () => { console.log('ran on a'); return 1 }"));
            var lines = tail(a, b, "job");
            String runId = a.post("/api/v1/vals/admin/job/run", a.adminToken, null).json().getString("runId");
            var seen = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (line.startsWith("data: ") && line.contains("\"line\"")) return new JsonObject(line.substring(6));
                }
                return null;
            }).get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(runId, seen.getString("runId"));
            assertEquals("script", seen.getString("trigger"));
            assertEquals("success", seen.getString("outcome"));
            assertEquals("[log] ran on a", seen.getString("line"));
        }
    }

    @Test
    void silent_http_runs_recorded_in_groups_reach_the_tail_on_another_runtime_and_the_runs_list() throws Exception {
        try (var a = TestPlatform.start("tail_groups", with("groups-a"));
             var b = second(a, "groups-b")) {
            a.createVal(a.adminToken, "quiet", "export default () => new Response('shh', { status: 202 })");
            var lines = tail(a, b, "quiet");
            for (int i = 0; i < 3; i++) assertEquals(202, a.get("/v/admin/quiet").status());
            var events = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                var runs = new java.util.ArrayList<JsonObject>();
                while (runs.size() < 3 && lines.hasNext()) {
                    String line = lines.next();
                    if (line.startsWith("data: ")) runs.add(new JsonObject(line.substring(6)));
                }
                return runs;
            }).get(15, java.util.concurrent.TimeUnit.SECONDS);
            var listed = a.get("/api/v1/vals/admin/quiet/runs", a.adminToken).json().getJsonArray("data");
            assertEquals(3, listed.size());
            var listedIds = new java.util.HashSet<String>();
            for (int i = 0; i < 3; i++) {
                JsonObject run = listed.getJsonObject(i);
                listedIds.add(run.getString("id"));
                assertEquals("http", run.getString("trigger"));
                assertEquals("success", run.getString("outcome"));
                assertEquals(202, run.getInteger("status"));
                assertEquals(run.getString("id"), a.get("/api/v1/vals/admin/quiet/runs/" + run.getString("id"), a.adminToken).json().getString("id"));
            }
            var tailedIds = new java.util.HashSet<String>();
            for (JsonObject event : events) {
                tailedIds.add(event.getString("runId"));
                assertEquals("http", event.getString("trigger"));
                assertEquals(202, event.getInteger("status"));
            }
            assertEquals(listedIds, tailedIds, "the tail on b saw exactly the runs a recorded");
            assertEquals(0, new SchemaFlips(a.databaseUrl).count("SELECT count(*) FROM app.runs r JOIN app.vals v ON v.id = r.val_id WHERE v.name = 'quiet'"),
                    "silent runs have no rows of their own");
        }
    }
}
