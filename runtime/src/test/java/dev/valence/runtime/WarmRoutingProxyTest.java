package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shipped warm-routing proxy (ops/proxy/nginx.conf) on Debian's nginx in front of two runtime
 * processes: one val always reaches one replica, the API is spread over both, a replica taken out of the
 * ring and stopped with SIGTERM (what Kubernetes does) costs no request, and a replica killed costs only
 * the POSTs it was running, its GETs being retried on the other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmRoutingProxyTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int VALS = 16;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Path dir;
    private static final Map<Integer, Map<String, String>> envByPort = new HashMap<>();
    private static final Map<Integer, ReplicaProcess> replicas = new HashMap<>();
    private static List<Integer> ports;
    private static int front;
    private static Nginx nginx;
    /** Which replica (127.0.0.1:port) each val w0..w15 reached in the first test. */
    private static final Map<String, String> home = new HashMap<>();

    @BeforeAll
    static void twoReplicasBehindTheShippedProxy() throws Exception {
        Nginx.ensureInstalled();
        dir = TestDatabase.tempDir("valence-warm-routing");
        String database = TestDatabase.migratedDatabase("warmrouting");
        ports = List.of(Ports.free(), Ports.free());
        front = Ports.free();
        for (int port : ports) {
            Path data = Files.createDirectories(dir.resolve("data-" + port));
            envByPort.put(port, Map.of("DATABASE_URL", database, "MIGRATE_ON_START", Boolean.toString(!TestDatabase.external()),
                    "VALENCE_DATA_DIR", data.toString(), "INSTANCE_ID", "warm-" + port, "EMBED_STATUS_PAGE", "false", "STATUS_PORT", "0",
                    "SHUTDOWN_GRACE_MS", "10000", "SHUTDOWN_DELAY_MS", "1000", "BIND_HOST", "127.0.0.1",
                    // nginx connects from loopback: its forwarding headers are believed, nobody else's
                    "TRUSTED_PROXIES", "127.0.0.1"));
        }
        try {
            for (int port : ports) replicas.put(port, startReplica(port));
        } catch (AssertionError | IOException e) {
            for (var replica : replicas.values()) replica.close();
            throw e;
        }
        nginx = Nginx.start(dir, front, ports);
        String token = Files.readString(dir.resolve("data-" + ports.get(0)).resolve("bootstrap-token")).trim();
        for (int i = 0; i < VALS; i++) {
            var created = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/api/v1/vals"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"w" + i + "\",\"code\":\"export default async (req) => {"
                            + " const body = await req.text(); await new Promise(r => setTimeout(r, 200));"
                            + " return new Response(req.method + ' ' + body + ' for ' + req.headers.get('x-forwarded-for')); }\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
    }

    private static ReplicaProcess startReplica(int port) throws IOException, InterruptedException {
        return ReplicaProcess.start(port, envByPort.get(port), dir.resolve("replica-" + port + ".log"), START_TIMEOUT);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (nginx != null) nginx.close();
        for (var replica : replicas.values()) replica.close();
    }

    @Test
    @Order(1)
    void every_request_for_one_val_reaches_the_same_replica_in_either_mode_and_the_api_reaches_both() throws Exception {
        // each answer takes the val's 200 ms: a few vals are visited side by side (one val's visits in turn), then checked in order
        var visitsByVal = new ArrayList<Future<List<Visit>>>();
        try (var visitors = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < VALS; i++) {
                int val = i;
                visitsByVal.add(visitors.submit(() -> {
                    var visits = new ArrayList<Visit>();
                    for (int n = 0; n < 4; n++) {
                        visits.add(new Visit(send("GET", "/v/admin/w" + val + "/page/" + n + "?q=" + n, ""),
                                getByHost("admin--w" + val + ".localhost", "/any/" + n)));
                    }
                    return visits;
                }));
            }
        }
        for (int i = 0; i < VALS; i++) {
            var seen = new HashSet<String>();
            for (Visit visit : visited(visitsByVal.get(i))) {
                var path = visit.path();
                String host = visit.host();
                assertEquals(200, path.statusCode(), path.body());
                assertTrue(host.startsWith("HTTP/1.1 200 "), host);
                seen.add(servedBy(path));
                seen.add(host.lines().filter(l -> l.regionMatches(true, 0, "X-Served-By: ", 0, 13)).findFirst().orElse("?").substring(13));
            }
            assertEquals(1, seen.size(), "w" + i + " reached " + seen);
            home.put("w" + i, seen.iterator().next());
        }
        assertEquals(2, Set.copyOf(home.values()).size(), "the vals are spread over both replicas: " + home);

        var api = new HashSet<String>();
        for (int n = 0; n < 6; n++) {
            var health = send("GET", "/healthz", "");
            assertEquals(200, health.statusCode(), health.body());
            api.add(servedBy(health));
        }
        assertEquals(Set.of("127.0.0.1:" + ports.get(0), "127.0.0.1:" + ports.get(1)), api, "round-robin for what is not a val");

        // a client's own forwarding header is replaced by nginx's, and the runtime believes nginx
        var spoofed = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/v/admin/w0"))
                .header("X-Forwarded-For", "203.0.113.9").POST(HttpRequest.BodyPublishers.ofString("hi")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, spoofed.statusCode(), spoofed.body());
        assertEquals("POST hi for 127.0.0.1", spoofed.body());
    }

    /** One visit to a val: by path, and by its own host name. */
    private record Visit(HttpResponse<String> path, String host) {}

    private static List<Visit> visited(Future<List<Visit>> visits) throws Exception {
        try {
            return visits.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Test
    @Order(2)
    void a_replica_taken_out_of_the_ring_then_stopped_with_sigterm_under_load_costs_no_request() throws Exception {
        int victim = ports.get(1);
        var load = new Load(valsOn(victim));
        // the orchestrator's readiness probe: with it watching, the stopping runtime serves on for SHUTDOWN_DELAY_MS
        var probing = new AtomicBoolean(true);
        var prober = Thread.ofPlatform().name("readyz-probe").start(() -> {
            while (probing.get()) {
                try {
                    CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + victim + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(200);
                } catch (IOException stopped) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            load.start();
            load.awaitAnswers(40);
            // what Kubernetes does before SIGTERM (the pod leaves the endpoints, the proxy's look-ups drop it):
            // without an active health check, nginx must be told; requests it already sent finish on the victim
            nginx.markDown(victim);
            assertTrue(load.inFlight() > 0, "requests were in flight when the replica was stopped");
            int exit = replicas.get(victim).terminate(Duration.ofSeconds(30));
            int answeredAtExit = load.answers();
            load.awaitAnswers(answeredAtExit + 40);
            load.stop();
            if (!load.failures.isEmpty()) nginx.log().stream().filter(l -> l.contains("[error]")).forEach(System.out::println);
            System.out.printf("sigterm: %d answers, %d retried on the other replica, exit %d%n", load.answers(), load.retried.get(), exit);
            assertEquals(List.of(), List.copyOf(load.failures), "every request answered 200 through the stop");
            assertEquals(143, exit, "the replica ended on SIGTERM after its shutdown hook");
        } finally {
            load.stop();
            probing.set(false);
            prober.join(5_000);
            replicas.put(victim, startReplica(victim));
            nginx.markDown(-1);
        }
    }

    @Test
    @Order(3)
    void a_replica_killed_under_load_fails_only_the_posts_it_was_running_and_its_gets_are_retried() throws Exception {
        int victim = ports.get(0);
        String victimAddress = "127.0.0.1:" + victim;
        var load = new Load(valsOn(victim));
        awaitBothServing();
        try {
            load.start();
            load.awaitAnswers(40);
            while (load.getsInFlight.get() == 0 || load.postsInFlight.get() == 0) Thread.sleep(5);
            long killedAtNanos = System.nanoTime();
            replicas.get(victim).close(); // SIGKILL: no drain at all
            int answeredAtKill = load.answers();
            load.awaitAnswers(answeredAtKill + 40);
            load.stop();
            nginx.log().stream().filter(l -> l.contains("[error]")).forEach(System.out::println);
            System.out.printf("sigkill: %d answers, %d retried on the other replica, failures %s%n", load.answers(), load.retried.get(), load.failures);
            for (String failure : load.failures) {
                assertTrue(failure.startsWith("POST 502 from " + victimAddress + " started "), failure);
                long startedAt = Long.parseLong(failure.substring(failure.lastIndexOf(' ') + 1));
                assertTrue(startedAt < killedAtNanos, "a failed POST had been sent before the kill: " + failure);
            }
            assertTrue(load.failures.size() <= Load.POST_CLIENTS, "at most one POST per client failed: " + load.failures);
            assertTrue(load.retried.get() > 0, "a GET the killed replica was running was answered by the other one");
        } finally {
            load.stop();
            replicas.put(victim, startReplica(victim));
        }
    }

    /** Until a run of round-robin requests has reached both replicas (nginx leaves a failed one alone for fail_timeout). */
    private static void awaitBothServing() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        var seen = new HashSet<String>();
        while (seen.size() < 2) {
            if (System.nanoTime() > deadline) throw new AssertionError("nginx sent /healthz only to " + seen);
            var health = send("GET", "/healthz", "");
            if (health.statusCode() == 200 && !servedBy(health).contains(",")) seen.add(servedBy(health));
        }
    }

    private static List<String> valsOn(String address) {
        return home.entrySet().stream().filter(e -> e.getValue().equals(address)).map(Map.Entry::getKey).sorted().toList();
    }

    private static List<String> valsOn(int port) {
        List<String> vals = valsOn("127.0.0.1:" + port);
        assertTrue(!vals.isEmpty(), "the routing test found vals on " + port + ": " + home);
        return vals;
    }

    private static HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + path)).timeout(Duration.ofSeconds(30))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with its own Host header (Java's HTTP client will not send one), answered in full: head and body. */
    private static String getByHost(String host, String path) throws IOException {
        try (var socket = new Socket("127.0.0.1", front)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What the load needs of an answer. */
    private record Answer(int status, String servedBy, String body) {
        static Answer of(HttpResponse<String> response) {
            return new Answer(response.statusCode(), WarmRoutingProxyTest.servedBy(response), response.body());
        }
    }

    /**
     * A POST on a connection of its own ({@code Connection: close}). A reload of nginx (how the test takes the victim
     * out of the ring) closes its idle keep-alive connections to clients, and a POST a client writes on one at that
     * instant gets no answer; browsers send it again, Java's client does not (it resends only GETs). What is under
     * test is the ring and the runtime's stop, not that race of nginx's reload, which the README describes.
     */
    private static Answer postOnItsOwnConnection(String path, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (var socket = new Socket("127.0.0.1", front)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + front + "\r\nConnection: close\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) throw new IOException("no complete answer from nginx: '" + raw + "'");
            String[] head = raw.substring(0, end).split("\r\n");
            int status = Integer.parseInt(head[0].split(" ")[1]);
            String servedBy = "?";
            boolean chunked = false;
            for (String line : head) {
                String lower = line.toLowerCase();
                if (lower.startsWith("x-served-by:")) servedBy = line.substring(line.indexOf(':') + 1).trim();
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            String rest = raw.substring(end + 4);
            return new Answer(status, servedBy, chunked ? dechunk(rest) : rest);
        }
    }

    private static String dechunk(String chunked) {
        var out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) return out.toString();
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size); // the val's answers are ASCII: characters are bytes
            at = lineEnd + 2 + size + 2;
        }
    }

    private static String servedBy(HttpResponse<?> response) {
        return response.headers().firstValue("X-Served-By").orElse("?");
    }

    /** Clients sending GETs and POSTs through nginx to the victim's vals, each client in a loop. */
    private static final class Load {
        static final int POST_CLIENTS = 3;
        static final int GET_CLIENTS = 3;
        private final List<String> vals;
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        final AtomicInteger getsInFlight = new AtomicInteger();
        final AtomicInteger postsInFlight = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        Load(List<String> vals) {
            this.vals = vals;
        }

        void start() {
            running.set(true);
            for (int i = 0; i < POST_CLIENTS + GET_CLIENTS; i++) {
                String method = i < POST_CLIENTS ? "POST" : "GET";
                int clientNumber = i;
                threads.add(Thread.ofPlatform().name("load-" + i).start(() -> loop(method, clientNumber)));
            }
        }

        private void loop(String method, int clientNumber) {
            var inFlight = method.equals("POST") ? postsInFlight : getsInFlight;
            for (int n = 0; running.get(); n++) {
                String val = vals.get((clientNumber + n) % vals.size());
                String body = method.equals("POST") ? clientNumber + "-" + n : "";
                long startedAt = System.nanoTime();
                inFlight.incrementAndGet();
                try {
                    var response = method.equals("POST") ? postOnItsOwnConnection("/v/admin/" + val, body)
                            : Answer.of(send(method, "/v/admin/" + val, body));
                    String by = response.servedBy();
                    if (response.status() == 200 && response.body().equals(method + " " + body + " for 127.0.0.1")) {
                        ok.incrementAndGet();
                        if (by.contains(",")) retried.incrementAndGet();
                    } else {
                        failures.add(method + " " + response.status() + " from " + by + " started " + startedAt);
                    }
                } catch (IOException e) {
                    failures.add(method + " " + e + " started " + startedAt);
                } catch (InterruptedException e) {
                    return;
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        }

        int inFlight() {
            return getsInFlight.get() + postsInFlight.get();
        }

        int answers() {
            return ok.get() + failures.size();
        }

        void awaitAnswers(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answers() < count) {
                if (System.nanoTime() > deadline) throw new AssertionError(answers() + " answers, not " + count + "; failures " + failures);
                Thread.sleep(10);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) thread.join(TimeUnit.SECONDS.toMillis(40));
        }
    }
}
