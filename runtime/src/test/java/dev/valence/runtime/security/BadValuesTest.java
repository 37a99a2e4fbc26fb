package dev.valence.runtime.security;

import dev.valence.runtime.TestPlatform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Values the database cannot store are refused with 400 and a sentence, never a 500. */
class BadValuesTest {
    @Test
    void a_nul_in_code_an_env_value_or_a_token_name_is_a_400_naming_the_field() {
        try (var platform = TestPlatform.start("bad_values_nul")) {
            var code = platform.post("/api/v1/vals", platform.adminToken,
                    new JsonObject().put("name", "nul").put("code", "export default () => 'a\u0000b'").encode());
            assertEquals(400, code.status(), code.body());
            assertEquals("'code' contains the NUL character (U+0000), which cannot be stored; remove it.",
                    code.json().getJsonObject("error").getString("message"));

            var env = platform.put("/api/v1/env/SECRET", platform.adminToken, new JsonObject().put("value", "a\u0000b").encode());
            assertEquals(400, env.status(), env.body());
            assertEquals("'value' contains the NUL character (U+0000), which cannot be stored; remove it.",
                    env.json().getJsonObject("error").getString("message"));

            var token = platform.post("/api/v1/tokens", platform.adminToken, new JsonObject().put("name", "ci\u0000bot").encode());
            assertEquals(400, token.status(), token.body());
            assertEquals("'name' contains the NUL character (U+0000), which cannot be stored; remove it.",
                    token.json().getJsonObject("error").getString("message"));
        }
    }

    @Test
    void dates_beyond_the_year_9999_in_filters_and_cursors_are_a_400() {
        try (var platform = TestPlatform.start("bad_values_dates")) {
            platform.createVal(platform.adminToken, "hello", "export default () => new Response('hi')");
            var since = platform.get("/api/v1/vals/admin/hello/runs?since=%2B100000-01-01T00:00:00Z", platform.adminToken);
            assertEquals(400, since.status(), since.body());
            assertEquals("'since' must be between the years 1 and 9999, got '+100000-01-01T00:00:00Z'.",
                    since.json().getJsonObject("error").getString("message"));
            String farCursor = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("+100000-01-01T00:00:00Z|5".getBytes(StandardCharsets.UTF_8));
            var cursor = platform.get("/api/v1/vals/admin/hello/runs?cursor=" + farCursor, platform.adminToken);
            assertEquals(400, cursor.status(), cursor.body());
            assertEquals("'cursor' is not a cursor this API gave out; pass the 'nextCursor' of the previous page.",
                    cursor.json().getJsonObject("error").getString("message"));
        }
    }
}
