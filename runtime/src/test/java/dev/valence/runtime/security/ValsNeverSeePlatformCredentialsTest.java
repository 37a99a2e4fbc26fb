package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In the default install (no VALS_DOMAIN set) every val has an origin of its own at
 * {@code http://{owner}--{val}.localhost:{PORT}/}, and no val, by host or by path, sees the caller's
 * Valence token or Valence's cookies, nor sets a cookie for the platform or for another val.
 */
class ValsNeverSeePlatformCredentialsTest {
    static TestPlatform platform;
    static final String ECHO = """
            export default (req) => Response.json({
              authorization: req.headers.get('authorization'),
              cookie: req.headers.get('cookie'),
              url: req.url,
            })""";

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("platform_credentials");
        platform.createVal(platform.adminToken, "echo", ECHO);
        platform.createVal(platform.adminToken, new JsonObject().put("name", "secret-echo").put("code", ECHO).put("privacy", "private"));
        platform.createVal(platform.adminToken, "tosser", """
                export default () => {
                  const headers = new Headers();
                  headers.append('set-cookie', 'valence_team=tossed; Path=/ops');
                  headers.append('set-cookie', 'theme=dark; Domain=localhost; Path=/; SameSite=Lax');
                  return new Response('tossed', { headers });
                }""");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** A raw request, since the JDK client does not let a test choose the Host header. */
    private static String send(String host, String path, List<String> headers) throws IOException {
        try (var socket = new Socket("localhost", platform.valence.port())) {
            var request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            headers.forEach(h -> request.append(h).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonObject body(String response) {
        assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
        return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    private static List<String> headerLines(String response, String name) {
        return response.substring(0, response.indexOf("\r\n\r\n")).lines()
                .filter(line -> line.toLowerCase().startsWith(name.toLowerCase() + ":")).toList();
    }

    private String host(String label) {
        return label + ".localhost:" + platform.valence.port();
    }

    @Test
    void out_of_the_box_a_val_answers_on_its_own_localhost_origin() throws IOException {
        JsonObject seen = body(send(host("admin--echo"), "/page?x=1", List.of()));
        assertEquals("http://" + host("admin--echo") + "/page?x=1", seen.getString("url"));
    }

    @Test
    void a_val_by_host_name_sees_neither_the_callers_valence_token_nor_valence_cookies() throws IOException {
        JsonObject seen = body(send(host("admin--echo"), "/", List.of("Authorization: Bearer " + platform.adminToken,
                "Cookie: valence_team=vl_team_secret; theme=dark; __Host-valence_session=s1; lang=en")));
        assertNull(seen.getString("authorization"));
        assertEquals("theme=dark; lang=en", seen.getString("cookie"));
    }

    @Test
    void a_val_by_path_sees_neither_the_callers_valence_token_nor_valence_cookies() throws IOException {
        JsonObject seen = body(send("localhost", "/v/admin/echo", List.of("Authorization: bearer  " + platform.adminToken,
                "Cookie: valence_session=abc")));
        assertNull(seen.getString("authorization"));
        assertNull(seen.getString("cookie"));
    }

    @Test
    void a_vals_own_authorization_schemes_and_cookies_reach_it() throws IOException {
        JsonObject basic = body(send(host("admin--echo"), "/", List.of("Authorization: Basic dXNlcjpwYXNz", "Cookie: session=mine")));
        assertEquals("Basic dXNlcjpwYXNz", basic.getString("authorization"));
        assertEquals("session=mine", basic.getString("cookie"));
        JsonObject bearer = body(send("localhost", "/v/admin/echo", List.of("Authorization: Bearer gh_not_ours")));
        assertEquals("Bearer gh_not_ours", bearer.getString("authorization"));
    }

    @Test
    void a_private_val_still_checks_its_owners_token_and_then_does_not_see_it() throws IOException {
        String refused = send(host("admin--secret-echo"), "/", List.of());
        assertTrue(refused.startsWith("HTTP/1.1 401"), refused);
        JsonObject seen = body(send(host("admin--secret-echo"), "/", List.of("Authorization: Bearer " + platform.adminToken)));
        assertNull(seen.getString("authorization"));
    }

    @Test
    void a_val_cannot_set_a_valence_cookie_nor_a_cookie_for_a_parent_domain() throws IOException {
        for (String[] where : new String[][] {{host("admin--tosser"), "/"}, {"localhost", "/v/admin/tosser"}}) {
            String response = send(where[0], where[1], List.of());
            assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
            assertEquals(List.of("set-cookie: theme=dark; Path=/; SameSite=Lax"), headerLines(response, "set-cookie"), response);
        }
    }

    @Test
    void by_path_a_browser_runs_the_vals_page_in_an_opaque_origin_and_by_host_in_its_own() throws IOException {
        String byPath = send("localhost", "/v/admin/echo", List.of());
        assertEquals(List.of("Content-Security-Policy: sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"
                + " allow-modals allow-downloads"), headerLines(byPath, "content-security-policy"), byPath);
        assertEquals(List.of(), headerLines(send(host("admin--echo"), "/", List.of()), "content-security-policy"));
    }

    @Test
    void the_api_honours_no_cookie_only_a_token_in_the_authorization_header() {
        var reply = platform.send("GET", "/api/v1/me", null, null, Map.of("Cookie", "valence_team=" + platform.adminToken
                + "; valence_session=" + platform.adminToken, "Sec-Fetch-Site", "same-origin"));
        assertEquals(401, reply.status());
        assertEquals("This needs an API token: send 'Authorization: Bearer <token>'.",
                reply.json().getJsonObject("error").getString("message"));
    }
}
