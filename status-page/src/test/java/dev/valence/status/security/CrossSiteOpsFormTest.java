package dev.valence.status.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.status.StatusTestSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deploy view's sign-in and forms: a session id (not the team token) in the cookie, stored
 * hashed in control.sessions; a CSRF token and an Origin check on every form; CSP that forbids
 * framing. The runtime's vals and the status page share a site, so SameSite alone does not stop a
 * val's page from posting a form here.
 */
class CrossSiteOpsFormTest {
    private static final String VAL_ORIGIN = "http://127.0.0.1:8080"; // same site as the page, another origin
    private static StatusTestSupport.Served served;

    @BeforeAll
    static void serve() {
        served = StatusTestSupport.serve("csrf");
    }

    @AfterAll
    static void close() {
        served.close();
    }

    private static String query(String sql) {
        try (var c = StatusTestSupport.dataSource(served.database()).getConnection(); var rows = c.createStatement().executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static OpsBrowser signedIn() {
        var browser = new OpsBrowser(served.baseUrl());
        var answer = browser.signIn(served.teamToken());
        assertEquals(303, answer.statusCode(), answer.body());
        return browser;
    }

    private static int incidentsNamed(String name) {
        return Integer.parseInt(query("SELECT count(*) FROM control.incidents WHERE name = '" + name + "'"));
    }

    @Test
    void signing_in_sets_a_session_cookie_that_is_not_the_team_token_and_is_kept_hashed() throws Exception {
        var browser = new OpsBrowser(served.baseUrl());
        var answer = browser.signIn(served.teamToken());

        assertEquals(303, answer.statusCode());
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith("valence_ops_session="), setCookie);
        String id = browser.cookie.substring("valence_ops_session=".length());
        assertEquals(43, id.length());
        assertFalse(setCookie.contains(served.teamToken()), "the cookie must not carry the team token");
        assertTrue(setCookie.matches("valence_ops_session=" + id + "; Max-Age=43200; Expires=\\w{3}, \\d{2} \\w{3} \\d{4} [\\d:]{8} GMT;"
                + " Path=/ops; Secure; HTTPOnly; SameSite=Strict"), setCookie);
        String hash = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("session\0" + id).getBytes(StandardCharsets.UTF_8)));
        assertEquals("team|12:00:00|live", query("SELECT subject_kind || '|' || (expires_at - created_at) || '|' || "
                + "CASE WHEN revoked_at IS NULL THEN 'live' ELSE 'revoked' END FROM control.sessions WHERE id_hash = '\\x" + hash + "'"));
        assertEquals("0", query("SELECT count(*) FROM control.sessions WHERE encode(id_hash, 'escape') LIKE '%" + id + "%'"));
        assertEquals(200, browser.get("/ops/deploy.json").statusCode());
    }

    @Test
    void a_cross_origin_form_post_with_the_session_cookie_is_refused() {
        var browser = signedIn();
        String csrf = browser.csrf();

        var answer = browser.post("/ops/post", VAL_ORIGIN, Map.of("csrf", csrf, "name", "Planted by a val", "status", "investigating",
                "impact", "major", "body", "Everything is down."));

        assertEquals(403, answer.statusCode());
        assertTrue(answer.body().contains("This form was sent from " + VAL_ORIGIN + ", not from this page; the deploy view accepts forms"
                + " only from itself. Open /ops and post from there."), answer.body());
        assertEquals(0, incidentsNamed("Planted by a val"));
    }

    @Test
    void a_same_origin_post_without_the_csrf_token_is_refused() {
        var browser = signedIn();

        var answer = browser.post("/ops/post", served.baseUrl(), Map.of("name", "No token", "status", "investigating", "impact", "minor",
                "body", "Hello."));

        assertEquals(403, answer.statusCode());
        assertTrue(answer.body().contains("This form has no valid security token (it may be older than your sign-in). Reload /ops and post again."),
                answer.body());
        assertEquals(0, incidentsNamed("No token"));
    }

    @Test
    void a_post_without_an_origin_header_still_needs_the_csrf_token() {
        var browser = signedIn();

        var answer = browser.post("/ops/post", null, Map.of("csrf", "forged", "name", "No origin", "status", "investigating", "body", "Hi."));

        assertEquals(403, answer.statusCode());
        assertEquals(0, incidentsNamed("No origin"));
    }

    @Test
    void a_same_origin_post_with_the_csrf_token_posts_the_update() {
        var browser = signedIn();

        var answer = browser.post("/ops/post", served.baseUrl(), Map.of("csrf", browser.csrf(), "name", "Slow cron", "status", "investigating",
                "impact", "minor", "body", "Looking into it."));

        assertEquals(303, answer.statusCode());
        assertEquals("/ops", answer.headers().firstValue("Location").orElseThrow());
        assertEquals(1, incidentsNamed("Slow cron"));
    }

    @Test
    void a_cross_origin_sign_in_form_is_refused() {
        var browser = new OpsBrowser(served.baseUrl());

        var answer = browser.post("/ops/login", VAL_ORIGIN, Map.of("token", served.teamToken()));

        assertEquals(403, answer.statusCode());
        assertTrue(answer.headers().firstValue("Set-Cookie").isEmpty());
    }

    @Test
    void the_raw_team_token_in_a_cookie_signs_nobody_in() {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(served.baseUrl() + "/ops/deploy.json"))
                .header("Cookie", "valence_team=" + served.teamToken()).build();

        assertEquals(401, OpsBrowser.send(request).statusCode());
    }

    @Test
    void every_ops_page_forbids_framing_and_scripts() throws Exception {
        var browser = new OpsBrowser(served.baseUrl());
        var signInPage = browser.get("/ops");
        browser.signIn(served.teamToken());
        var deployView = browser.get("/ops");

        for (var page : java.util.List.of(signInPage, deployView)) {
            assertEquals(200, page.statusCode());
            var style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(page.body());
            assertTrue(style.find());
            String styleHash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
            assertEquals("default-src 'none'; style-src 'sha256-" + styleHash + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                    page.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElseThrow());
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertEquals("same-origin", page.headers().firstValue("Referrer-Policy").orElseThrow());
        }
    }

    @Test
    void signing_out_ends_the_session_for_good() {
        var browser = signedIn();
        String cookie = browser.cookie;

        var answer = browser.post("/ops/logout", served.baseUrl(), Map.of("csrf", browser.csrf()));

        assertEquals(303, answer.statusCode());
        String cleared = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cleared.matches("valence_ops_session=; Max-Age=0; Expires=[^;]+ GMT; Path=/ops; Secure; HTTPOnly; SameSite=Strict"), cleared);
        browser.cookie = cookie; // a copy of the cookie kept elsewhere
        assertEquals(401, browser.get("/ops/deploy.json").statusCode());
    }

    @Test
    void an_expired_session_signs_nobody_in() {
        var browser = signedIn();
        assertEquals(200, browser.get("/ops/deploy.json").statusCode());

        query("UPDATE control.sessions SET expires_at = now() - interval '1 second' RETURNING 1");

        assertEquals(401, browser.get("/ops/deploy.json").statusCode());
        assertTrue(browser.get("/ops").body().contains("<label for=\"token\">Team token</label>"));
    }
}
