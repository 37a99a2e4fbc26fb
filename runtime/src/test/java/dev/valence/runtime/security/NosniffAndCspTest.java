package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.TestPlatform;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Everything Valence itself answers (the API, its errors, the not-found and fallback pages, the page of
 * a failed val) says {@code X-Content-Type-Options: nosniff} and carries a Content-Security-Policy, so a
 * browser never runs an answer as something it is not.
 */
class NosniffAndCspTest {
    static final String JSON_CSP = "default-src 'none'; frame-ancestors 'none'";
    static final Map<String, String> BROWSER = Map.of("Accept", "text/html,application/xhtml+xml");

    @Test
    void api_answers_errors_and_the_pages_valence_writes_send_nosniff_and_a_csp() throws Exception {
        try (var platform = TestPlatform.start("edge_nosniff")) {
            platform.createVal(platform.adminToken, "broken", "export default () => { throw new Error('<script>alert(1)</script>'); }");
            assertJsonHeaders(platform.get("/api/v1/me", platform.adminToken), 200);
            assertJsonHeaders(platform.get("/api/v1/me"), 401);
            assertJsonHeaders(platform.get("/api/v1/nowhere", platform.adminToken), 404);
            assertJsonHeaders(platform.get("/nowhere"), 404);
            assertJsonHeaders(platform.get("/api/v1/schema"), 200);
            var status = platform.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://localhost:" + platform.valence.statusPage().port() + "/api/v2/summary.json")).build());
            assertJsonHeaders(status, 200);
            assertJsonHeaders(platform.get("/v/admin/broken"), 500);
            var page = platform.send("GET", "/v/admin/broken", null, null, BROWSER);
            assertEquals(500, page.status());
            assertEquals("nosniff", page.header("X-Content-Type-Options"));
            assertEquals("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", page.header("Content-Security-Policy"));

            Flyway.configure().dataSource(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "")
                    .schemas("app").defaultSchema("app").table("flyway_schema_history")
                    .locations("classpath:db/migration/app", "classpath:db/test-migrations/contract")
                    .ignoreMigrationPatterns("*:missing", "*:future").load().migrate();
            long deadline = System.currentTimeMillis() + 20_000;
            while (platform.valence.guard().current().compatible() && System.currentTimeMillis() < deadline) Thread.sleep(50);
            var fallback = platform.get("/v/admin/broken");
            assertJsonHeaders(fallback, 503);
            var fallbackPage = platform.send("GET", "/v/admin/broken", null, null, BROWSER);
            assertEquals(503, fallbackPage.status());
            assertEquals("nosniff", fallbackPage.header("X-Content-Type-Options"));
            assertEquals(dev.valence.status.http.PageLook.contentSecurityPolicy(), fallbackPage.header("Content-Security-Policy"));
        }
    }

    private static void assertJsonHeaders(TestPlatform.Reply reply, int status) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals("nosniff", reply.header("X-Content-Type-Options"), reply.headers().map().toString());
        assertEquals(JSON_CSP, reply.header("Content-Security-Policy"), reply.headers().map().toString());
    }
}
