package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Run now": {@code POST /api/v1/vals/{owner}/{val}/run} runs cron vals (with their schedule's real
 * lastRunAt, leaving the schedule alone) and email vals (with a message) as well as scripts, records
 * them with trigger {@code manual}, refuses HTTP vals with 409, and is owner-only, idempotent and
 * held during a schema mismatch like a script run.
 */
class RunNowTest {
    static TestPlatform platform;
    static SchemaFlips flips;
    static String admin;
    static String bob;

    @BeforeAll
    static void start() {
        var settings = new HashMap<String, String>(Map.of("CRON_MIN_INTERVAL_SECONDS", "1", "CRON_POLL_MS", "100",
                "CRON_SYNC_MS", "200", "SCHEMA_POLL_MS", "200"));
        platform = TestPlatform.start("run_now", settings);
        flips = new SchemaFlips(platform.databaseUrl);
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

    private static String text(String query) {
        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "");
             var rows = connection.createStatement().executeQuery(query)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    private static String taskData(String valId) {
        return text("SELECT convert_from(task_data, 'UTF8') FROM control.scheduled_tasks WHERE task_name = 'cron-val' AND task_instance = '" + valId + "'");
    }

    @Test
    void a_cron_val_runs_by_hand_with_its_schedules_last_run_time_and_the_schedule_does_not_move() throws Exception {
        var created = platform.createVal(admin, val("ticker", "cron", "export default (interval) => { console.log(JSON.stringify(interval)); return 'ignored'; }")
                .put("schedule", "every 1s"));
        String valId = created.getString("id");
        eventually("a scheduled tick ran", 10_000, () -> {
            String data = taskData(valId);
            return data != null && new JsonObject(data).getString("lastRunAt") != null;
        });
        platform.valence.cron().close(); // no more ticks: the schedule's state holds still from here
        Thread.sleep(300);
        String dataBefore = taskData(valId);
        String nextBefore = text("SELECT execution_time::text FROM control.scheduled_tasks WHERE task_instance = '" + valId + "'");
        String lastRunAt = new JsonObject(dataBefore).getString("lastRunAt");

        var reply = platform.post("/api/v1/vals/admin/ticker/run", admin, "{}");
        assertEquals(200, reply.status(), reply.body());
        var json = reply.json();
        assertEquals("manual", json.getString("trigger"));
        assertEquals("success", json.getString("outcome"));
        assertEquals("[log] " + new JsonObject().put("lastRunAt", lastRunAt).encode(), json.getString("logs"));
        assertEquals("ignored", json.getString("result"), "the handler's value comes back as for a script");

        assertEquals(dataBefore, taskData(valId), "a manual run leaves the schedule's lastRunAt alone");
        assertEquals(nextBefore, text("SELECT execution_time::text FROM control.scheduled_tasks WHERE task_instance = '" + valId + "'"));

        var manual = platform.get("/api/v1/vals/admin/ticker/runs?trigger=manual", admin).json().getJsonArray("data");
        assertEquals(1, manual.size());
        assertEquals(json.getString("runId"), manual.getJsonObject(0).getString("id"));
        assertEquals("manual", manual.getJsonObject(0).getString("trigger"));
        var cronRuns = platform.get("/api/v1/vals/admin/ticker/runs?trigger=cron&limit=1000", admin).json().getJsonArray("data");
        for (int i = 0; i < cronRuns.size(); i++) {
            assertTrue(!cronRuns.getJsonObject(i).getString("id").equals(json.getString("runId")), "the manual run is not a cron run");
        }
        // stored so that older builds read it: a script run (run on demand) with the manual flag
        assertEquals("script|true", text("SELECT trigger || '|' || manual FROM app.runs WHERE id = " + json.getString("runId")));
    }

    @Test
    void a_cron_val_that_never_ticked_gets_a_null_last_run_time() {
        platform.createVal(admin, val("yearly", "cron", "export default (interval) => console.log(JSON.stringify(interval))")
                .put("schedule", "@yearly"));
        var reply = platform.post("/api/v1/vals/admin/yearly/run", admin, null);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("[log] {\"lastRunAt\":null}", reply.json().getString("logs"));
        assertEquals("manual", reply.json().getString("trigger"));
    }

    @Test
    void an_email_val_runs_by_hand_with_a_message_read_as_the_email_endpoint_reads_it() {
        platform.createVal(admin, val("inbox", "email", "export default (email) => { console.log(JSON.stringify(email)); }"));
        var message = new JsonObject().put("from", "ann@example.com").put("to", "inbox@valence.test").put("subject", "Hi").put("text", "Hello");
        var reply = platform.post("/api/v1/vals/admin/inbox/run", admin, new JsonObject().put("message", message).encode());
        assertEquals(200, reply.status(), reply.body());
        var json = reply.json();
        assertEquals("manual", json.getString("trigger"));
        assertEquals("success", json.getString("outcome"));
        assertEquals(new JsonObject().put("from", "ann@example.com").put("to", new JsonArray().add("inbox@valence.test"))
                .put("cc", new JsonArray()).put("bcc", new JsonArray()).put("subject", "Hi").put("text", "Hello").putNull("html")
                .put("headers", new JsonObject()).put("attachments", new JsonArray()),
                new JsonObject(json.getString("logs").substring("[log] ".length())));
        // the email endpoint's run of the same message sees the same object
        var delivered = platform.post("/api/v1/email/admin/inbox", admin, message.encode());
        assertEquals(json.getString("logs"), delivered.json().getString("logs"));
        assertEquals("email", delivered.json().getString("trigger"));

        var noMessage = platform.post("/api/v1/vals/admin/inbox/run", admin, "{}");
        assertEquals(400, noMessage.status());
        assertEquals("admin/inbox is an email val: send the email to run it with as {\"message\": {\"from\": \"...\", \"to\": \"...\","
                + " \"subject\": \"...\", \"text\": \"...\"}} (the fields of POST /api/v1/email/{owner}/{val}).",
                noMessage.json().getJsonObject("error").getString("message"));
        var noFrom = platform.post("/api/v1/vals/admin/inbox/run", admin, "{\"message\": {\"to\": \"x@y\"}}");
        assertEquals(400, noFrom.status());
        assertEquals("In 'message': 'from' is required: the sender's address as a string.", noFrom.json().getJsonObject("error").getString("message"));
        var notObject = platform.post("/api/v1/vals/admin/inbox/run", admin, "{\"message\": \"hi\"}");
        assertEquals("'message' must be an object: the email as POST /api/v1/email/{owner}/{val} takes it.",
                notObject.json().getJsonObject("error").getString("message"));
        var both = platform.post("/api/v1/vals/admin/inbox/run", admin, "{\"args\": [], \"message\": {\"from\": \"a@b\", \"to\": \"c@d\"}}");
        assertEquals("Send 'args' (for a script val) or 'message' (for an email val), not both.", both.json().getJsonObject("error").getString("message"));
        assertEquals(1, platform.get("/api/v1/vals/admin/inbox/runs?trigger=manual", admin).json().getJsonArray("data").size(), "refused bodies ran nothing");
    }

    @Test
    void a_body_that_does_not_fit_the_val_is_refused_with_what_to_send() {
        platform.createVal(admin, val("hourly", "cron", "export default () => {}").put("schedule", "@hourly"));
        platform.createVal(admin, val("script", "script", "export default () => 1"));
        var cronArgs = platform.post("/api/v1/vals/admin/hourly/run", admin, "{\"args\": [1]}");
        assertEquals(400, cronArgs.status());
        assertEquals("admin/hourly is a cron val: run it with an empty body {}; it is called with its schedule's { lastRunAt },"
                + " as on a scheduled tick.", cronArgs.json().getJsonObject("error").getString("message"));
        var scriptMessage = platform.post("/api/v1/vals/admin/script/run", admin, "{\"message\": {\"from\": \"a@b\", \"to\": \"c@d\"}}");
        assertEquals(400, scriptMessage.status());
        assertEquals("admin/script is a script val: send its arguments as {\"args\": [...]}, not a 'message'.",
                scriptMessage.json().getJsonObject("error").getString("message"));
    }

    @Test
    void an_http_val_is_not_runnable_and_only_the_owner_runs_cron_and_email_vals() {
        platform.createVal(admin, val("page", "http", "export default () => new Response('hi')"));
        var reply = platform.post("/api/v1/vals/admin/page/run", admin, "{}");
        assertEquals(409, reply.status(), reply.body());
        assertEquals(new JsonObject().put("code", "not_runnable").put("message",
                "admin/page is an HTTP val: it runs when its URL is requested (/v/admin/page). Run now is for script, cron and email vals."),
                reply.json().getJsonObject("error"));

        platform.createVal(admin, val("mine", "cron", "export default () => {}").put("schedule", "@daily"));
        platform.createVal(admin, val("hidden", "email", "export default () => {}").put("privacy", "private"));
        var notYours = platform.post("/api/v1/vals/admin/mine/run", bob, "{}");
        assertEquals(403, notYours.status());
        assertEquals("admin/mine belongs to admin; only its owner can run it (a run uses the owner's environment variables and storage).",
                notYours.json().getJsonObject("error").getString("message"));
        assertEquals(404, platform.post("/api/v1/vals/admin/hidden/run", bob, "{\"message\": {\"from\": \"a@b\", \"to\": \"c@d\"}}").status());
        assertEquals(401, platform.post("/api/v1/vals/admin/mine/run", null, "{}").status());
        assertEquals(0, platform.get("/api/v1/vals/admin/mine/runs", admin).json().getJsonArray("data").size());
    }

    @Test
    void a_manual_run_answers_like_a_script_run_and_a_repeated_idempotency_key_replays_it() {
        platform.createVal(admin, val("job", "script", "export default () => 1"));
        platform.createVal(admin, val("daily", "cron", "export default () => { console.log('ran'); }").put("schedule", "@daily"));
        var script = platform.post("/api/v1/vals/admin/job/run", admin, "{}").json();
        var headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "by-hand-1");
        var first = platform.send("POST", "/api/v1/vals/admin/daily/run", admin, "{}", headers);
        assertEquals(200, first.status(), first.body());
        assertEquals(script.fieldNames(), first.json().fieldNames(), "the same fields as a script run's answer");
        var second = platform.send("POST", "/api/v1/vals/admin/daily/run", admin, "{}", headers);
        assertEquals(200, second.status(), second.body());
        assertEquals(first.json().getString("runId"), second.json().getString("runId"));
        assertTrue(second.json().getBoolean("replayed"));
        assertEquals("manual", second.json().getString("trigger"));
        assertEquals("[log] ran", second.json().getString("logs"));
        assertEquals(1, platform.get("/api/v1/vals/admin/daily/runs", admin).json().getJsonArray("data").size(), "it ran once");
    }

