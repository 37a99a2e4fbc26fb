package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request body costs memory only once the request is known to be wanted: the API authenticates and
 * a val is found before a byte of the body is read, uploads in flight are capped, and a connection
 * that dawdles over its headers or its body is closed.
 */
class UploadsBeforeAuthenticationTest {
    private static final long TEN_MIB = 10L * 1024 * 1024;

    @Test
    void an_api_upload_without_a_valid_token_is_refused_before_its_body_is_read() throws Exception {
        try (var platform = TestPlatform.start("edge_api_upload")) {
            for (String authorization : new String[] {null, "Authorization: Bearer vl_not-a-token"}) {
                try (var http = new RawHttp(platform.valence.port())) {
                    List<String> headers = new ArrayList<>(List.of("Content-Type: application/json", "Content-Length: " + TEN_MIB));
                    if (authorization != null) headers.add(authorization);
                    http.head("POST", "/api/v1/vals", headers.toArray(String[]::new)).body(1024);
                    String response = http.read(3_000);
                    assertEquals(401, RawHttp.status(response), response);
                    assertTrue(response.contains("\"code\":\"unauthorized\""), response);
                    assertTrue(response.toLowerCase().contains("connection: close"), response);
                }
            }
        }
    }

    @Test
    void an_upload_to_a_val_that_does_not_exist_is_refused_before_its_body_is_read() throws Exception {
        try (var platform = TestPlatform.start("edge_val_upload")) {
            try (var http = new RawHttp(platform.valence.port())) {
                http.head("POST", "/v/admin/nothing", "Content-Length: " + TEN_MIB).body(1024);
                String response = http.read(3_000);
                assertEquals(404, RawHttp.status(response), response);
                assertTrue(response.contains("No val named admin/nothing."), response);
            }
        }
    }

    @Test
    void uploads_past_the_budget_are_refused_with_503_until_one_ends() throws Exception {
        // a budget of two full-size bodies of 4 KiB: 8 KiB
        try (var platform = TestPlatform.start("edge_upload_cap", Map.of("MAX_CONCURRENT_UPLOADS", "2", "MAX_BODY_BYTES", "4096"))) {
            platform.createVal(platform.adminToken, "size", "export default async (req) => new Response(String((await req.arrayBuffer()).byteLength))");
            var first = new RawHttp(platform.valence.port()).head("POST", "/v/admin/size", "Content-Length: 4096").body(1024);
            var second = new RawHttp(platform.valence.port()).head("POST", "/v/admin/size", "Content-Length: 2048").body(1024);
            var third = new RawHttp(platform.valence.port()).head("POST", "/v/admin/size", "Content-Length: 2048").body(1024);
            Thread.sleep(300); // all three are being read: 4 + 2 + 2 KiB, the whole budget
            try (var fourth = new RawHttp(platform.valence.port())) {
                String response = fourth.head("POST", "/v/admin/size", "Content-Length: 16").body(8).read(3_000);
                assertEquals(503, RawHttp.status(response), response);
                assertTrue(response.contains("Retry-After: 1") || response.contains("retry-after: 1"), response);
                assertTrue(response.contains("Request bodies being received already take the upload budget (2 full-size bodies:"
                        + " MAX_CONCURRENT_UPLOADS × MAX_BODY_BYTES); retry in a moment."), response);
            }
            try (var chunked = new RawHttp(platform.valence.port())) { // a chunked body holds a whole body's bytes: never fits beside them
                String response = chunked.head("POST", "/v/admin/size", "Transfer-Encoding: chunked").read(3_000);
                assertEquals(503, RawHttp.status(response), response);
            }
            String done = second.body(1024).read(5_000);
            assertEquals(200, RawHttp.status(done), done);
            assertTrue(done.endsWith("2048"), done);
            second.close();
            // 2 KiB are free again: a small body fits, a full-size one still does not
            var small = platform.send("POST", "/v/admin/size", null, "x".repeat(100), Map.of());
            assertEquals(200, small.status(), small.body());
            assertEquals("100", small.body());
            try (var full = new RawHttp(platform.valence.port())) {
                String response = full.head("POST", "/v/admin/size", "Content-Length: 4096").body(8).read(3_000);
                assertEquals(503, RawHttp.status(response), response);
            }
            first.close();
            third.close();
        }
    }

    /** What a count of bodies got wrong: many small bodies in reading at the same moment are not many uploads. */
    @Test
    void a_hundred_small_bodies_at_once_fit_in_a_budget_of_two_full_size_ones() throws Exception {
        try (var platform = TestPlatform.start("edge_upload_small", Map.of("MAX_CONCURRENT_UPLOADS", "2"))) {
            platform.createVal(platform.adminToken, "size", "export default async (req) => new Response(String((await req.arrayBuffer()).byteLength))");
            var open = new ArrayList<RawHttp>();
            try {
                for (int i = 0; i < 100; i++) { // each has sent half of its 2 KiB: all hundred are being received
                    open.add(new RawHttp(platform.valence.port()).head("POST", "/v/admin/size", "Content-Length: 2048").body(1024));
                }
                Thread.sleep(300);
                for (var http : open) {
                    String done = http.body(1024).read(5_000);
                    assertEquals(200, RawHttp.status(done), done);
                    assertTrue(done.endsWith("2048"), done);
                }
            } finally {
                for (var http : open) http.close();
            }
        }
    }

