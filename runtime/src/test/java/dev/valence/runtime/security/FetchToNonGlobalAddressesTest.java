package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A val's fetch reaches only globally routable addresses (RFC 6890's registry): not the machine's own
 * interfaces, not the documentation ranges (TEST-NET), not the other special-purpose blocks.
 */
class FetchToNonGlobalAddressesTest {
    private static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("fetch_non_global");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String attempt(String name, String url) {
        platform.createVal(platform.adminToken, name, """
                export default async () => {
                  try {
                    const r = await fetch('URL', { signal: AbortSignal.timeout(10000) });
                    return new Response('fetched ' + r.status);
                  } catch (e) {
                    return new Response(e.name + ': ' + e.message);
                  }
                }""".replace("URL", url));
        return platform.get("/v/admin/" + name).body();
    }

    private static String refused(String url, String address, String what) {
        return "TypeError: fetch to " + url + " refused: " + address + " is " + what + "; allow it with VAL_FETCH_ALLOW";
    }

    @Test
    void fetch_refuses_the_documentation_ranges() {
        assertEquals(refused("http://192.0.2.10/", "192.0.2.10", "a documentation address (TEST-NET-1, RFC 5737)"),
                attempt("test-net-1", "http://192.0.2.10/"));
        assertEquals(refused("http://198.51.100.7/", "198.51.100.7", "a documentation address (TEST-NET-2, RFC 5737)"),
                attempt("test-net-2", "http://198.51.100.7/"));
        assertEquals(refused("http://203.0.113.9/", "203.0.113.9", "a documentation address (TEST-NET-3, RFC 5737)"),
                attempt("test-net-3", "http://203.0.113.9/"));
        assertEquals(refused("http://[2001:db8::1]/", "2001:db8:0:0:0:0:0:1", "a documentation address (2001:db8::/32, RFC 3849)"),
                attempt("doc-v6", "http://[2001:db8::1]/"));
    }

    @Test
    void fetch_refuses_the_other_blocks_rfc_6890_marks_not_global() {
        assertEquals(refused("http://192.88.99.1/", "192.88.99.1", "not a globally routable address (192.88.99.0/24, RFC 6890)"),
                attempt("relay-anycast", "http://192.88.99.1/"));
        assertEquals(refused("http://[100::1]/", "100:0:0:0:0:0:0:1", "not a globally routable address (100::/64, RFC 6890)"),
                attempt("discard-only", "http://[100::1]/"));
        assertEquals(refused("http://[2001:2::1]/", "2001:2:0:0:0:0:0:1", "not a globally routable address (2001::/23, RFC 6890)"),
                attempt("ietf-protocol", "http://[2001:2::1]/"));
    }

    @Test
    void fetch_refuses_the_machines_own_interface_addresses() throws SocketException {
        InetAddress own = ownNonLoopbackAddress();
        assertNotNull(own, "this test needs a machine with a non-loopback IPv4 interface");
        String url = "http://" + own.getHostAddress() + ":" + platform.valence.port() + "/v/admin/anything";
        assertEquals(refused(url, own.getHostAddress(), "an address of this machine"), attempt("own-interface", url));
    }

    @Test
    void a_cron_schedule_that_never_fires_is_refused_at_save_with_a_sentence() {
        for (String schedule : new String[] {"0 0 31 2 *", "0 0 30 2 *", "15 10 31 4,6,9,11 *"}) {
            var reply = platform.post("/api/v1/vals", platform.adminToken, new JsonObject().put("name", "never")
                    .put("type", "cron").put("schedule", schedule).put("code", "export default () => {}").encode());
            assertEquals(400, reply.status(), reply.body());
            assertEquals(new JsonObject().put("error", new JsonObject().put("code", "invalid_schedule").put("message",
                    "The cron expression '" + schedule + "' never fires: no date matches its day of the month and month"
                            + " (such as February 31). Choose a day every chosen month has (1 to 28 fits all).")),
                    reply.json());
        }
        // February 29 comes every four years: rare, but it fires
        var leap = platform.post("/api/v1/vals", platform.adminToken, new JsonObject().put("name", "leap")
                .put("type", "cron").put("schedule", "0 0 29 2 *").put("code", "export default () => {}").encode());
        assertEquals(201, leap.status(), leap.body());
    }

    private static InetAddress ownNonLoopbackAddress() throws SocketException {
        for (var nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (var address : nic.inetAddresses().toList()) {
                if (address instanceof Inet4Address && !address.isLinkLocalAddress()) return address;
            }
        }
        return null;
    }
}
