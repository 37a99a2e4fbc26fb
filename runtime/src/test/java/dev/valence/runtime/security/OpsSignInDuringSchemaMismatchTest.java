package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.TestPlatform;
import dev.valence.status.store.TeamTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The team signs in to /ops and posts an update while the app schema is incompatible: sessions live
 * in control, which every build can read and write, so a deploy gone wrong never locks out the
 * people who have to announce it.
 */
class OpsSignInDuringSchemaMismatchTest {
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_team_signs_in_and_posts_an_update_while_the_app_schema_is_too_new() throws Exception {
        try (var platform = TestPlatform.start("ops_mismatch")) {
            String team = new TeamTokens(TestDatabase.dataSource(platform.databaseUrl)).create("on-call");
            try (var c = TestDatabase.dataSource(platform.databaseUrl).getConnection(); var s = c.createStatement()) {
                s.execute("INSERT INTO control.schema_contract (version, kind, min_code_level, description) VALUES (900, 'contract', 900, 'from a newer build')");
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (platform.valence.guard().current().compatible() && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(503, platform.get("/api/v1/me", platform.adminToken).status());

            String ops = "http://localhost:" + platform.valence.statusPage().port();
            var login = send(HttpRequest.newBuilder(URI.create(ops + "/ops/login")).header("Origin", ops)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(team, StandardCharsets.UTF_8))).build());
            assertEquals(303, login.statusCode(), login.body());
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            var view = send(HttpRequest.newBuilder(URI.create(ops + "/ops")).header("Cookie", cookie).build());
            assertEquals(200, view.statusCode());
            var csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(view.body());
            assertTrue(csrf.find(), view.body());

            var posted = send(HttpRequest.newBuilder(URI.create(ops + "/ops/post")).header("Origin", ops).header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&incident=&name=Rollback&status=identified&impact=major"
                            + "&body=Rolling+back.")).build());

            assertEquals(303, posted.statusCode(), posted.body());
            try (var c = TestDatabase.dataSource(platform.databaseUrl).getConnection(); var s = c.createStatement();
                 var rows = s.executeQuery("SELECT count(*) FROM control.incidents WHERE name = 'Rollback'")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
        }
    }
}
