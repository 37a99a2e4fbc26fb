package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every change to a val, token, user, env var, incident or component is recorded with who made it,
 * when and from which address, and admins (only they) read it through {@code GET /api/v1/audit}.
 */
class ChangesAreAuditedTest {

    @Test
    void admins_read_who_changed_what_when_and_from_where() throws Exception {
        Path dataDir = TestDatabase.tempDir("valence-audit");
        try (var platform = TestPlatform.start("audit_log", Map.of("VALENCE_DATA_DIR", dataDir.toString()))) {
            String admin = platform.adminToken;
            String adminName = platform.get("/api/v1/me", admin).json().getString("name");
            Instant before = Instant.now().minusSeconds(1);

            var created = platform.post("/api/v1/users", admin, new JsonObject().put("name", "bob").encode()).json();
            String bob = created.getString("token");
            platform.createVal(bob, new JsonObject().put("name", "hello").put("code", "export default () => new Response('1')")
                    .put("privacy", "unlisted"));
            assertEquals(200, platform.put("/api/v1/vals/bob/hello", bob, new JsonObject().put("code", "export default () => new Response('2')").encode()).status());
            assertEquals(204, platform.put("/api/v1/env/API_KEY", bob, new JsonObject().put("value", "s3cret-value").encode()).status());
            assertEquals(204, platform.delete("/api/v1/env/API_KEY", bob).status());
            String tokenId = platform.post("/api/v1/tokens", bob, new JsonObject().put("name", "laptop").encode()).json().getString("id");
            assertEquals(204, platform.delete("/api/v1/tokens/" + tokenId, bob).status());
            assertEquals(200, platform.send("PATCH", "/api/v1/me", bob, new JsonObject().put("email", "bob@example.com").encode(),
                    Map.of("Content-Type", "application/json")).status());
            assertEquals(204, platform.delete("/api/v1/vals/bob/hello", bob).status());

            // a team member opens an incident on the status page
            String team = Files.readString(dataDir.resolve("status-team-token")).trim();
            var incident = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + platform.valence.statusPage().port() + "/api/v2/incidents"))
                    .header("Authorization", "Bearer " + team).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", "Slow vals").put("body", "Looking.").encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, incident.statusCode(), incident.body());
            String incidentId = new JsonObject(incident.body()).getJsonObject("incident").getString("id");

            var reply = platform.get("/api/v1/audit", admin);
            assertEquals(200, reply.status(), reply.body());
            JsonArray data = reply.json().getJsonArray("data");
            record Expected(String actor, String actorKind, String action, String target, String detail) {}
            var expected = List.of(
                    new Expected("bootstrap", "team", "incident.create", incidentId, null),
                    new Expected("bob", "user", "val.delete", "bob/hello", null),
                    new Expected("bob", "user", "user.update", "bob", "email set"),
                    new Expected("bob", "user", "token.delete", tokenId, null),
                    new Expected("bob", "user", "token.create", tokenId, "for bob, named laptop"),
                    new Expected("bob", "user", "env.delete", "API_KEY", null),
                    new Expected("bob", "user", "env.set", "API_KEY", null),
                    new Expected("bob", "user", "val.update", "bob/hello", "unlisted, version 2"),
                    new Expected("bob", "user", "val.create", "bob/hello", "http, unlisted, version 1"),
                    new Expected(adminName, "user", "user.create", "bob", "role user, token " + firstTokenOf(platform, bob)));
            assertEquals(expected.size(), data.size(), data.encodePrettily());
            long previousId = Long.MAX_VALUE;
            for (int i = 0; i < expected.size(); i++) {
                JsonObject entry = data.getJsonObject(i);
                Expected e = expected.get(i);
                assertEquals(new JsonObject().put("id", entry.getString("id")).put("at", entry.getString("at")).put("actor", e.actor())
                        .put("actorKind", e.actorKind()).put("action", e.action()).put("target", e.target()).put("address", "127.0.0.1")
                        .put("detail", e.detail()), entry, "entry " + i);
                Instant at = Instant.parse(entry.getString("at"));
                assertFalse(at.isBefore(before) || at.isAfter(Instant.now()), "recorded at " + at);
                long id = Long.parseLong(entry.getString("id"));
                assertFalse(id >= previousId, "newest first");
                previousId = id;
            }
            assertNull(reply.json().getString("nextCursor"));
            assertFalse(reply.body().contains("s3cret-value"), "an env value is never recorded");

