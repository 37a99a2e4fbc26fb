package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * X-Forwarded-For, -Proto, -Host and -Prefix are believed only from an address in TRUSTED_PROXIES; a val
 * sees each of them once, set by Valence, never a stranger's value with Valence's appended to it.
 */
class ForwardedHeadersTest {
    static final String ECHO = "export default (req) => Response.json({url: req.url,"
            + " for: req.headers.get('x-forwarded-for'), proto: req.headers.get('x-forwarded-proto'),"
            + " host: req.headers.get('x-forwarded-host'), prefix: req.headers.get('x-forwarded-prefix'),"
            + " forwarded: req.headers.get('forwarded')})";
    static final Map<String, String> SPOOFED = Map.of("X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https",
            "X-Forwarded-Host", "evil.example", "X-Forwarded-Prefix", "/evil", "Forwarded", "for=203.0.113.9");

    @Test
    void a_strangers_forwarded_headers_are_replaced_by_what_valence_saw() {
        try (var platform = TestPlatform.start("edge_forwarded_untrusted")) {
            platform.createVal(platform.adminToken, "echo", ECHO);
            JsonObject seen = platform.send("GET", "/v/admin/echo/page", null, null, SPOOFED).json();
            int port = platform.valence.port();
            assertEquals(new JsonObject().put("url", "http://localhost:" + port + "/page").put("for", "127.0.0.1").put("proto", "http")
                    .put("host", "localhost:" + port).put("prefix", "/v/admin/echo").putNull("forwarded"), seen);
        }
    }

    @Test
    void a_trusted_proxys_forwarded_headers_are_believed_once() {
        try (var platform = TestPlatform.start("edge_forwarded_trusted", Map.of("TRUSTED_PROXIES", "127.0.0.0/8,::1"))) {
            platform.createVal(platform.adminToken, "echo", ECHO);
            var headers = new java.util.HashMap<>(SPOOFED);
            headers.put("X-Forwarded-For", "198.51.100.7, 203.0.113.9"); // the client said the first, the proxy saw the second
            JsonObject seen = platform.send("GET", "/v/admin/echo/page?q=1", null, null, headers).json();
            assertEquals(new JsonObject().put("url", "https://evil.example/page?q=1").put("for", "203.0.113.9").put("proto", "https")
                    .put("host", "evil.example").put("prefix", "/evil/v/admin/echo").putNull("forwarded"), seen);
        }
    }

    @Test
    void trusted_proxies_take_addresses_and_cidrs_and_a_host_name_stops_start_up_with_a_sentence() {
        var bad = org.junit.jupiter.api.Assertions.assertThrows(dev.valence.runtime.Config.InvalidConfigException.class,
                () -> dev.valence.runtime.Config.fromEnv(Map.of("TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal")));
        assertEquals("Invalid configuration:\n  - TRUSTED_PROXIES must be a comma-separated list of IP addresses and CIDRs"
                + " (such as 10.0.0.0/8,127.0.0.1), got 'proxy.internal': it is not an IP address", bad.getMessage());
        var wide = org.junit.jupiter.api.Assertions.assertThrows(dev.valence.runtime.Config.InvalidConfigException.class,
                () -> dev.valence.runtime.Config.fromEnv(Map.of("TRUSTED_PROXIES", "10.0.0.0/33")));
        assertEquals("Invalid configuration:\n  - TRUSTED_PROXIES has '10.0.0.0/33': the prefix length must be 0-32", wide.getMessage());
        var proxies = dev.valence.runtime.Config.fromEnv(Map.of("TRUSTED_PROXIES", "10.1.0.0/16, ::1")).edge().trustedProxies();
        assertEquals(java.util.List.of(true, false, true, true),
                java.util.List.of(proxies.trusts("10.1.200.3"), proxies.trusts("10.2.0.1"), proxies.trusts("0:0:0:0:0:0:0:1"),
                        proxies.trusts("::ffff:10.1.0.9")));
    }
}
