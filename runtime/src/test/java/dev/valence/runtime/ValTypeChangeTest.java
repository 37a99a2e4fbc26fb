package dev.valence.runtime;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A PUT changes a val's type in place: saved with the new version, checked like a create, audited, and
 * followed by every trigger (cron ticks start and stop, HTTP answers or refuses, email arrives).
 */
class ValTypeChangeTest {
    static TestPlatform platform;
    static String admin;
    static SchemaFlips db;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("val_type_change", Map.of("CRON_MIN_INTERVAL_SECONDS", "1", "CRON_POLL_MS", "100",
                "CRON_SYNC_MS", "200"));
        admin = platform.adminToken;
        db = new SchemaFlips(platform.databaseUrl);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static TestPlatform.Reply put(String val, JsonObject body) {
        return platform.put("/api/v1/vals/admin/" + val, admin, body.encode());
    }

    private static long rows(String where) {
        return db.count("SELECT count(*) FROM app.vals v JOIN app.users u ON u.id = v.owner_id WHERE u.name = 'admin' AND " + where);
    }

    private static JsonObject error(TestPlatform.Reply reply) {
        return reply.json().getJsonObject("error");
    }

    @Test
    void an_http_val_changed_to_a_script_is_a_new_version_audited_that_runs_now_and_no_longer_answers_web_requests() {
        platform.createVal(admin, "greeter", "export default () => new Response('hi')");
        assertEquals("hi", platform.get("/v/admin/greeter").body());

        var saved = put("greeter", new JsonObject().put("type", "script").put("code", "export default (n) => n * 2"));
        assertEquals(200, saved.status(), saved.body());
        assertEquals("script", saved.json().getString("type"));
        assertEquals(2, saved.json().getInteger("version"));
        assertEquals("\"2\"", saved.header("ETag"));
        assertFalse(saved.json().containsKey("url"), "only http vals have a URL: " + saved.body());
        assertFalse(saved.json().containsKey("schedule"), saved.body());
        assertEquals(1, rows("v.name = 'greeter' AND v.type = 'script' AND v.schedule IS NULL AND v.latest_version = 2"));

        var web = platform.get("/v/admin/greeter");
        assertEquals(404, web.status(), web.body());
        assertEquals("not_an_http_val", error(web).getString("code"));
        assertEquals("admin/greeter is a script val; only http vals answer web requests.", error(web).getString("message"));
        var run = platform.post("/api/v1/vals/admin/greeter/run", admin, "{\"args\": [21]}");
        assertEquals(200, run.status(), run.body());
        assertEquals("script", run.json().getString("trigger"));
        assertEquals(42, run.json().getInteger("result"));
        assertEquals(2, run.json().getInteger("version"));

        var audit = platform.get("/api/v1/audit?action=val.update", admin).json().getJsonArray("data");
        var entry = audit.stream().map(JsonObject.class::cast).filter(e -> e.getString("target").equals("admin/greeter")).findFirst().orElseThrow();
        assertEquals("type http to script, public, version 2", entry.getString("detail"));
    }

