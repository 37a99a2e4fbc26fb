package dev.valence.runtime;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runtime's start (the port first, answering starting) and stop (a drain), seen from real HTTP clients. */
class LifecycleTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void the_port_answers_503_starting_before_the_engine_is_up_and_links_to_the_status_port_it_bound() throws Exception {
        int port = Ports.free();
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", TestDatabase.migratedDatabase("starting"));
        if (TestDatabase.external()) env.put("MIGRATE_ON_START", "false");
        env.put("PORT", Integer.toString(port));
        env.put("STATUS_PORT", "0");
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-starting").toString());
        Config config = Config.fromEnv(env);

        long launchedNs = System.nanoTime();
        CompletableFuture<Valence> starting = CompletableFuture.supplyAsync(() -> Valence.start(config));
        HttpResponse<String> first = null;
        while (first == null) {
            assertTrue(System.nanoTime() - launchedNs < TimeUnit.SECONDS.toNanos(60), "nothing answered on port " + port + " within 60 s");
            try {
                first = get(port, "/v/admin/anything");
            } catch (ConnectException notYet) {
                Thread.sleep(5);
            }
        }
        long listeningMs = (System.nanoTime() - launchedNs) / 1_000_000;
        // asked after the first answer: the engine was not up yet when the first one was answered either
        HttpResponse<String> health = get(port, "/healthz");
        HttpResponse<String> ready = get(port, "/readyz");
        try (Valence valence = TestPlatform.awaitUp(starting.get(60, TimeUnit.SECONDS))) {
            long servingMs = (System.nanoTime() - launchedNs) / 1_000_000;
            System.out.printf("time to listen: %d ms; time until the routes serve: %d ms%n", listeningMs, servingMs);

            assertEquals(200, health.statusCode(), health.body());
            var healthBody = new JsonObject(health.body());
            assertEquals("starting", healthBody.getString("status"), health.body());
            assertNull(healthBody.getString("engine"), "the engine is not up yet: " + health.body());
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("starting", new JsonObject(ready.body()).getString("verdict"), ready.body());

            assertEquals(503, first.statusCode(), first.body());
            assertEquals("5", first.headers().firstValue("Retry-After").orElse(null));
            assertEquals("no-store", first.headers().firstValue("Cache-Control").orElse(null));
            var body = new JsonObject(first.body());
            assertEquals("starting", body.getJsonObject("error").getString("reason"), first.body());
            assertEquals("the runtime is starting: it is connecting to the database and checking its schema",
                    body.getJsonObject("error").getString("message"));
            assertEquals("http://localhost:" + valence.statusPage().port() + "/", body.getString("statusPage"),
                    "with STATUS_PORT=0 the link names the port the status page bound");
            assertTrue(listeningMs < servingMs, "the port opened (" + listeningMs + " ms) before the routes served (" + servingMs + " ms)");
        }
    }

    @Test
    void a_stop_finishes_the_request_in_flight_with_connection_close_and_refuses_new_connections() throws Exception {
        // nothing asks this instance for readiness, so the shutdown delay (for a balancer to notice) is skipped
        var platform = TestPlatform.start("drain", Map.of("SHUTDOWN_GRACE_MS", "8000", "SHUTDOWN_DELAY_MS", "5000"));
        platform.createVal(platform.adminToken, "slow",
                "export default async () => { await new Promise(r => setTimeout(r, 1500)); return new Response('finished'); }");
        int port = platform.valence.port();
        try (var socket = new Socket("localhost", port)) {
            socket.getOutputStream().write("GET /v/admin/slow HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300); // the val runs for 1.5 s: the stop below begins while it is in flight
            long stopNs = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(platform::close);

            while (true) {
                assertTrue(System.nanoTime() - stopNs < TimeUnit.SECONDS.toNanos(1), "the port still takes connections 1 s into the stop");
                try (var probe = new Socket("localhost", port)) {
                    Thread.sleep(5);
                } catch (ConnectException refused) {
                    break;
                }
            }
            assertFalse(stopping.isDone(), "the stop waits for the request in flight");

            String response = readToEnd(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.toLowerCase().contains("\r\nconnection: close\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\nfinished"), response);
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_stop_watched_by_a_balancer_serves_on_for_the_delay_with_readiness_503_then_closes_the_port() throws Exception {
        var platform = TestPlatform.start("delay", Map.of("SHUTDOWN_GRACE_MS", "2000", "SHUTDOWN_DELAY_MS", "1500"));
        platform.createVal(platform.adminToken, "hello", "export default () => new Response('hello');");
        int port = platform.valence.port();
        assertEquals("hello", get(port, "/v/admin/hello").body(), "warm: the request during the delay below does not compile the val");
        // a balancer's check (this instance is now watched); readiness turns 200 once the last service has started
        eventually("ready", 10_000, () -> status(port, "/readyz") == 200);
        long stopNs = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(platform::close);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        HttpResponse<String> readiness;
        while ((readiness = get(port, "/readyz")).statusCode() == 200) {
            assertTrue(System.nanoTime() < deadline, "readiness still 200 1 s into the stop");
            Thread.sleep(5);
        }
        assertEquals(503, readiness.statusCode());
        assertEquals("stopping", new JsonObject(readiness.body()).getString("verdict"), readiness.body());
        // within the delay a request on a new connection is still served, and its connection ends with it
        try (var socket = new Socket("localhost", port)) {
            socket.getOutputStream().write("GET /v/admin/hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = readToEnd(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.toLowerCase().contains("\r\nconnection: close\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\nhello"), response);
        }
        long servedMs = (System.nanoTime() - stopNs) / 1_000_000;
        assertTrue(servedMs < 1400, "the request above was served " + servedMs + " ms into the stop, not within the delay");
        while (true) {
            try (var probe = new Socket("localhost", port)) {
                assertTrue(System.nanoTime() - stopNs < TimeUnit.SECONDS.toNanos(5), "the port still takes connections 5 s into the stop");
                Thread.sleep(5);
            } catch (ConnectException refused) {
                break;
            }
        }
        long closedMs = (System.nanoTime() - stopNs) / 1_000_000;
        assertTrue(closedMs >= 1400, "the port closed " + closedMs + " ms into the stop, before SHUTDOWN_DELAY_MS=1500");
        stopping.get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_request_still_running_when_the_grace_period_ends_is_cut_and_the_stop_ends() throws Exception {
        var platform = TestPlatform.start("grace", Map.of("SHUTDOWN_GRACE_MS", "500"));
        platform.createVal(platform.adminToken, "endless",
                "export default async () => { await new Promise(r => setTimeout(r, 8000)); return new Response('too late'); }");
        try (var socket = new Socket("localhost", platform.valence.port())) {
            socket.getOutputStream().write("GET /v/admin/endless HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300);
            long stopNs = System.nanoTime();
            platform.close();
            long stopMs = (System.nanoTime() - stopNs) / 1_000_000;
            assertEquals("", readToEnd(socket.getInputStream()), "the connection is closed without an answer");
            assertTrue(stopMs >= 450 && stopMs < 6_000, "the stop took " + stopMs + " ms with SHUTDOWN_GRACE_MS=500");
        }
    }

    /** The status of a GET, or -1 when it could not be had (for waiting on it). */
    private int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToEnd(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (java.net.SocketException reset) {
            // a reset ends the stream as well: what arrived before it is the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