    @Test
    void runs_by_hand_are_held_while_the_schema_is_incompatible_and_run_once_afterwards() throws Exception {
        platform.createVal(admin, val("later", "cron", "export default (i) => { console.log('later', i.lastRunAt); }").put("schedule", "@yearly"));
        platform.createVal(admin, val("mailbox", "email", "export default (m) => { console.log('from', m.from); }"));
        platform.createVal(admin, val("site", "http", "export default () => new Response('x')"));
        flips.applyTestContractMigration();
        try {
            eventually("incompatible", 10_000, () -> !platform.valence.guard().current().compatible());
            var headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "held-cron");
            var cron = platform.send("POST", "/api/v1/vals/admin/later/run", admin, "{}", headers);
            assertEquals(202, cron.status(), cron.body());
            assertEquals("held", cron.json().getString("status"));
            assertEquals("held-cron", cron.json().getString("idempotencyKey"));
            var again = platform.send("POST", "/api/v1/vals/admin/later/run", admin, "{}", headers);
            assertEquals(cron.json().getString("heldId"), again.json().getString("heldId"), "the same key is the same held item");
            var mail = platform.post("/api/v1/vals/admin/mailbox/run", admin, "{\"message\": {\"from\": \"ann@example.com\", \"to\": \"m@x\"}}");
            assertEquals(202, mail.status(), mail.body());
            assertEquals(400, platform.post("/api/v1/vals/admin/mailbox/run", admin, "{\"message\": {\"to\": \"m@x\"}}").status(),
                    "the message is checked while held too");
            var site = platform.post("/api/v1/vals/admin/site/run", admin, "{}");
            assertEquals(202, site.status(), "the val's type is not known while held");
            assertEquals(3, flips.count("SELECT count(*) FROM control.held_work WHERE kind = 'run' AND done_at IS NULL"));

            flips.removeContractRow(900);
            eventually("the held runs ran", 20_000, () -> platform.valence.guard().current().compatible()
                    && flips.count("SELECT count(*) FROM control.held_work WHERE done_at IS NULL") == 0);

            var cronRun = platform.get("/api/v1/vals/admin/later/held/" + cron.json().getString("heldId"), admin).json();
            assertEquals("ran", cronRun.getString("status"), cronRun.encode());
            assertEquals("manual", cronRun.getJsonObject("run").getString("trigger"));
            assertEquals("[log] later null", cronRun.getJsonObject("run").getString("logs"));
            var mailRun = platform.get("/api/v1/vals/admin/mailbox/held/" + mail.json().getString("heldId"), admin).json();
            assertEquals("ran", mailRun.getString("status"), mailRun.encode());
            assertEquals("manual", mailRun.getJsonObject("run").getString("trigger"));
            assertEquals("[log] from ann@example.com", mailRun.getJsonObject("run").getString("logs"));
            var siteRun = platform.get("/api/v1/vals/admin/site/held/" + site.json().getString("heldId"), admin).json();
            assertEquals("refused", siteRun.getString("status"));
            assertEquals("error: admin/site is an HTTP val: it runs when its URL is requested (/v/admin/site). Run now is for script, cron and email vals.",
                    siteRun.getString("message"));
            assertEquals(1, platform.get("/api/v1/vals/admin/later/runs", admin).json().getJsonArray("data").size(), "the cron val ran once");
            var replay = platform.send("POST", "/api/v1/vals/admin/later/run", admin, "{}", headers);
            assertEquals(200, replay.status());
            assertEquals(cronRun.getJsonObject("run").getString("id"), replay.json().getString("runId"), "the key of the held run finds its run");
        } finally {
            flips.removeContractRow(900);
        }
    }
}
