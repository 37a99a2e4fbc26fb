package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web editor's session: a token is exchanged for an HttpOnly, SameSite=Strict cookie from the
 * shared session store; the API honours that cookie only with the session's CSRF token from the
 * editor's own origin; signing out ends it in the database; vals never see it.
 */
class EditorSessionTest {
    static TestPlatform platform;
    static String alice;
    static final Pattern COOKIE = Pattern.compile(
            "valence_editor_session=([A-Za-z0-9_-]{43}); Max-Age=43200; Expires=[^;]+; Path=/; HTTPOnly; SameSite=Strict");

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("editor_session");
        alice = platform.createUser("alice");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static Map<String, String> sameOrigin(String... more) {
        var headers = new HashMap<String, String>(Map.of("Sec-Fetch-Site", "same-origin", "Origin", platform.baseUrl));
        for (int i = 0; i < more.length; i += 2) headers.put(more[i], more[i + 1]);
        return headers;
    }

    private record Signed(String cookie, String csrf) {}

    private static Signed signIn(String token) {
        var headers = sameOrigin("Content-Type", "application/json");
        var reply = platform.send("POST", "/editor/session", null, new JsonObject().put("token", token).encode(), headers);
        assertEquals(201, reply.status(), reply.body());
        var matcher = COOKIE.matcher(reply.header("Set-Cookie"));
        assertTrue(matcher.matches(), "cookie attributes: " + reply.header("Set-Cookie"));
        assertEquals("alice", reply.json().getString("user"));
        assertEquals("http://{owner}--{val}.localhost:" + platform.valence.port() + "/", reply.json().getString("valUrlTemplate"));
        assertEquals("no-store", reply.header("Cache-Control"));
        return new Signed(matcher.group(1), reply.json().getString("csrfToken"));
    }

    @Test
    void a_signed_in_editor_calls_the_api_with_its_cookie_and_csrf_token_from_its_own_origin() {
        var session = signIn(alice);
        assertTrue(!session.cookie().equals(alice) && !session.cookie().contains("vl_"), "the cookie holds a session id, never the token");
        var me = platform.send("GET", "/api/v1/me", null, null,
                sameOrigin("Cookie", "valence_editor_session=" + session.cookie(), "X-CSRF-Token", session.csrf()));
        assertEquals(200, me.status(), me.body());
        assertEquals("alice", me.json().getString("name"));
        var created = platform.send("POST", "/api/v1/vals", null, new JsonObject().put("name", "from-editor")
                        .put("code", "export default () => new Response('hi')").encode(),
                sameOrigin("Cookie", "valence_editor_session=" + session.cookie(), "X-CSRF-Token", session.csrf(), "Content-Type", "application/json"));
        assertEquals(201, created.status(), created.body());
        assertEquals("alice", created.json().getString("owner"));
        var current = platform.send("GET", "/editor/session", null, null, sameOrigin("Cookie", "valence_editor_session=" + session.cookie()));
        assertEquals(200, current.status());
        assertEquals(session.csrf(), current.json().getString("csrfToken"));
    }

    @Test
    void the_cookie_alone_without_the_csrf_token_or_from_another_origin_is_refused() {
        var session = signIn(alice);
        String cookie = "valence_editor_session=" + session.cookie();
        var noCsrf = platform.send("GET", "/api/v1/me", null, null, sameOrigin("Cookie", cookie));
        assertEquals(403, noCsrf.status());
        assertEquals("csrf", noCsrf.json().getJsonObject("error").getString("code"));
        var wrongCsrf = platform.send("GET", "/api/v1/me", null, null, sameOrigin("Cookie", cookie, "X-CSRF-Token", "x" + session.csrf()));
        assertEquals(403, wrongCsrf.status());

        // a val's page: same site (localhost), another origin
        var fromVal = platform.send("POST", "/api/v1/vals", null, "{\"name\":\"evil\",\"code\":\"export default () => new Response('x')\"}",
                Map.of("Cookie", cookie, "X-CSRF-Token", session.csrf(), "Sec-Fetch-Site", "same-site",
                        "Origin", "http://alice--evil.localhost:" + platform.valence.port(), "Content-Type", "application/json"));
        assertEquals(403, fromVal.status());
        assertEquals("The editor's session is accepted only from the editor's own page (Sec-Fetch-Site: same-origin), this request says"
                + " 'same-site'. Scripts send 'Authorization: Bearer <token>' instead.", fromVal.json().getJsonObject("error").getString("message"));
        var foreignOrigin = platform.send("GET", "/api/v1/me", null, null,
                Map.of("Cookie", cookie, "X-CSRF-Token", session.csrf(), "Sec-Fetch-Site", "same-origin", "Origin", "http://evil.example"));
        assertEquals(403, foreignOrigin.status());
        assertEquals("cross_origin", foreignOrigin.json().getJsonObject("error").getString("code"));
        var noFetchMetadata = platform.send("GET", "/api/v1/me", null, null, Map.of("Cookie", cookie, "X-CSRF-Token", session.csrf()));
        assertEquals(403, noFetchMetadata.status());
        assertEquals(404, platform.get("/api/v1/vals/alice/evil", alice).status(), "nothing was created");
    }

