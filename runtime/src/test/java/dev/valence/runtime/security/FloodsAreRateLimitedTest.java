package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A token, a client address or a val that sends more than its limit a minute gets 429 with
 * Retry-After and a JSON sentence naming the limit; others are not held back; /metrics counts it.
 */
class FloodsAreRateLimitedTest {

    @Test
    void each_limit_refuses_its_own_flood_with_429_retry_after_and_a_sentence() {
        try (var platform = TestPlatform.start("rate_limits", Map.of(
                "API_RATE_PER_TOKEN_PER_MINUTE", "5", "API_RATE_PER_ADDRESS_PER_MINUTE", "12", "VAL_RATE_PER_MINUTE", "3"))) {
            String admin = platform.adminToken;
            // three API requests with the admin's token from this address
            String owner = platform.createVal(admin, "hi", "export default () => new Response('hi')").getString("owner");
            platform.createVal(admin, "other", "export default () => new Response('other')");
            String bob = platform.createUser("bob");

            // a val: 3 a minute, then 429; another val is not held back
            for (int i = 0; i < 3; i++) assertEquals(200, platform.get("/v/" + owner + "/hi").status());
            var val = platform.get("/v/" + owner + "/hi");
            assertRefused(val, 20, "Too many requests to " + owner + "/hi: the limit is 3 a minute per val (VAL_RATE_PER_MINUTE)");
            assertEquals(200, platform.get("/v/" + owner + "/other").status());

            // a token: 5 a minute (3 used above, and the bucket refills one every 12 s while the vals were made), then 429;
            // another user's token still passes
            assertRefused(untilRefused(platform, admin, 200), 12,
                    "Too many API requests with this token: the limit is 5 a minute per token (API_RATE_PER_TOKEN_PER_MINUTE)");
            assertEquals(200, platform.get("/api/v1/me", bob).status());

            // an address: 12 a minute whatever the token, unauthenticated requests included
            assertRefused(untilRefused(platform, null, 401), 5,
                    "Too many API requests from 127.0.0.1: the limit is 12 a minute per client address (API_RATE_PER_ADDRESS_PER_MINUTE)");
            assertRefused(platform.get("/api/v1/me", bob), 5,
                    "Too many API requests from 127.0.0.1: the limit is 12 a minute per client address (API_RATE_PER_ADDRESS_PER_MINUTE)");

            // health, readiness and metrics are not limited, and the metrics count the refusals by scope
            assertEquals(200, platform.get("/healthz").status());
            String metrics = platform.get("/metrics").body();
            assertTrue(metrics.contains("valence_rate_limited_total{scope=\"val\"} 1.0"), metrics);
            assertTrue(metrics.contains("valence_rate_limited_total{scope=\"token\"} 1.0"), metrics);
            assertTrue(metrics.contains("valence_rate_limited_total{scope=\"address\"} 2.0"), metrics);
        }
    }

    @Test
    void a_limit_of_zero_turns_it_off() {
        try (var platform = TestPlatform.start("rate_limits_off", Map.of(
                "API_RATE_PER_TOKEN_PER_MINUTE", "0", "API_RATE_PER_ADDRESS_PER_MINUTE", "0", "VAL_RATE_PER_MINUTE", "0"))) {
            String owner = platform.createVal(platform.adminToken, "hi", "export default () => new Response('hi')").getString("owner");
            for (int i = 0; i < 50; i++) {
                assertEquals(200, platform.get("/api/v1/me", platform.adminToken).status());
                assertEquals(200, platform.get("/v/" + owner + "/hi").status());
            }
        }
    }

    /** Sends GET /api/v1/me until it is refused; every answer before must have the usual status. */
    private static TestPlatform.Reply untilRefused(TestPlatform platform, String token, int usualStatus) {
        for (int i = 0; i < 30; i++) {
            var reply = platform.get("/api/v1/me", token);
            if (reply.status() == 429) return reply;
            assertEquals(usualStatus, reply.status(), reply.body());
        }
        throw new AssertionError("30 requests in a row were not refused");
    }

    /**
     * 429 with Retry-After in whole seconds (at most the bucket's refill interval, at least 1: less when
     * the requests before took a while) and the error sentence ending in that wait.
     */
    private static void assertRefused(TestPlatform.Reply reply, int intervalSeconds, String sentence) {
        assertEquals(429, reply.status(), reply.body());
        int retryAfter = Integer.parseInt(reply.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= intervalSeconds, "Retry-After " + retryAfter);
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals("no-store", reply.header("Cache-Control"));
        assertEquals(new JsonObject().put("error", new JsonObject().put("code", "rate_limited")
                .put("message", sentence + "; try again in " + retryAfter + " s.").put("retryAfterSeconds", retryAfter)), reply.json());
    }
}