    @Test
    void turning_a_val_into_a_cron_val_needs_a_schedule_checked_as_at_create_and_a_refused_change_saves_nothing() {
        platform.createVal(admin, "later", "export default () => new Response('now')");
        String code = "export default () => {}";

        var missing = put("later", new JsonObject().put("type", "cron").put("code", code));
        assertEquals(400, missing.status(), missing.body());
        var createMissing = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "later2").put("type", "cron").put("code", code).encode());
        assertEquals(400, createMissing.status());
        assertEquals(error(createMissing), error(missing));
        assertEquals("A cron val needs a 'schedule' (a cron expression such as '*/5 * * * *', or an interval such as 'every 5m').",
                error(missing).getString("message"));

        var badSchedule = put("later", new JsonObject().put("type", "cron").put("schedule", "* * * *").put("code", code));
        assertEquals(400, badSchedule.status(), badSchedule.body());
        assertEquals(new JsonObject().put("code", "invalid_schedule").put("message",
                "The cron expression '* * * *' has 4 fields; it needs 5 (minute hour day-of-month month day-of-week, in UTC), such as '*/5 * * * *'."),
                error(badSchedule));
        var tooOften = put("later", new JsonObject().put("type", "cron").put("schedule", "every 500ms").put("code", code));
        assertEquals(400, tooOften.status(), tooOften.body());
        var createTooOften = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "later2").put("type", "cron")
                .put("schedule", "every 500ms").put("code", code).encode());
        assertEquals(error(createTooOften), error(tooOften));

        var unknown = put("later", new JsonObject().put("type", "webhook").put("code", code));
        assertEquals(400, unknown.status(), unknown.body());
        var createUnknown = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "later2").put("type", "webhook").put("code", code).encode());
        assertEquals(error(createUnknown), error(unknown));
        assertEquals("'type' must be one of cron, email, http, script, got 'webhook'.", error(unknown).getString("message"));

        var scheduledHttp = put("later", new JsonObject().put("type", "script").put("schedule", "every 5m").put("code", code));
        assertEquals(400, scheduledHttp.status(), scheduledHttp.body());
        assertEquals("Only cron vals take a 'schedule'.", error(scheduledHttp).getString("message"));

        assertEquals(1, rows("v.name = 'later' AND v.type = 'http' AND v.schedule IS NULL AND v.latest_version = 1"), "nothing was saved");
        assertEquals(0, rows("v.name = 'later2'"));
        assertEquals("now", platform.get("/v/admin/later").body());
    }

    @Test
    void an_http_val_turned_cron_ticks_and_turned_back_to_http_stops_ticking_and_answers_again() throws Exception {
        long id = Long.parseLong(platform.createVal(admin, "flip", "export default () => new Response('web')").getString("id"));
        var toCron = put("flip", new JsonObject().put("type", "cron").put("schedule", "every 1s").put("code", "export default () => { console.log('tick') }"));
        assertEquals(200, toCron.status(), toCron.body());
        assertEquals("cron", toCron.json().getString("type"));
        assertEquals("every 1s", toCron.json().getString("schedule"));
        assertFalse(toCron.json().containsKey("url"), toCron.body());
        assertEquals(404, platform.get("/v/admin/flip").status());
        eventually("the val turned cron ticks", 10_000, () -> db.count("SELECT count(*) FROM app.runs WHERE trigger = 'cron' AND version = 2 AND val_id = " + id) >= 2);

        // a save that does not name the type keeps it and the schedule
        var kept = put("flip", new JsonObject().put("code", "export default () => { console.log('tock') }"));
        assertEquals(200, kept.status(), kept.body());
        assertEquals("cron", kept.json().getString("type"));
        assertEquals("every 1s", kept.json().getString("schedule"));

        var toHttp = put("flip", new JsonObject().put("type", "http").put("code", "export default () => new Response('web again')"));
        assertEquals(200, toHttp.status(), toHttp.body());
        assertEquals("http", toHttp.json().getString("type"));
        assertEquals(4, toHttp.json().getInteger("version"));
        assertFalse(toHttp.json().containsKey("schedule"), toHttp.body());
        assertEquals(platform.baseUrl + "/v/admin/flip", toHttp.json().getString("url"));
        assertEquals(1, rows("v.name = 'flip' AND v.type = 'http' AND v.schedule IS NULL AND v.latest_version = 4"));
        assertEquals("web again", platform.get("/v/admin/flip").body());

        eventually("the cron sync cancels its task", 10_000,
                () -> db.count("SELECT count(*) FROM control.scheduled_tasks WHERE task_name = 'cron-val' AND task_instance = '" + id + "'") == 0);
        long cronRuns = db.count("SELECT count(*) FROM app.runs WHERE trigger = 'cron' AND val_id = " + id);
        // another cron val is the clock: three of its ticks later, the http val still got none
        long clock = Long.parseLong(platform.createVal(admin, new JsonObject().put("name", "clock").put("type", "cron").put("schedule", "every 1s")
                .put("code", "export default () => {}")).getString("id"));
        eventually("three ticks of another cron val", 15_000, () -> db.count("SELECT count(*) FROM app.runs WHERE trigger = 'cron' AND val_id = " + clock) >= 3);
        assertEquals(cronRuns, db.count("SELECT count(*) FROM app.runs WHERE trigger = 'cron' AND val_id = " + id), "no tick after the task was cancelled");
        assertEquals(0, db.count("SELECT count(*) FROM app.runs WHERE trigger = 'cron' AND version = 4 AND val_id = " + id), "no tick of the http version");
        assertEquals("web again", platform.get("/v/admin/flip").body());
    }

    @Test
    void a_script_turned_into_an_email_val_receives_mail() {
        platform.createVal(admin, new JsonObject().put("name", "postbox").put("type", "script").put("code", "export default () => 1"));
        var message = new JsonObject().put("from", "ann@example.com").put("to", "postbox@valence.test").put("subject", "Hi").put("text", "Hello").encode();
        var refused = platform.post("/api/v1/email/admin/postbox", admin, message);
        assertEquals(400, refused.status(), refused.body());
        assertEquals("admin/postbox is a script val; only email vals can be sent email.", error(refused).getString("message"));

        var saved = put("postbox", new JsonObject().put("type", "email").put("code", "export default (m) => { console.log(m.subject) }"));
        assertEquals(200, saved.status(), saved.body());
        assertEquals("email", saved.json().getString("type"));

        var received = platform.post("/api/v1/email/admin/postbox", admin, message);
        assertEquals(200, received.status(), received.body());
        assertEquals("email", received.json().getString("trigger"));
        assertEquals("success", received.json().getString("outcome"));
        assertEquals("[log] Hi", received.json().getString("logs"));
    }

    @Test
    void a_type_change_with_a_stale_if_match_gets_412_and_changes_nothing() {
        platform.createVal(admin, "guarded", "export default () => new Response('v1')");
        var stale = platform.send("PUT", "/api/v1/vals/admin/guarded", admin,
                new JsonObject().put("type", "script").put("code", "export default () => 1").encode(),
                Map.of("Content-Type", "application/json", "If-Match", "\"7\""));
        assertEquals(412, stale.status(), stale.body());
        assertEquals("stale_version", error(stale).getString("code"));
        assertEquals(1, rows("v.name = 'guarded' AND v.type = 'http' AND v.latest_version = 1"));
        assertEquals("v1", platform.get("/v/admin/guarded").body());
    }

    @Test
    void the_store_refuses_to_keep_a_schedule_the_val_no_longer_has() {
        var vals = new ValStore(TestDatabase.dataSource(platform.databaseUrl));
        long id = Long.parseLong(platform.createVal(admin, "plain", "export default () => new Response('x')").getString("id"));
        // type cron without a schedule, as a save that read a cron val would send after another turned it http
        var result = vals.saveVersionIf(id, new ValStore.Code("export default () => {}", null, null), null, Val.Type.CRON, null, null);
        assertInstanceOf(ValStore.Conditional.Unscheduled.class, result);
        assertEquals(1, rows("v.name = 'plain' AND v.type = 'http' AND v.latest_version = 1"), "nothing was saved");
        assertEquals(new JsonArray().add(new JsonObject().put("version", 1)),
                new JsonArray(platform.get("/api/v1/vals/admin/plain/versions", admin).json().getJsonArray("data").stream()
                        .map(v -> new JsonObject().put("version", ((JsonObject) v).getInteger("version"))).toList()));
    }
}
