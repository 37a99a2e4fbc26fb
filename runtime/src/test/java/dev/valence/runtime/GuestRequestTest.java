package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the runtime hands a val lazily and what it writes without copies: a request's headers are
 * made when the val reads them, a long text body is encoded once. A real runtime and database, a
 * real HTTP client.
 */
class GuestRequestTest {
    static TestPlatform platform;
    static String token;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("guest_request");
        token = platform.adminToken;
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void a_request_the_val_keeps_shows_its_own_headers_when_read_during_a_later_request() {
        platform.createVal(token, "keeper", """
                let kept = null;
                export default (req) => {
                  const earlier = kept;
                  kept = req;
                  if (earlier === null) return new Response('first');
                  return new Response(earlier.headers.get('x-n') + ' ' + earlier.headers.get('x-forwarded-prefix')
                    + ' ' + (earlier.headers.get('authorization') ?? '(none)') + ' ' + req.headers.get('x-n')
                    + ' ' + (req.headers.get('authorization') ?? '(none)'));
                }""");
        assertEquals("first", platform.send("GET", "/v/admin/keeper", null, null, Map.of("X-N", "one", "Authorization", "Basic b25lOjE=")).body());
        var later = platform.send("GET", "/v/admin/keeper", token, null, Map.of("X-N", "two"));
        assertEquals(200, later.status());
        assertEquals("one /v/admin/keeper Basic b25lOjE= two (none)", later.body(),
                "the first request's headers, read while the second runs; the second's platform token is not the val's to see");
    }

    @Test
    void a_text_body_long_enough_to_be_measured_arrives_whole_in_utf8() {
        // 4,000,000 characters may pass the 10 MiB limit as UTF-8 (up to 3 bytes each): the runner
        // encodes this body to measure it (8,000,000 bytes), and those bytes are what is written
        platform.createVal(token, "long-text", "export default () => new Response('é'.repeat(4_000_000))");
        var reply = platform.get("/v/admin/long-text");
        assertEquals(200, reply.status());
        assertEquals("text/plain;charset=UTF-8", reply.header("content-type"));
        assertEquals(8_000_000, reply.bytes().length);
        assertEquals("é".repeat(4_000_000), new String(reply.bytes(), StandardCharsets.UTF_8));
    }
}