    @Test
    void signing_out_ends_the_session_in_the_database_so_a_copied_cookie_stops_working() {
        var session = signIn(alice);
        String cookie = "valence_editor_session=" + session.cookie();
        var refused = platform.send("DELETE", "/editor/session", null, null, sameOrigin("Cookie", cookie));
        assertEquals(403, refused.status(), "signing out needs the CSRF token too");
        var out = platform.send("DELETE", "/editor/session", null, null, sameOrigin("Cookie", cookie, "X-CSRF-Token", session.csrf()));
        assertEquals(204, out.status(), out.body());
        assertTrue(out.header("Set-Cookie").startsWith("valence_editor_session=; Max-Age=0;"), out.header("Set-Cookie"));
        var after = platform.send("GET", "/api/v1/me", null, null, sameOrigin("Cookie", cookie, "X-CSRF-Token", session.csrf()));
        assertEquals(401, after.status());
        assertEquals("Your editor session has ended (signed out, expired or revoked); sign in again at /.",
                after.json().getJsonObject("error").getString("message"));
        assertEquals(401, platform.send("GET", "/editor/session", null, null, sameOrigin("Cookie", cookie)).status());
    }

    @Test
    void a_wrong_token_starts_no_session_and_sign_in_from_another_origin_is_refused() {
        var wrong = platform.send("POST", "/editor/session", null, "{\"token\":\"vl_nope\"}", sameOrigin("Content-Type", "application/json"));
        assertEquals(401, wrong.status());
        assertNull(wrong.header("Set-Cookie"));
        var foreign = platform.send("POST", "/editor/session", null, new JsonObject().put("token", alice).encode(),
                Map.of("Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example", "Content-Type", "application/json"));
        assertEquals(403, foreign.status());
        assertNull(foreign.header("Set-Cookie"));
    }

    @Test
    void the_session_scheme_is_the_editors_own_and_refused_from_outside() {
        var session = signIn(alice);
        var reply = platform.send("GET", "/api/v1/me", null, null, Map.of("Authorization", "Session " + session.cookie()));
        assertEquals(401, reply.status());
        assertEquals("The 'Session' scheme is the web editor's own; scripts send 'Authorization: Bearer <token>'.",
                reply.json().getJsonObject("error").getString("message"));
        // nor does a session id in the header open the owner's private val
        platform.createVal(alice, new JsonObject().put("name", "diary").put("privacy", "private")
                .put("code", "export default () => new Response('dear diary')"));
        var privateVal = platform.send("GET", "/v/alice/diary", null, null, Map.of("Authorization", "Session " + session.cookie()));
        assertEquals(401, privateVal.status(), privateVal.body());
        assertTrue(!privateVal.body().contains("dear diary"), privateVal.body());
    }

    @Test
    void vals_never_see_the_editors_cookie() {
        var session = signIn(alice);
        platform.createVal(alice, "cookie-echo", "export default (req) => new Response(req.headers.get('cookie') ?? '(none)')");
        var reply = platform.send("GET", "/v/alice/cookie-echo", null, null,
                Map.of("Cookie", "valence_editor_session=" + session.cookie() + "; theme=dark"));
        assertEquals("theme=dark", reply.body());
    }

    @Test
    void the_editor_page_is_served_at_the_root_with_a_strict_policy_and_never_on_a_vals_origin() throws Exception {
        var page = platform.get("/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        var policy = Pattern.compile("default-src 'none'; script-src 'self'; style-src 'self' 'nonce-([A-Za-z0-9+/]{24})'; connect-src 'self';"
                + " img-src 'self' data:; frame-src http://\\*\\.localhost:" + platform.valence.port()
                + "; form-action 'none'; frame-ancestors 'none'; base-uri 'none'").matcher(page.header("Content-Security-Policy"));
        assertTrue(policy.matches(), page.header("Content-Security-Policy"));
        assertTrue(page.body().contains("<meta name=\"valence-style-nonce\" content=\"" + policy.group(1) + "\">"), page.body());
        var again = platform.get("/").header("Content-Security-Policy");
        assertTrue(!again.contains(policy.group(1)), "every page load gets a fresh nonce");
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertTrue(page.body().contains("<script defer src=\"/editor/assets/app.js\"></script>"), page.body());
        var script = platform.get("/editor/assets/app.js");
        assertEquals(200, script.status());
        assertTrue(script.header("Content-Type").startsWith("text/javascript") || script.header("Content-Type").startsWith("application/javascript"),
                script.header("Content-Type"));
        assertEquals("nosniff", script.header("X-Content-Type-Options"));

        platform.createVal(alice, "root", "export default () => new Response('the val, not the editor')");
        try (var http = new RawHttp(platform.valence.port())) {
            String raw = http.write("GET / HTTP/1.1\r\nHost: alice--root.localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).read(5_000);
            assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
            assertTrue(raw.endsWith("\r\n\r\nthe val, not the editor"), raw);
        }
        // a host under the vals' domain that names no val is the vals' site: no editor there either
        for (String path : new String[] {"/", "/editor/assets/app.js", "/editor/session"}) {
            try (var http = new RawHttp(platform.valence.port())) {
                String raw = http.write(("GET " + path + " HTTP/1.1\r\nHost: www.localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).read(5_000);
                assertTrue(raw.startsWith("HTTP/1.1 404"), path + ": " + raw);
                assertTrue(raw.contains("Nothing at " + path + ". Vals live at /v/{owner}/{val}, the API at /api/v1."), path + ": " + raw);
            }
        }
    }
}
