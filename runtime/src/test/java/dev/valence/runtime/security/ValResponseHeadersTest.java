package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a val puts in its response head is checked before it is sent: the head has a size cap, and a
 * value HTTP cannot carry (a character past Latin-1) is a clear val error, not garbled bytes.
 */
class ValResponseHeadersTest {

    @Test
    void response_headers_over_the_cap_are_a_500_naming_the_limit() throws Exception {
        try (var platform = TestPlatform.start("edge_header_cap", Map.of("VAL_MAX_RESPONSE_HEADER_BYTES", "4096"))) {
            platform.createVal(platform.adminToken, "big", "export default () => new Response('hi', {headers: {'x-big': 'a'.repeat(5000)}})");
            platform.createVal(platform.adminToken, "bigstream", "export default () => new Response(new ReadableStream({start(c) {"
                    + " c.enqueue(new TextEncoder().encode('hi')); c.close(); }}), {headers: {'x-big': 'a'.repeat(5000)}})");
            platform.createVal(platform.adminToken, "fine", "export default () => new Response('hi', {headers: {'x-ok': 'a'.repeat(3000)}})");
            // "name: value\r\n" for each header: x-big's 5009 bytes, and the 40 of the text body's content-type
            for (var expected : Map.of("big", 5049, "bigstream", 5009).entrySet()) {
                String val = expected.getKey();
                var reply = platform.get("/v/admin/" + val);
                assertEquals(500, reply.status(), reply.body());
                assertNull(reply.header("x-big"));
                assertEquals("val_error", reply.json().getJsonObject("error").getString("code"));
                assertEquals("The val's response headers take " + expected.getValue() + " bytes, more than the limit of 4096 (VAL_MAX_RESPONSE_HEADER_BYTES);"
                        + " send less in headers (a large value belongs in the body).",
                        reply.json().getJsonObject("error").getString("message"));
            }
            var fine = platform.get("/v/admin/fine");
            assertEquals(200, fine.status(), fine.body());
            assertEquals("a".repeat(3000), fine.header("x-ok"));
        }
    }

    @Test
    void a_header_value_past_latin1_is_a_500_naming_the_header_and_latin1_passes_as_its_bytes() throws Exception {
        try (var platform = TestPlatform.start("edge_header_latin1")) {
            platform.createVal(platform.adminToken, "euro", "export default () => new Response('hi', {headers: {'x-price': '5 €'}})");
            platform.createVal(platform.adminToken, "zoe", "export default () => new Response('hi', {headers: {'x-name': 'Zoë'}})");
            var euro = platform.get("/v/admin/euro");
            assertEquals(500, euro.status(), euro.body());
            assertNull(euro.header("x-price"));
            assertEquals("The val's response header 'x-price' has the character U+20AC, which HTTP headers cannot carry (only Latin-1,"
                    + " U+0000-U+00FF); percent-encode the value (encodeURIComponent) or send it in the body.",
                    euro.json().getJsonObject("error").getString("message"));
            try (var http = new RawHttp(platform.valence.port())) {
                String raw = new String(http.head("GET", "/v/admin/zoe").readBytes(3_000), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(raw.contains("x-name: Zo\u00eb\r\n"), raw);
            }
        }
    }
}
