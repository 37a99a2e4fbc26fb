package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user cannot lock themselves out by deleting their last API token; other deletions work as before. */
class LastApiTokenTest {
    private static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("last_token");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String onlyTokenId(String token) {
        var list = platform.get("/api/v1/tokens", token).json().getJsonArray("data");
        assertEquals(1, list.size());
        return list.getJsonObject(0).getString("id");
    }

    @Test
    void deleting_your_last_api_token_is_refused_with_a_sentence() {
        String token = platform.createUser("lonely");
        String id = onlyTokenId(token);

        var answer = platform.delete("/api/v1/tokens/" + id, token);

        assertEquals(409, answer.status());
        assertEquals(new JsonObject().put("error", new JsonObject().put("code", "last_token").put("message",
                "Token " + id + " is your last API token; deleting it would lock you out. Create another first (POST /api/v1/tokens),"
                        + " then delete this one.")), answer.json());
        assertEquals(200, platform.get("/api/v1/me", token).status());
    }

    @Test
    void deleting_a_token_you_have_replaced_works() {
        String token = platform.createUser("replacer");
        String old = onlyTokenId(token);
        String fresh = platform.post("/api/v1/tokens", token, "{\"name\":\"laptop\"}").json().getString("token");

        assertEquals(204, platform.delete("/api/v1/tokens/" + old, fresh).status());

        assertEquals(401, platform.get("/api/v1/me", token).status());
        assertEquals(200, platform.get("/api/v1/me", fresh).status());
    }

    @Test
    void an_admin_may_revoke_another_users_last_token_and_issue_them_a_new_one() {
        String token = platform.createUser("leaked");
        String id = onlyTokenId(token);

        assertEquals(204, platform.delete("/api/v1/tokens/" + id, platform.adminToken).status());
        assertEquals(401, platform.get("/api/v1/me", token).status());

        var issued = platform.post("/api/v1/tokens", platform.adminToken, "{\"user\":\"leaked\",\"name\":\"replacement\"}");
        assertEquals(201, issued.status());
        assertEquals("leaked", platform.get("/api/v1/me", issued.json().getString("token")).json().getString("name"));
    }
}
