package dev.valence.status.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.foundation.outbound.AllowList;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A maintenance window's times beyond what the database holds answer 400 with a sentence, not 500. */
class MaintenanceDatesOutOfRangeTest {
    private static RunningStatusPage page;

    @BeforeAll
    static void start() throws Exception {
        page = new RunningStatusPage(AllowList.NONE);
    }

    @AfterAll
    static void stop() throws Exception {
        page.close();
    }

    private static RunningStatusPage.Response schedule(String from, String until) throws Exception {
        return page.post("/api/v2/scheduled-maintenances", new JsonObject().put("name", "Database upgrade").put("body", "Planned.")
                .put("scheduled_for", from).put("scheduled_until", until));
    }

    @Test
    void a_window_beyond_the_year_9999_is_refused_with_a_sentence() throws Exception {
        var reply = schedule("2026-12-01T02:00:00Z", "+999999-12-01T03:00:00Z");
        assertEquals(400, reply.status(), reply.body());
        assertEquals(new JsonObject().put("error", new JsonObject().put("code", "bad_request")
                .put("message", "'scheduled_until' must be between the years 1 and 9999, got '+999999-12-01T03:00:00Z'.")), reply.json());
    }

    @Test
    void a_window_before_the_year_1_is_refused_with_a_sentence() throws Exception {
        var reply = schedule("-4712-01-01T00:00:00Z", "2026-12-01T03:00:00Z");
        assertEquals(400, reply.status(), reply.body());
        assertEquals(new JsonObject().put("error", new JsonObject().put("code", "bad_request")
                .put("message", "'scheduled_for' must be between the years 1 and 9999, got '-4712-01-01T00:00:00Z'.")), reply.json());
    }

    @Test
    void a_window_in_range_is_scheduled() throws Exception {
        var reply = schedule("9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z");
        assertEquals(201, reply.status(), reply.body());
    }
}
