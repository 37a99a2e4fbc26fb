package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import dev.valence.runtime.guard.BuildInfo;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** The operators' deploy view: what runs where, behind a team token, and the phone form. */
class DeployViewTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Valence start(String db, String instance, BuildInfo build, Path dataDir) {
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", db);
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("HEARTBEAT_MS", "200");
        env.put("INSTANCE_ID", instance);
        env.put("VALENCE_DATA_DIR", dataDir.toString());
        return TestPlatform.awaitUp(Valence.start(Config.fromEnv(env), build));
    }

    @Test
    void operators_see_every_live_instance_and_a_mark_when_builds_disagree() throws Exception {
        String db = TestDatabase.newDatabase("deploy_view");
        Path dataDir = TestDatabase.tempDir("valence-deploy");
        try (var old = start(db, "old-1", new BuildInfo(1, 1, "aaaa1111"), dataDir);
             var neu = start(db, "new-1", new BuildInfo(2, 1, "bbbb2222"), TestDatabase.tempDir("valence-deploy-2"))) {
            String base = "http://localhost:" + old.statusPage().port();
            String team = Files.readString(dataDir.resolve("status-team-token")).trim();
            var flips = new SchemaFlips(db);
            eventually("both heartbeats written", 10_000, () -> flips.count(
                    "SELECT count(*) FROM control.instances WHERE instance_id IN ('old-1', 'new-1')") == 2);

            var anonymous = client.send(HttpRequest.newBuilder(URI.create(base + "/ops/deploy.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());

            var json = client.send(HttpRequest.newBuilder(URI.create(base + "/ops/deploy.json")).header("Authorization", "Bearer " + team).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, json.statusCode(), json.body());
            var view = new JsonObject(json.body());
            assertTrue(view.getBoolean("mixed"));
            assertEquals(BuildInfo.current().codeLevel(), view.getInteger("schemaVersion"), "every app migration applied");
            assertEquals(0, view.getInteger("floor"));
            assertEquals(2, view.getJsonArray("instances").size());
            var first = view.getJsonArray("instances").getJsonObject(0);
            assertEquals("new-1", first.getString("instance"), "highest code level first");
            assertEquals(2, first.getInteger("codeLevel"));
            assertEquals("bbbb2222", first.getString("build"));
            assertEquals("compatible", first.getString("verdict"));
            assertTrue(first.getBoolean("live"));

            // the public page says a deploy is going on (it checks every 3 s)
            long deadline = System.nanoTime() + 10_000_000_000L;
            String publicPage = "";
            while (System.nanoTime() < deadline && !publicPage.contains("Deploy in progress")) {
                publicPage = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(100);
            }
            assertTrue(publicPage.contains("Deploy in progress: instances are running different versions."), publicPage);

            // a browser signs in once with the token, then sees the page and posts from the form
            var login = client.send(HttpRequest.newBuilder(URI.create(base + "/ops/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(team, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, login.statusCode());
            String cookie = login.headers().firstValue("set-cookie").orElseThrow();
            assertTrue(cookie.toLowerCase().contains("httponly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/ops"), cookie);
            String session = cookie.substring(0, cookie.indexOf(';'));
            var page = client.send(HttpRequest.newBuilder(URI.create(base + "/ops")).header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Instances disagree"), page.body());
            assertTrue(page.body().contains("bbbb2222") && page.body().contains("aaaa1111"));

            // the form carries the session's CSRF token (a post without it is refused: see CrossSiteOpsFormTest)
            var csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
            assertTrue(csrf.find(), page.body());
            var posted = client.send(HttpRequest.newBuilder(URI.create(base + "/ops/post")).header("Cookie", session)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&incident=&name=" + URLEncoder.encode("Deploy of bbbb2222", StandardCharsets.UTF_8)
                                    + "&status=identified&impact=none&body=" + URLEncoder.encode("Rolling out **level 2**.", StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, posted.statusCode(), posted.body());
            var unresolved = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/incidents/unresolved.json")).build(), HttpResponse.BodyHandlers.ofString());
            var incident = new JsonObject(unresolved.body()).getJsonArray("incidents").getJsonObject(0);
            assertEquals("Deploy of bbbb2222", incident.getString("name"));
            assertEquals("Rolling out **level 2**.", incident.getJsonArray("incident_updates").getJsonObject(0).getString("body"));

            var wrong = client.send(HttpRequest.newBuilder(URI.create(base + "/ops")).header("Cookie", "valence_team=vst_wrong").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, wrong.statusCode());
            assertTrue(wrong.body().contains("Team token") && !wrong.body().contains("bbbb2222"), "a wrong cookie gets the sign-in form");
        }
    }
}
