package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The authoring API of INTERFACES.md: vals, versions, runs, tokens, users, env; errors as JSON. */
class AuthoringApiTest {
    static TestPlatform platform;
    static String admin;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("authoring_api");
        admin = platform.adminToken;
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static JsonObject error(TestPlatform.Reply reply) {
        return reply.json().getJsonObject("error");
    }

    @Test
    void me_names_the_caller() {
        var me = platform.get("/api/v1/me", admin);
        assertEquals(200, me.status());
        assertEquals("admin", me.json().getString("name"));
        assertEquals("admin", me.json().getString("role"));
    }

    @Test
    void the_api_needs_a_valid_token() {
        var none = platform.get("/api/v1/vals");
        assertEquals(401, none.status());
        assertEquals("unauthorized", error(none).getString("code"));
        assertEquals("This needs an API token: send 'Authorization: Bearer <token>'.", error(none).getString("message"));
        assertEquals(401, platform.get("/api/v1/vals", "vl_wrong").status());
        assertEquals(401, platform.send("GET", "/api/v1/vals", null, null, Map.of("Authorization", "Basic abc")).status());
    }

    @Test
    void create_get_list_update_versions_delete() {
        var created = platform.createVal(admin, new JsonObject().put("name", "crud").put("type", "http")
                .put("privacy", "unlisted").put("code", "export default () => new Response('one')"));
        assertEquals("admin", created.getString("owner"));
        assertEquals("crud", created.getString("name"));
        assertEquals("http", created.getString("type"));
        assertEquals("unlisted", created.getString("privacy"));
        assertEquals(1, created.getInteger("version"));
        assertEquals(platform.baseUrl + "/v/admin/crud", created.getString("url"));

        var got = platform.get("/api/v1/vals/admin/crud", admin).json();
        assertEquals("export default () => new Response('one')", got.getString("code"));
        assertEquals(1, got.getInteger("version"));

        var updated = platform.put("/api/v1/vals/admin/crud", admin, new JsonObject().put("code", "export default () => new Response('two')").encode());
        assertEquals(200, updated.status());
        assertEquals(2, updated.json().getInteger("version"));
        assertEquals("unlisted", updated.json().getString("privacy"), "privacy is kept when not given");

        var versions = platform.get("/api/v1/vals/admin/crud/versions", admin).json().getJsonArray("data");
        assertEquals(2, versions.size());
        assertEquals(2, versions.getJsonObject(0).getInteger("version"));
        assertEquals(1, versions.getJsonObject(1).getInteger("version"));
        assertEquals("export default () => new Response('one')",
                platform.get("/api/v1/vals/admin/crud/versions/1", admin).json().getString("code"));
        assertEquals(404, platform.get("/api/v1/vals/admin/crud/versions/3", admin).status());
        assertEquals(400, platform.get("/api/v1/vals/admin/crud/versions/x", admin).status());

        var names = platform.get("/api/v1/vals", admin).json().getJsonArray("data").stream()
                .map(v -> ((JsonObject) v).getString("name")).toList();
        assertTrue(names.contains("crud"), names.toString());

        assertEquals(204, platform.delete("/api/v1/vals/admin/crud", admin).status());
        assertEquals(404, platform.get("/api/v1/vals/admin/crud", admin).status());
        assertEquals(404, platform.get("/v/admin/crud").status());
        assertEquals(404, platform.delete("/api/v1/vals/admin/crud", admin).status());
    }