            // filters: by actor and a family of actions, then pages of two with a cursor
            var envOnly = platform.get("/api/v1/audit?actor=bob&action=env", admin).json().getJsonArray("data");
            assertEquals(List.of("env.delete", "env.set"), envOnly.stream().map(o -> ((JsonObject) o).getString("action")).toList());
            var oneAction = platform.get("/api/v1/audit?action=val.create", admin).json().getJsonArray("data");
            assertEquals(1, oneAction.size());
            var first = platform.get("/api/v1/audit?actor=bob&limit=2", admin).json();
            assertEquals(List.of("val.delete", "user.update"), actions(first));
            assertNotNull(first.getString("nextCursor"));
            var second = platform.get("/api/v1/audit?actor=bob&limit=2&cursor=" + first.getString("nextCursor"), admin).json();
            assertEquals(List.of("token.delete", "token.create"), actions(second));
            var future = platform.get("/api/v1/audit?since=" + Instant.now().plusSeconds(60), admin).json();
            assertEquals(0, future.getJsonArray("data").size());

            // only admins; bad filters are a 400 with a sentence
            var refused = platform.get("/api/v1/audit", bob);
            assertEquals(403, refused.status());
            assertEquals("Only an admin can read the audit log; bob is not one.", refused.json().getJsonObject("error").getString("message"));
            var bad = platform.get("/api/v1/audit?who=bob", admin);
            assertEquals(400, bad.status());
            assertEquals("'who' is not a filter of the audit log; use actor, action, target, since, before, limit, cursor.",
                    bad.json().getJsonObject("error").getString("message"));
            var badCursor = platform.get("/api/v1/audit?cursor=abc", admin);
            assertEquals(400, badCursor.status());
            assertEquals("'cursor' is not a cursor this API gave out; pass the 'nextCursor' of the previous page.",
                    badCursor.json().getJsonObject("error").getString("message"));
            assertEquals(400, platform.get("/api/v1/audit?since=99999-01-01T00:00:00Z", admin).status());
        }
    }

    @Test
    void an_incident_posted_from_the_ops_form_is_recorded_too() throws Exception {
        Path dataDir = TestDatabase.tempDir("valence-audit-ops");
        try (var platform = TestPlatform.start("audit_log_ops", Map.of("VALENCE_DATA_DIR", dataDir.toString()))) {
            String team = Files.readString(dataDir.resolve("status-team-token")).trim();
            var posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + platform.valence.statusPage().port() + "/ops/post"))
                    .header("Authorization", "Bearer " + team).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("name=Mail+delayed&status=investigating&impact=minor&body=Looking.")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, posted.statusCode(), posted.body());

            var data = platform.get("/api/v1/audit?actor=bootstrap", platform.adminToken).json().getJsonArray("data");
            assertEquals(1, data.size(), data.encode());
            JsonObject entry = data.getJsonObject(0);
            assertEquals("team", entry.getString("actorKind"));
            assertEquals("incident.create", entry.getString("action"));
            assertNotNull(entry.getString("target"));
            assertEquals("127.0.0.1", entry.getString("address"));
            assertEquals("from /ops", entry.getString("detail"));
        }
    }

    private static List<String> actions(JsonObject page) {
        return page.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("action")).toList();
    }

    /** The id of the token the admin's user creation handed out (the user's first and, by now, only token). */
    private static String firstTokenOf(TestPlatform platform, String token) {
        return platform.get("/api/v1/tokens", token).json().getJsonArray("data").getJsonObject(0).getString("id");
    }
}
