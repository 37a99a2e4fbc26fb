package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With VALS_DOMAIN set, {owner}--{val}.{domain} reaches the val as its own host (Val Town style). */
class HostRoutingTest {
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("host_routing", Map.of("VALS_DOMAIN", "vals.test"));
        platform.createVal(platform.adminToken, "site", "export default (req) => new Response('site at ' + req.url)");
        String token = platform.createUser("my-team");
        platform.createVal(token, "web-app", "export default (req) => new Response('team app at ' + new URL(req.url).pathname)");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** A raw request, since the JDK client does not let a test choose the Host header. */
    private static String get(String host, String path) throws IOException {
        try (var socket = new Socket("localhost", platform.valence.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_val_answers_on_its_own_host_name() throws IOException {
        String response = get("admin--site.vals.test", "/page?x=1");
        assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
        assertTrue(response.endsWith("site at http://admin--site.vals.test/page?x=1"), response);
    }

    @Test
    void owner_and_val_names_with_dashes_resolve_to_the_existing_val() throws IOException {
        String response = get("my-team--web-app.vals.test", "/deep/path");
        assertTrue(response.endsWith("team app at /deep/path"), response);
    }

    @Test
    void an_unknown_host_val_is_404_and_other_hosts_reach_the_api() throws IOException {
        assertTrue(get("nobody--nothing.vals.test", "/").startsWith("HTTP/1.1 404"));
        String health = get("localhost", "/healthz");
        assertTrue(health.startsWith("HTTP/1.1 200"), health);
        assertEquals(200, platform.get("/v/admin/site").status());
    }
}
