package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A val's error shown to whoever called it: env values masked in every answer, and out of the box a
 * stranger sees only the error's code and the run id (the owner reads the details in the run).
 */
class SecretsInPublicErrorsTest {
    private static final String SECRET = "sk-live-0123456789abcdef";
    private static final String LEAKY = """
            export default async () => {
              throw new Error('calling https://api.example.com/?key=' + Deno.env.get('API_KEY') + ' failed');
            }""";
    private static TestPlatform platform;
    private static String alice;

    @BeforeAll
    static void start() {
        // VAL_PUBLIC_ERRORS blank: the operator's default, what an install without the setting does
        platform = TestPlatform.start("public_errors", Map.of("VAL_PUBLIC_ERRORS", ""));
        alice = platform.createUser("alice");
        assertEquals(204, platform.put("/api/v1/env/API_KEY", alice, new JsonObject().put("value", SECRET).encode()).status());
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void out_of_the_box_a_stranger_sees_only_the_errors_code_and_its_run_id() {
        platform.createVal(alice, "brief", LEAKY);
        var reply = platform.get("/v/alice/brief");
        assertEquals(500, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        String runId = error.getString("runId");
        assertEquals(new JsonObject().put("error", new JsonObject()
                .put("code", "val_error")
                .put("message", "The val alice/brief failed. Its owner can read what happened in run " + runId + ".")
                .put("val", "alice/brief")
                .put("runId", runId)), reply.json());

        var run = platform.get("/api/v1/vals/alice/brief/runs/" + runId, alice);
        assertEquals(200, run.status(), run.body());
        assertTrue(run.json().getString("error").startsWith(
                "Error: calling https://api.example.com/?key=[env API_KEY] failed"), run.body());

        var html = platform.send("GET", "/v/alice/brief", null, null, Map.of("Accept", "text/html"));
        assertEquals(500, html.status());
        assertTrue(html.body().contains("Its owner can read what happened in run "), html.body());
        assertFalse(html.body().contains("api.example.com"), html.body());
        assertFalse(html.body().contains(SECRET), html.body());
    }

    @Test
    void the_owner_calling_with_their_token_sees_the_whole_error_with_env_values_masked() {
        platform.createVal(alice, "owned", LEAKY);
        var reply = platform.get("/v/alice/owned", alice);
        assertEquals(500, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("Error: calling https://api.example.com/?key=[env API_KEY] failed", error.getString("message"));
        assertEquals(2, error.getInteger("line"));
        assertFalse(reply.body().contains(SECRET), reply.body());
        assertTrue(error.containsKey("runId"), reply.body());
    }

    @Test
    void a_val_set_to_full_shows_strangers_its_error_with_env_values_masked() {
        var created = platform.createVal(alice, new JsonObject().put("name", "full").put("code", LEAKY).put("publicErrors", "full"));
        assertEquals("full", created.getString("publicErrors"));
        var reply = platform.get("/v/alice/full");
        assertEquals(500, reply.status(), reply.body());
        assertEquals("Error: calling https://api.example.com/?key=[env API_KEY] failed",
                reply.json().getJsonObject("error").getString("message"));
        assertFalse(reply.body().contains(SECRET), reply.body());

        var html = platform.send("GET", "/v/alice/full", null, null, Map.of("Accept", "text/html"));
        assertEquals(500, html.status());
        assertTrue(html.body().contains("[env API_KEY]"), html.body());
        assertFalse(html.body().contains(SECRET), html.body());

        // and back to brief: the setting travels with a save, like privacy
        var saved = platform.put("/api/v1/vals/alice/full", alice, new JsonObject().put("code", LEAKY).put("publicErrors", "brief").encode());
        assertEquals(200, saved.status(), saved.body());
        assertEquals("brief", saved.json().getString("publicErrors"));
        assertFalse(platform.get("/v/alice/full").body().contains("api.example.com"));
    }

    @Test
    void a_val_without_its_own_setting_follows_the_operators_default() {
        var created = platform.createVal(alice, "unset", "export default () => new Response('ok')");
        assertEquals("default", created.getString("publicErrors"));
    }

    @Test
    void an_unknown_public_errors_setting_is_refused_with_the_choices() {
        var reply = platform.post("/api/v1/vals", alice, new JsonObject().put("name", "odd").put("code", LEAKY)
                .put("publicErrors", "verbose").encode());
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.json().getJsonObject("error").getString("message").contains("publicErrors"), reply.body());
    }

    @Test
    void a_script_runs_answer_to_its_owner_masks_env_values() {
        platform.createVal(alice, new JsonObject().put("name", "job").put("type", "script").put("code", LEAKY));
        var reply = platform.post("/api/v1/vals/alice/job/run", alice, "{}");
        assertFalse(reply.body().contains(SECRET), reply.body());
        assertTrue(reply.body().contains("[env API_KEY]"), reply.body());
    }
}
