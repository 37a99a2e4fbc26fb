package dev.valence.runtime;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A deploy's rolling restart: two runtime processes behind a real HAProxy, clients posting to a val
 * all the time, each replica in turn stopped with SIGTERM and started again. Not one request may fail.
 */
class RollingRestartTest {
    private static final int CLIENTS = 4;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /**
     * HAProxy below checks every 200 ms, marks a server down after 2 failed checks and gives a check up to 2 s
     * (timeout check): a replica's port must serve on for longer than that after /readyz turns 503, with headroom
     * for a check slowed by a busy machine.
     */
    private static final long SHUTDOWN_DELAY_MS = 2 * 200 + 2_000 + 1_000;
    private static final long SHUTDOWN_GRACE_MS = 10_000;
    /** A replica's stop is over within delay, grace and the runtime's limit for one service; past that it hangs. */
    private static final Duration STOP_TIMEOUT = Duration.ofMillis(SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS).plus(Valence.STOP_MARGIN)
            .plus(Duration.ofSeconds(15));
    /** How long the load may take to reach a replica a given number of times (each request takes 200 ms of the val's). */
    private static final long SERVED_TIMEOUT_MS = 60_000;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void a_rolling_restart_of_two_replicas_behind_haproxy_under_load_loses_no_request() throws Exception {
        Haproxy.ensureInstalled();
        Path dir = TestDatabase.tempDir("valence-rolling");
        String database = TestDatabase.migratedDatabase("rolling");
        Map<String, Integer> ports = Map.of("a", Ports.free(), "b", Ports.free());
        Map<String, Map<String, String>> env = Map.of("a", env(database, dir, "a"), "b", env(database, dir, "b"));
        var replicas = new ConcurrentHashMap<String, ReplicaProcess>();
        int front = Ports.free();
        var load = new Load(front);
        try {
            replicas.put("a", ReplicaProcess.start(ports.get("a"), env.get("a"), dir.resolve("a.log"), START_TIMEOUT));
            replicas.put("b", ReplicaProcess.start(ports.get("b"), env.get("b"), dir.resolve("b.log"), START_TIMEOUT));
        } catch (AssertionError | IOException e) {
            for (var replica : replicas.values()) replica.close();
            throw e;
        }
        try (var haproxy = Haproxy.start(dir, front, ports)) {
            String token = Files.readString(dir.resolve("data-a").resolve("bootstrap-token")).trim();
            var created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/api/v1/vals"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"work\",\"code\":\"export default async (req) => {"
                            + " const body = await req.text(); await new Promise(r => setTimeout(r, 200)); return new Response('done ' + body); }\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());

            load.start();
            load.awaitServedBy("a", 20);
            load.awaitServedBy("b", 20);
            var exits = new ArrayList<Integer>();
            for (String name : List.of("a", "b")) {
                int linesBefore = haproxy.logLines();
                int inFlight = load.inFlight();
                exits.add(replicas.get(name).terminate(STOP_TIMEOUT));
                assertTrue(inFlight > 0, "requests were in flight when " + name + " was stopped");
                replicas.put(name, ReplicaProcess.start(ports.get(name), env.get(name), dir.resolve(name + ".log"), START_TIMEOUT));
                haproxy.awaitUp(name, linesBefore, 30_000); // its checks every 200 ms, each allowed 2 s
                load.awaitServedBy(name, load.servedBy(name) + 20);
            }
            load.stop();

            haproxy.log().stream().filter(l -> l.contains("Server runtimes/")).forEach(System.out::println);
            System.out.printf("rolling restart: %d requests, %s by replica, exit statuses %s%n", load.ok.get(), load.served, exits);
            assertEquals(List.of(), List.copyOf(load.failures), "every request answered 200 through the restart");
            assertTrue(load.ok.get() > 100, "the load kept going: " + load.ok.get() + " requests");
            assertEquals(List.of(143, 143), exits, "each replica ended on SIGTERM after its shutdown hook");
        } finally {
            load.stop();
            for (var replica : replicas.values()) replica.close();
        }
    }

    private static Map<String, String> env(String database, Path dir, String name) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data-" + name));
        // an external test database was migrated by newer code: this build only validates it (as TestPlatform does)
        return Map.of("DATABASE_URL", database, "MIGRATE_ON_START", Boolean.toString(!TestDatabase.external()), "VALENCE_DATA_DIR", data.toString(),
                "INSTANCE_ID", "rolling-" + name, "EMBED_STATUS_PAGE", "false", "STATUS_PORT", "0", "SHUTDOWN_GRACE_MS", Long.toString(SHUTDOWN_GRACE_MS),
                "SHUTDOWN_DELAY_MS", Long.toString(SHUTDOWN_DELAY_MS), "BIND_HOST", "127.0.0.1");
    }

    /** Clients posting to the val through HAProxy in a loop, each on its own keep-alive connection. */
    private final class Load {
        private final int port;
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger sending = new AtomicInteger();
        final ConcurrentHashMap<String, AtomicInteger> served = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        Load(int port) {
            this.port = port;
        }

        void start() {
            running.set(true);
            for (int i = 0; i < CLIENTS; i++) {
                int clientNumber = i;
                threads.add(Thread.ofPlatform().name("load-" + i).start(() -> loop(clientNumber)));
            }
        }

        private void loop(int clientNumber) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            for (int n = 0; running.get(); n++) {
                String body = clientNumber + "-" + n;
                sending.incrementAndGet();
                try {
                    var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v/admin/work"))
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    String by = response.headers().firstValue("X-Served-By").orElse("?");
                    if (response.statusCode() == 200 && response.body().equals("done " + body)) {
                        ok.incrementAndGet();
                        served.computeIfAbsent(by, k -> new AtomicInteger()).incrementAndGet();
                    } else {
                        failures.add(response.statusCode() + " from " + by + ": " + response.body());
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    return;
                } finally {
                    sending.decrementAndGet();
                }
            }
        }

        int inFlight() {
            return sending.get();
        }

        int servedBy(String name) {
            return served.getOrDefault(name, new AtomicInteger()).get();
        }

        void awaitServedBy(String name, int count) throws InterruptedException {
            eventually(name + " to have served " + count + " requests (it served " + servedBy(name) + " when the wait began)", SERVED_TIMEOUT_MS,
                    () -> servedBy(name) >= count);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) thread.join(TimeUnit.SECONDS.toMillis(40));
        }
    }
}
