package dev.valence.status.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.status.StatusTestSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Team tokens rotate and revoke, through the API and the deploy view; the team never locks itself out. */
class TeamTokenRotationTest {

    private static HttpResponse<String> call(StatusTestSupport.Served served, String method, String path, String token, String body) {
        var request = HttpRequest.newBuilder(URI.create(served.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        if (body != null) request.header("Content-Type", "application/json");
        return OpsBrowser.send(request.build());
    }

    private static int postIncident(StatusTestSupport.Served served, String token) {
        return call(served, "POST", "/api/v2/incidents", token, "{\"name\":\"Test\",\"body\":\"Testing.\"}").statusCode();
    }

    private static long firstTokenId(StatusTestSupport.Served served) {
        var list = new JsonObject(call(served, "GET", "/api/v2/team-tokens", served.teamToken(), null).body()).getJsonArray("team_tokens");
        return Long.parseLong(list.getJsonObject(0).getString("id"));
    }

    @Test
    void team_tokens_are_listed_without_their_secrets() {
        try (var served = StatusTestSupport.serve("tokens")) {
            var answer = call(served, "GET", "/api/v2/team-tokens", served.teamToken(), null);

            assertEquals(200, answer.statusCode());
            JsonArray list = new JsonObject(answer.body()).getJsonArray("team_tokens");
            assertEquals(1, list.size());
            JsonObject token = list.getJsonObject(0);
            assertEquals("bootstrap", token.getString("name"));
            assertEquals(served.teamToken().substring(0, 11), token.getString("prefix"));
            assertEquals(null, token.getString("revoked_at"));
            assertTrue(!answer.body().contains(served.teamToken()));
            assertEquals(401, call(served, "GET", "/api/v2/team-tokens", null, null).statusCode());
        }
    }

    @Test
    void rotating_a_team_token_returns_a_new_secret_and_the_old_one_stops_working_at_once() {
        try (var served = StatusTestSupport.serve("tokens")) {
            long id = firstTokenId(served);

            var answer = call(served, "POST", "/api/v2/team-tokens/" + id + "/rotate", served.teamToken(), null);

            assertEquals(201, answer.statusCode(), answer.body());
            JsonObject rotated = new JsonObject(answer.body());
            String secret = rotated.getString("token");
            assertTrue(secret.startsWith("vst_"));
            assertNotEquals(served.teamToken(), secret);
            assertEquals("bootstrap", rotated.getString("name"));
            assertEquals(401, postIncident(served, served.teamToken()));
            assertEquals(201, postIncident(served, secret));
        }
    }

    @Test
    void revoking_a_team_token_ends_its_browser_sessions() {
        try (var served = StatusTestSupport.serve("tokens")) {
            var created = call(served, "POST", "/api/v2/team-tokens", served.teamToken(), "{\"name\":\"phone\"}");
            assertEquals(201, created.statusCode(), created.body());
            JsonObject phone = new JsonObject(created.body());
            var browser = new OpsBrowser(served.baseUrl());
            browser.signIn(phone.getString("token"));
            assertEquals(200, browser.get("/ops/deploy.json").statusCode());

            var revoked = call(served, "DELETE", "/api/v2/team-tokens/" + phone.getString("id"), served.teamToken(), null);

            assertEquals(204, revoked.statusCode(), revoked.body());
            assertEquals(401, browser.get("/ops/deploy.json").statusCode());
            assertEquals(401, postIncident(served, phone.getString("token")));
            assertEquals(201, postIncident(served, served.teamToken()));
        }
    }

    @Test
    void the_last_active_team_token_cannot_be_revoked() {
        try (var served = StatusTestSupport.serve("tokens")) {
            long id = firstTokenId(served);

            var answer = call(served, "DELETE", "/api/v2/team-tokens/" + id, served.teamToken(), null);

            assertEquals(409, answer.statusCode());
            assertEquals("{\"error\":{\"code\":\"last_team_token\",\"message\":\"Team token " + id + " is the last active one; revoking it would"
                    + " lock the team out. Rotate it instead (POST /api/v2/team-tokens/" + id + "/rotate), or create another first.\"}}",
                    answer.body());
            assertEquals(201, postIncident(served, served.teamToken()));
        }
    }

    @Test
    void the_deploy_view_rotates_and_revokes_with_its_forms() {
        try (var served = StatusTestSupport.serve("tokens")) {
            var phone = new JsonObject(call(served, "POST", "/api/v2/team-tokens", served.teamToken(), "{\"name\":\"phone\"}").body());
            var browser = new OpsBrowser(served.baseUrl());
            browser.signIn(served.teamToken());
            assertTrue(browser.get("/ops").body().contains("<td>phone</td>"));

            var revoked = browser.post("/ops/team-tokens/" + phone.getString("id") + "/revoke", served.baseUrl(), Map.of("csrf", browser.csrf()));
            assertEquals(303, revoked.statusCode(), revoked.body());
            assertEquals(401, postIncident(served, phone.getString("token")));

            long own = firstTokenId(served);
            var rotated = browser.post("/ops/team-tokens/" + own + "/rotate", served.baseUrl(), Map.of("csrf", browser.csrf()));
            assertEquals(200, rotated.statusCode(), rotated.body());
            var secret = java.util.regex.Pattern.compile("<code id=\"new-token\">(vst_[A-Za-z0-9_-]+)</code>").matcher(rotated.body());
            assertTrue(secret.find(), rotated.body());
            assertEquals(201, postIncident(served, secret.group(1)));
            assertEquals(401, postIncident(served, served.teamToken()));
            // the browser was signed in with the rotated token: its session ended with it
            assertEquals(401, browser.get("/ops/deploy.json").statusCode());
        }
    }
}