    @Test
    void a_body_that_stops_arriving_is_answered_408_after_the_body_timeout() throws Exception {
        try (var platform = TestPlatform.start("edge_body_timeout", Map.of("HTTP_BODY_TIMEOUT_MS", "1000"))) {
            platform.createVal(platform.adminToken, "size", "export default async (req) => new Response(String((await req.arrayBuffer()).byteLength))");
            try (var http = new RawHttp(platform.valence.port())) {
                long started = System.nanoTime();
                String response = http.head("POST", "/v/admin/size", "Content-Length: 4096").body(1024).read(5_000);
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertEquals(408, RawHttp.status(response), response);
                assertTrue(response.contains("The request body did not arrive within 1000 ms (HTTP_BODY_TIMEOUT_MS)"), response);
                assertTrue(tookMs < 4_000, "answered after " + tookMs + " ms");
            }
        }
    }

    @Test
    void a_connection_that_never_finishes_its_headers_is_closed_after_the_header_timeout() throws Exception {
        try (var platform = TestPlatform.start("edge_header_timeout", Map.of("HTTP_HEADER_TIMEOUT_MS", "1000"))) {
            try (var http = new RawHttp(platform.valence.port())) {
                http.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1".getBytes());
                assertTrue(http.closedWithin(4_000), "the connection is still open 4 s after its headers began");
            }
            try (var http = new RawHttp(platform.valence.port())) {
                String response = http.head("GET", "/healthz").read(3_000);
                assertEquals(200, RawHttp.status(response), "a prompt request is served: " + response);
            }
        }
    }

    @Test
    void an_idle_connection_is_closed_after_the_idle_timeout() throws Exception {
        try (var platform = TestPlatform.start("edge_idle_timeout", Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "1", "VAL_TIMEOUT_MS", "500"))) {
            try (var http = new RawHttp(platform.valence.port())) {
                String response = http.head("GET", "/healthz").read(3_000);
                assertEquals(200, RawHttp.status(response), response);
                assertTrue(http.closedWithin(4_000), "the idle keep-alive connection is still open after 4 s");
            }
        }
    }

    /** The measurement: forty slow uploads of 10 MiB each, without a token, and the heap they take. */
    @Test
    void forty_unauthenticated_uploads_hold_no_bodies_in_memory() throws Exception {
        try (var platform = TestPlatform.start("edge_heap")) {
            platform.createVal(platform.adminToken, "size", "export default async (req) => new Response(String((await req.arrayBuffer()).byteLength))");
            // a first round grows the server's pooled network buffers to what forty fast uploads need; they stay
            // pooled (not garbage) and would count as growth on a loaded machine: the second round is the measure
            heapGrowthOfFortyUploads(platform.valence.port(), "/api/v1/vals", true);
            long apiGrowth = heapGrowthOfFortyUploads(platform.valence.port(), "/api/v1/vals", true);
            long valGrowth = heapGrowthOfFortyUploads(platform.valence.port(), "/v/admin/size", false);
            System.out.printf("HEAP forty 9 MiB uploads of 10 MiB announced: API without token +%d MiB, public val +%d MiB%n",
                    apiGrowth / (1024 * 1024), valGrowth / (1024 * 1024));
            assertTrue(apiGrowth < 32L * 1024 * 1024, "the API uploads grew the heap by " + apiGrowth / (1024 * 1024) + " MiB");
        }
    }

    /**
     * Heap in use (after collections) while forty connections have each sent 9 MiB of a 10 MiB body, minus before.
     * When every upload is refused ({@code allRefused}), it is read once the server has closed each connection:
     * on a loaded machine the server may still be reading (and dropping) bytes sent before its answer, and a
     * reading taken then counts its transient buffers.
     */
    private static long heapGrowthOfFortyUploads(int port, String path, boolean allRefused) throws Exception {
        long before = usedHeapAfterGc();
        var sent = new CountDownLatch(40);
        var connections = new ArrayList<RawHttp>();
        for (int i = 0; i < 40; i++) {
            var http = new RawHttp(port);
            connections.add(http);
            Thread.ofVirtual().start(() -> {
                try {
                    http.head("POST", path, "Content-Type: application/json", "Content-Length: " + TEN_MIB).body(9 * 1024 * 1024);
                } catch (Exception e) {
                    // refused and closed by the server: nothing more to send
                } finally {
                    sent.countDown();
                }
            });
        }
        sent.await(60, TimeUnit.SECONDS);
        if (allRefused) {
            for (var http : connections) assertTrue(http.closedWithin(10_000), "the server closed a refused upload's connection");
        }
        Thread.sleep(500);
        long during = usedHeapAfterGc();
        for (var http : connections) http.close();
        return Math.max(0, during - before);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
