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
import java.io.UncheckedIOException;
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
        HttpResponse<String> first = eventually("an answer on port " + port, 60_000, () -> getUnchecked(port, "/v/admin/anything"), r -> true);
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
        // Nothing asks this instance for readiness, so the shutdown delay (for a balancer to notice) is skipped: had it
        // not been, the port would take connections for the whole SHUTDOWN_DELAY_MS. The val waits for the test
        // (its fetch is held), so it is in flight for as long as the test needs, however busy the machine.
        long delayMs = 20_000;
        long graceMs = 60_000;
        try (var upstream = new HeldUpstream()) {
            var platform = TestPlatform.start("drain", Map.of("SHUTDOWN_GRACE_MS", Long.toString(graceMs), "SHUTDOWN_DELAY_MS",
                    Long.toString(delayMs), "VAL_FETCH_ALLOW", "localhost", "VAL_TIMEOUT_MS", "600000", "VAL_FETCH_TIMEOUT_MS", "600000"));
            platform.createVal(platform.adminToken, "slow",
                    "export default async () => { await fetch('" + upstream.url("/hold") + "'); return new Response('finished'); }");
            int port = platform.valence.port();
            try (var socket = new Socket("localhost", port)) {
                socket.getOutputStream().write("GET /v/admin/slow HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                upstream.awaitArrivals(1, 60_000); // the val runs: the stop below begins while it is in flight
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(platform::close);

                eventually("the port to refuse new connections (half the delay that was skipped)", delayMs / 2, () -> refuses(port));
                assertFalse(stopping.isDone(), "the stop waits for the request in flight");
                assertEquals(0, socket.getInputStream().available(), "the request in flight has not been answered yet");

                upstream.release();
                String response = readToEnd(socket.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
                assertTrue(response.toLowerCase().contains("\r\nconnection: close\r\n"), response);
                assertTrue(response.endsWith("\r\n\r\nfinished"), response);
                stopping.get(stopLimitMs(delayMs, graceMs), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Test
    void a_stop_watched_by_a_balancer_serves_on_for_the_delay_with_readiness_503_then_closes_the_port() throws Exception {
        // a delay long enough that "within the delay" and "after it" stay apart on a busy machine
        long delayMs = 6_000;
        long graceMs = 5_000;
        var platform = TestPlatform.start("delay", Map.of("SHUTDOWN_GRACE_MS", Long.toString(graceMs), "SHUTDOWN_DELAY_MS", Long.toString(delayMs)));
        platform.createVal(platform.adminToken, "hello", "export default () => new Response('hello');");
        int port = platform.valence.port();
        assertEquals("hello", get(port, "/v/admin/hello").body(), "warm: the request during the delay below does not compile the val");
        // a balancer's check (this instance is now watched); readiness turns 200 once the last service has started
        eventually("ready", 60_000, () -> status(port, "/readyz") == 200);
        long stopNs = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(platform::close);

        // readiness turns 503 first thing: a balancer must see it while the port still serves, well within the delay
        HttpResponse<String> readiness = eventually("readiness to turn 503 within half the delay", delayMs / 2,
                () -> getUnchecked(port, "/readyz"), r -> r.statusCode() != 200);
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
        assertTrue(servedMs < delayMs - 100, "the request above was served " + servedMs + " ms into the stop, not within the delay");
        // after the delay the port takes no new connection; the grace is for the requests in flight, not for the port
        eventually("the port to refuse new connections after the delay", delayMs + graceMs, () -> refuses(port));
        long closedMs = (System.nanoTime() - stopNs) / 1_000_000;
        assertTrue(closedMs >= delayMs - 100, "the port closed " + closedMs + " ms into the stop, before SHUTDOWN_DELAY_MS=" + delayMs);
        stopping.get(stopLimitMs(delayMs, graceMs), TimeUnit.MILLISECONDS);
    }

    @Test
    void a_request_still_running_when_the_grace_period_ends_is_cut_and_the_stop_ends() throws Exception {
        // long enough that the rest of the stop (cron, heartbeat, engine: seconds at most on a busy machine) fits in a second grace
        long graceMs = 5_000;
        try (var upstream = new HeldUpstream()) {
            // the val runs for a minute (its own time limit is longer): only the grace period can end its request
            var platform = TestPlatform.start("grace", Map.of("SHUTDOWN_GRACE_MS", Long.toString(graceMs), "VAL_FETCH_ALLOW", "localhost",
                    "VAL_TIMEOUT_MS", "600000"));
            platform.createVal(platform.adminToken, "endless", "export default async () => { await fetch('" + upstream.url("/arrived")
                    + "'); await new Promise(r => setTimeout(r, 60000)); return new Response('too late'); }");
            try (var socket = new Socket("localhost", platform.valence.port())) {
                socket.getOutputStream().write("GET /v/admin/endless HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                upstream.awaitArrivals(1, 60_000); // the val runs
                long stopNs = System.nanoTime();
                platform.close();
                long stopMs = (System.nanoTime() - stopNs) / 1_000_000;
                assertEquals("", readToEnd(socket.getInputStream()), "the connection is closed without an answer");
                // had the drain waited for the val, the port's stop would have been given up only after its own limit
                assertTrue(stopMs >= graceMs - 50 && stopMs < 2 * graceMs, "the stop took " + stopMs + " ms with SHUTDOWN_GRACE_MS=" + graceMs
                        + " (one that waited for the val would have taken " + stopLimitMs(0, graceMs) + " ms or more)");
            }
        }
    }

    /** How long the runtime lets one service take to stop with these settings: after that a stop goes on without it. */
    private static long stopLimitMs(long delayMs, long graceMs) {
        return delayMs + graceMs + Valence.STOP_MARGIN.toMillis();
    }

    /** Whether the port refuses a new connection (one it accepts is closed again at once). */
    private static boolean refuses(int port) {
        try (var probe = new Socket("localhost", port)) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** As {@link #get}, for {@link dev.valence.foundation.testing.Eventually}'s probes (a failure counts as not yet). */
    private HttpResponse<String> getUnchecked(int port, String path) {
        try {
            return get(port, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
