package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While the schema is incompatible, run requests are held in control.held_work: only those an
 * authenticated owner sent for an existing val, and only within the owner's quota (count and bytes).
 */
class HeldWorkFromStrangersTest {
    private static TestPlatform platform;
    private static DataSource db;
    private static String bob;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start("held_strangers", Map.of("HELD_WORK_MAX_PER_OWNER", "2", "HELD_WORK_MAX_BYTES_PER_OWNER", "8192"));
        db = TestDatabase.dataSource(platform.databaseUrl);
        bob = platform.createUser("bob");
        platform.createVal(platform.adminToken, new JsonObject().put("name", "job").put("type", "script")
                .put("code", "export default (n) => n"));
        // a contract migration this build is too old for: the schema guard turns incompatible
        sql("INSERT INTO control.schema_contract (version, kind, min_code_level, description) VALUES (900, 'contract', 900, 'test')");
        long deadline = System.currentTimeMillis() + 10_000;
        while (platform.valence.guard().current().compatible()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("the guard never saw the contract row");
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        sql("DELETE FROM control.schema_contract WHERE version = 900");
        platform.close();
    }

    private static void sql(String statement) throws SQLException {
        try (var connection = db.getConnection(); var s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    private static long heldRequests() throws SQLException {
        try (var connection = db.getConnection(); var rows = connection.createStatement()
                .executeQuery("SELECT count(*) FROM control.held_work WHERE kind <> 'cron'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static TestPlatform.Reply run(String path, String authorization, String key, String body) {
        return platform.send("POST", path, null, body, authorization == null
                ? Map.of("Idempotency-Key", key) : Map.of("Authorization", authorization, "Idempotency-Key", key));
    }

    @Test
    void a_token_of_no_one_holds_nothing() throws Exception {
        long before = heldRequests();
        var reply = run("/api/v1/vals/admin/job/run", "Bearer made-up-token", "stranger-1", "{}");
        assertEquals(401, reply.status(), reply.body());
        assertEquals("The token is not valid (unknown, deleted or mistyped).", reply.json().getJsonObject("error").getString("message"));
        assertEquals(before, heldRequests());
    }

    @Test
    void a_val_that_does_not_exist_holds_nothing() throws Exception {
        long before = heldRequests();
        var reply = run("/api/v1/vals/admin/no-such-val/run", "Bearer " + platform.adminToken, "missing-1", "{}");
        assertEquals(404, reply.status(), reply.body());
        assertEquals("No val named admin/no-such-val.", reply.json().getJsonObject("error").getString("message"));
        assertEquals(before, heldRequests());
    }

    @Test
    void another_users_token_holds_nothing() throws Exception {
        long before = heldRequests();
        var reply = run("/api/v1/vals/admin/job/run", "Bearer " + bob, "bob-1", "{}");
        assertEquals(403, reply.status(), reply.body());
        assertEquals("admin/job belongs to admin; only its owner can run it (a run uses the owner's environment variables and storage).",
                reply.json().getJsonObject("error").getString("message"));
        assertEquals(before, heldRequests());
    }

    @Test
    void when_even_the_owner_cannot_be_checked_nothing_is_held_and_the_answer_says_so() throws Exception {
        long before = heldRequests();
        // a migration part-way through renaming what the check reads
        sql("ALTER TABLE app.vals RENAME COLUMN owner_id TO owner_id_renamed");
        TestPlatform.Reply reply;
        try {
            reply = run("/api/v1/vals/admin/job/run", "Bearer " + platform.adminToken, "unchecked-1", "{}");
        } finally {
            sql("ALTER TABLE app.vals RENAME COLUMN owner_id_renamed TO owner_id");
        }
        assertEquals(503, reply.status(), reply.body());
        assertEquals("5", reply.header("retry-after"));
        assertEquals(new JsonObject().put("error", new JsonObject().put("code", "cannot_hold").put("message",
                "The request cannot be held now: the token and the val admin/job cannot be checked while the service's database"
                        + " schema is being changed (SQLSTATE 42703), and only their owner's requests are held. Nothing was held;"
                        + " send it again in a moment.")), reply.json());
        assertEquals(before, heldRequests());
    }

    @Test
    void the_owners_requests_are_held_within_the_quota_and_refused_with_a_sentence_past_it() throws Exception {
        String owner = "Bearer " + platform.adminToken;
        String big = new JsonObject().put("args", new JsonArray().add("x".repeat(9000))).encode();
        var tooBig = run("/api/v1/vals/admin/job/run", owner, "quota-big", big);
        assertEquals(429, tooBig.status(), tooBig.body());
        assertEquals("held_work_quota", tooBig.json().getJsonObject("error").getString("code"));
        assertEquals("admin has 0 requests (0 bytes) held while the service's database schema is incompatible; this one ("
                        + tooBig.json().getJsonObject("error").getLong("bytes") + " bytes) would pass the owner's limit of 2 requests"
                        + " or 8192 bytes (HELD_WORK_MAX_PER_OWNER, HELD_WORK_MAX_BYTES_PER_OWNER), so it was not held."
                        + " Send it again once the service is back.",
                tooBig.json().getJsonObject("error").getString("message"));

        var first = run("/api/v1/vals/admin/job/run", owner, "quota-1", "{\"args\": [1]}");
        assertEquals(202, first.status(), first.body());
        assertEquals("held", first.json().getString("status"));
        assertEquals(202, run("/api/v1/vals/admin/job/run", owner, "quota-2", "{\"args\": [2]}").status());
        // the same key again is the same item, not a new one: no quota needed
        var again = run("/api/v1/vals/admin/job/run", owner, "quota-1", "{\"args\": [1]}");
        assertEquals(202, again.status(), again.body());
        assertEquals(first.json().getString("heldId"), again.json().getString("heldId"));

        var third = run("/api/v1/vals/admin/job/run", owner, "quota-3", "{\"args\": [3]}");
        assertEquals(429, third.status(), third.body());
        assertEquals("5", third.header("retry-after"));
        String message = third.json().getJsonObject("error").getString("message");
        assertEquals(true, message.startsWith("admin has 2 requests ("), message);
        assertEquals(2, heldRequests());
    }
}