    @Test
    void versions_are_immutable_rows() throws Exception {
        platform.createVal(admin, "immutable", "export default () => new Response('a')");
        platform.put("/api/v1/vals/admin/immutable", admin, new JsonObject().put("code", "export default () => new Response('b')").encode());
        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "");
             var rows = connection.createStatement().executeQuery("""
                     SELECT vv.version, vv.code FROM app.val_versions vv JOIN app.vals v ON v.id = vv.val_id
                     WHERE v.name = 'immutable' ORDER BY vv.version""")) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1));
            assertEquals("export default () => new Response('a')", rows.getString(2));
            assertTrue(rows.next());
            assertEquals(2, rows.getInt(1));
            assertFalse(rows.next());
        }
    }

    @Test
    void a_duplicate_name_is_409() {
        platform.createVal(admin, "twice", "export default () => new Response('x')");
        var again = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "twice").put("code", "export default () => 1").encode());
        assertEquals(409, again.status());
        assertEquals("conflict", error(again).getString("code"));
    }

    @Test
    void names_are_validated() {
        for (String bad : new String[] {"", "Upper", "has space", "dots.no", "x".repeat(57), "ünïcode", "a_b", "a--b", "-a", "a-"}) {
            var reply = platform.post("/api/v1/vals", admin, new JsonObject().put("name", bad).put("code", "export default () => 1").encode());
            assertEquals(400, reply.status(), bad);
            assertEquals("bad_request", error(reply).getString("code"));
            assertTrue(error(reply).getString("message").startsWith("'name' must be lowercase letters and digits with single '-' between"
                    + " them (no '_', no '--', no '-' at either end), and at most 56 characters for the owner 'admin'"), error(reply).getString("message"));
        }
        var ok = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "a-b-9" + "x".repeat(51)).put("code", "export default () => 1").encode());
        assertEquals(201, ok.status(), ok.body());
    }

    @Test
    void malformed_json_is_400_and_nothing_is_created() {
        var reply = platform.post("/api/v1/vals", admin, "{\"name\": \"broken\", ");
        assertEquals(400, reply.status());
        assertEquals("invalid_json", error(reply).getString("code"));
        assertTrue(error(reply).getString("message").startsWith("The request body is not valid JSON"), error(reply).getString("message"));
        assertEquals(400, platform.post("/api/v1/vals", admin, "[1,2]").status());
        assertEquals(400, platform.post("/api/v1/vals", admin, "").status());
        assertEquals(404, platform.get("/api/v1/vals/admin/broken", admin).status());
    }

    @Test
    void wrong_field_types_and_values_are_400() {
        var badType = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "t").put("type", "ftp").put("code", "x").encode());
        assertEquals(400, badType.status());
        assertEquals("'type' must be one of cron, email, http, script, got 'ftp'.", error(badType).getString("message"));
        var noCode = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "t").encode());
        assertEquals("'code' is required.", error(noCode).getString("message"));
        var numberCode = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "t").put("code", 5).encode());
        assertEquals("'code' must be a string.", error(numberCode).getString("message"));
        var cronWithout = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "t").put("type", "cron").put("code", "export default () => 1").encode());
        assertEquals(400, cronWithout.status());
    }

    @Test
    void a_syntax_error_is_refused_at_save_with_line_and_column() {
        var reply = platform.post("/api/v1/vals", admin, new JsonObject().put("name", "broken-syntax")
                .put("code", "export default (req) => {\n  return new Response('x'\n}").encode());
        assertEquals(400, reply.status());
        var e = error(reply);
        assertEquals("syntax_error", e.getString("code"));
        assertEquals(3, e.getInteger("line"));
        assertEquals(1, e.getInteger("column"));
        assertTrue(e.getString("message").startsWith("Syntax error at line 3, column 1: "), e.getString("message"));
        assertEquals(404, platform.get("/api/v1/vals/admin/broken-syntax", admin).status());

        platform.createVal(admin, "fixable", "export default () => new Response('fine')");
        var update = platform.put("/api/v1/vals/admin/fixable", admin, new JsonObject().put("code", "export default (").encode());
        assertEquals(400, update.status());
        assertEquals(1, platform.get("/api/v1/vals/admin/fixable", admin).json().getInteger("version"), "a refused save adds no version");
    }

    @Test
    void other_users_see_public_vals_but_not_private_ones_and_cannot_change_them() {
        String dave = platform.createUser("dave");
        platform.createVal(admin, new JsonObject().put("name", "shared").put("code", "export default () => new Response('s')"));
        platform.createVal(admin, new JsonObject().put("name", "hidden").put("privacy", "private").put("code", "export default () => new Response('h')"));

        assertEquals(200, platform.get("/api/v1/vals/admin/shared", dave).status());
        assertEquals(404, platform.get("/api/v1/vals/admin/hidden", dave).status());
        assertEquals(404, platform.get("/api/v1/vals/admin/hidden/versions", dave).status());

        var change = platform.put("/api/v1/vals/admin/shared", dave, new JsonObject().put("code", "export default () => new Response('mine')").encode());
        assertEquals(403, change.status());
        assertEquals("forbidden", error(change).getString("code"));
        assertEquals(403, platform.delete("/api/v1/vals/admin/shared", dave).status());
        assertEquals(403, platform.get("/api/v1/vals/admin/shared/runs", dave).status(), "runs hold logs: owner only");
        assertEquals("s", platform.get("/v/admin/shared").body());

        var davesList = platform.get("/api/v1/vals", dave).json().getJsonArray("data");
        assertEquals(new JsonArray(), davesList);
    }

    @Test
    void runs_list_trigger_status_duration_and_respect_the_limit() {
        platform.createVal(admin, "ran", "export default () => new Response('r', { status: 201 })");
        for (int i = 0; i < 3; i++) assertEquals(201, platform.get("/v/admin/ran").status());
        var runs = platform.get("/api/v1/vals/admin/ran/runs?limit=2", admin).json().getJsonArray("data");
        assertEquals(2, runs.size());
        var run = runs.getJsonObject(0);
        assertEquals("http", run.getString("trigger"));
        assertEquals("success", run.getString("outcome"));
        assertEquals(201, run.getInteger("status"));
        assertTrue(run.getDouble("durationMs") >= 0);
        assertNull(run.getString("error"));
        assertEquals(3, platform.get("/api/v1/vals/admin/ran/runs", admin).json().getJsonArray("data").size());
        assertEquals(400, platform.get("/api/v1/vals/admin/ran/runs?limit=0", admin).status());
    }

    @Test
    void only_an_admin_creates_users() {
        String erin = platform.createUser("erin");
        var me = platform.get("/api/v1/me", erin).json();
        assertEquals("erin", me.getString("name"));
        assertEquals("user", me.getString("role"));
        var refused = platform.post("/api/v1/users", erin, new JsonObject().put("name", "mallory").encode());
        assertEquals(403, refused.status());
        var dup = platform.post("/api/v1/users", admin, new JsonObject().put("name", "erin").encode());
        assertEquals(409, dup.status());
        var badName = platform.post("/api/v1/users", admin, new JsonObject().put("name", "Erin!").encode());
        assertEquals(400, badName.status());
    }

    @Test
    void tokens_are_created_listed_without_secret_and_revoked() throws Exception {
        String frank = platform.createUser("frank");
        var created = platform.post("/api/v1/tokens", frank, new JsonObject().put("name", "laptop").encode());
        assertEquals(201, created.status());
        String secret = created.json().getString("token");
        assertTrue(secret.startsWith("vl_"));
        assertEquals("frank", platform.get("/api/v1/me", secret).json().getString("name"));

        var list = platform.get("/api/v1/tokens", frank).json().getJsonArray("data");
        assertEquals(2, list.size());
        for (Object t : list) assertFalse(((JsonObject) t).containsKey("token"), "secrets are never listed");

        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "");
             var rows = connection.createStatement().executeQuery("SELECT token_hash FROM app.api_tokens")) {
            while (rows.next()) {
                assertEquals(32, rows.getBytes(1).length);
                assertFalse(new String(rows.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret.substring(3, 20)));
            }
        }

        String id = created.json().getString("id");
        assertEquals(404, platform.delete("/api/v1/tokens/" + id, platform.createUser("grace")).status(), "not your token");
        assertEquals(204, platform.delete("/api/v1/tokens/" + id, frank).status());
        assertEquals(401, platform.get("/api/v1/me", secret).status());

        var forOther = platform.post("/api/v1/tokens", frank, new JsonObject().put("user", "admin").encode());
        assertEquals(403, forOther.status());
        var adminForFrank = platform.post("/api/v1/tokens", admin, new JsonObject().put("user", "frank").encode());
        assertEquals(201, adminForFrank.status());
        assertEquals("frank", platform.get("/api/v1/me", adminForFrank.json().getString("token")).json().getString("name"));
    }

    @Test
    void env_values_are_stored_but_never_listed() {
        String heidi = platform.createUser("heidi");
        assertEquals(204, platform.put("/api/v1/env/API_KEY", heidi, new JsonObject().put("value", "s3cret-value").encode()).status());
        assertEquals(204, platform.put("/api/v1/env/API_KEY", heidi, new JsonObject().put("value", "s3cret-2").encode()).status());
        var list = platform.get("/api/v1/env", heidi);
        assertEquals(200, list.status());
        assertEquals("API_KEY", list.json().getJsonArray("data").getJsonObject(0).getString("key"));
        assertFalse(list.body().contains("s3cret"), list.body());
        assertEquals(new JsonArray(), platform.get("/api/v1/env", admin).json().getJsonArray("data"), "env is per user");
        assertEquals(400, platform.put("/api/v1/env/1BAD", heidi, new JsonObject().put("value", "x").encode()).status());
        assertEquals(400, platform.put("/api/v1/env/OK", heidi, new JsonObject().put("value", 5).encode()).status());
        assertEquals(204, platform.delete("/api/v1/env/API_KEY", heidi).status());
        assertEquals(404, platform.delete("/api/v1/env/API_KEY", heidi).status());
    }

    @Test
    void unknown_api_routes_are_json_404() {
        var reply = platform.get("/api/v1/nothing-here", admin);
        assertEquals(404, reply.status());
        assertEquals("not_found", error(reply).getString("code"));
    }
}
