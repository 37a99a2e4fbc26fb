package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.valence.runtime.HeadlessChromium;
import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile val in the default install, visited by a real browser (headless Chromium) that holds a
 * Valence session cookie for localhost. The val's page, first on its own host name and then by path,
 * tries a cross-site POST to the API, a credentialed fetch of the API, and tossing cookies over the
 * visitor's session (from script and from its answer's headers). Every attempt is refused.
 *
 * <p>The browser starts at a small page of the test's own on {@code localhost} (another port: cookies
 * do not tell ports apart), which sets the visitor's session cookie the way /ops does and sends the
 * browser to the val; the val's page reports what it managed and navigates back, so the test reads
 * the cookies the browser would now send to the platform.
 */
class HostileValInTheDefaultInstallTest {
    static TestPlatform platform;
    static HttpServer probe;
    static final Map<String, String> landings = new ConcurrentHashMap<>();
    static final Map<String, String> cookiesAtLanding = new ConcurrentHashMap<>();
    static String mallory;

    @BeforeAll
    static void start() throws IOException {
        HeadlessChromium.ensureInstalled();
        platform = TestPlatform.start("hostile_val");
        mallory = platform.createUser("mallory");
        probe = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        probe.createContext("/", HostileValInTheDefaultInstallTest::probe);
        probe.start();
        String api = "http://localhost:" + platform.valence.port();
        String back = "http://localhost:" + probe.getAddress().getPort();
        platform.createVal(mallory, "trap", """
                const page = `<!doctype html><title>win a prize</title><script>
                (async () => {
                  const mode = location.hostname.endsWith('.localhost') ? 'host' : 'path';
                  const r = {};
                  try {
                    document.cookie = 'valence_session=tossed-by-script; path=/';
                    document.cookie = 'valence_session=tossed-by-script; domain=localhost; path=/';
                    r.cookieWrite = 'written';
                  } catch (e) { r.cookieWrite = 'refused:' + e.name; }
                  try { const me = await fetch('API/api/v1/me', { credentials: 'include' }); r.me = 'read:' + me.status; }
                  catch (e) { r.me = 'refused'; }
                  try {
                    await fetch('API/api/v1/vals', { method: 'POST', mode: 'no-cors', credentials: 'include',
                      headers: { 'Content-Type': 'text/plain' },
                      body: JSON.stringify({ name: 'planted-' + mode, code: 'export default () => 1' }) });
                    r.post = 'sent';
                  } catch (e) { r.post = 'refused'; }
                  location.href = 'BACK/landing?mode=' + mode + '&r=' + encodeURIComponent(JSON.stringify(r));
                })();
                </script>`;
                export default () => {
                  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8' });
                  headers.append('set-cookie', 'valence_session=tossed-by-header; Path=/');
                  headers.append('set-cookie', 'valence_session=tossed-by-header; Domain=localhost; Path=/');
                  return new Response(page, { headers });
                }""".replace("API", api).replace("BACK", back));
    }

    @AfterAll
    static void stop() {
        if (probe != null) probe.stop(0);
        if (platform != null) platform.close();
    }

    /** The test's own page on localhost: it signs the visitor in, then sends the browser to the val by host, then by path. */
    private static void probe(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        int port = platform.valence.port();
        if (path.equals("/start")) {
            exchange.getResponseHeaders().add("Set-Cookie", "valence_session=victim; Path=/; HttpOnly; SameSite=Lax");
            redirect(exchange, "path".equals(query) ? "http://localhost:" + port + "/v/mallory/trap" : "http://mallory--trap.localhost:" + port + "/");
            return;
        }
        var params = new java.util.HashMap<String, String>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) params.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        String mode = params.getOrDefault("mode", "?");
        cookiesAtLanding.put(mode, String.join(" | ", exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())));
        landings.put(mode, params.getOrDefault("r", "")); // last: the test reads both once this is there
        if (mode.equals("host")) { // then the same page by path
            redirect(exchange, "http://localhost:" + port + "/v/mallory/trap");
            return;
        }
        byte[] done = "<!doctype html><p>done</p>".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, done.length);
        exchange.getResponseBody().write(done);
        exchange.close();
    }

    private static void redirect(HttpExchange exchange, String to) throws IOException {
        exchange.getResponseHeaders().add("Location", to);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    @Test
    void by_path_the_hostile_vals_page_can_neither_toss_cookies_over_the_visitors_session_nor_read_the_api() throws Exception {
        landings.clear();
        cookiesAtLanding.clear();
        String start = "http://localhost:" + probe.getAddress().getPort() + "/start?path";
        if (!HeadlessChromium.visitUntil(start, () -> landings.containsKey("path"), 30_000)) {
            fail("the browser did not come back from the val's page by path within 30 s: " + landings);
        }
        JsonObject byPath = new JsonObject(landings.get("path"));
        assertEquals("refused:SecurityError", byPath.getString("cookieWrite"), byPath.encode());
        assertEquals("refused", byPath.getString("me"), byPath.encode());
        assertEquals("valence_session=victim", cookiesAtLanding.get("path"));
    }

    @Test
    void the_hostile_vals_page_gets_nothing_from_the_visitors_session_by_host_or_by_path() throws Exception {
        landings.clear();
        cookiesAtLanding.clear();
        String start = "http://localhost:" + probe.getAddress().getPort() + "/start";
        if (!HeadlessChromium.visitUntil(start, () -> landings.containsKey("host") && landings.containsKey("path"), 30_000)) {
            fail("the browser did not come back from both visits to the val within 30 s (its host name is http://mallory--trap.localhost:"
                    + platform.valence.port() + "/): " + landings);
        }

        // its own origin: script may write cookies for itself only; the API is unreadable
        JsonObject byHost = new JsonObject(landings.get("host"));
        assertEquals("refused", byHost.getString("me"), byHost.encode());
        // by path: an opaque origin, with no cookie jar at all
        JsonObject byPath = new JsonObject(landings.get("path"));
        assertEquals("refused:SecurityError", byPath.getString("cookieWrite"), byPath.encode());
        assertEquals("refused", byPath.getString("me"), byPath.encode());

        // the visitor's session cookie is untouched: nothing tossed by script or by Set-Cookie reaches localhost
        assertEquals("valence_session=victim", cookiesAtLanding.get("host"));
        assertEquals("valence_session=victim", cookiesAtLanding.get("path"));

        // the cross-site POSTs created nothing (the API takes no cookie, and no token came with them)
        var vals = platform.get("/api/v1/vals", mallory).json().getJsonArray("data");
        assertEquals(1, vals.size(), vals.encode());
        assertEquals(404, platform.get("/api/v1/vals/mallory/planted-host", mallory).status());
        assertEquals(404, platform.get("/api/v1/vals/mallory/planted-path", mallory).status());
    }
}
