package dev.valence.ops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak's mixed load through the proxy, open loop: requests leave at a fixed rate whatever the
 * answers do, each on its own virtual thread, and latency counts from when a request was due (so a
 * stall shows as the latency of everything that waited behind it, not as fewer requests).
 * Out of every ten: five trivial GETs, three realistic POSTs (JSON parse and a blob read), two blob writes.
 */
final class SoakLoad {
    /** The kinds of request, with the val each one calls. */
    enum Kind {
        TRIVIAL("soak-trivial"), REALISTIC("soak-realistic"), BLOB_WRITE("soak-blob-write");

        final String val;

        Kind(String val) {
            this.val = val;
        }

        static Kind of(long sequence) {
            int slot = (int) (sequence % 10);
            return slot < 5 ? TRIVIAL : slot < 8 ? REALISTIC : BLOB_WRITE;
        }
    }

    /** What one sampling window saw: latencies in nanoseconds and errors. */
    static final class Window {
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final AtomicLong errors = new AtomicLong();

        List<Double> latenciesMs() {
            return latencies.stream().map(n -> n / 1e6).toList();
        }

        long errors() {
            return errors.get();
        }
    }

    private static final int KEYS = 1000;
    private static final int ERRORS_KEPT = 10;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final AtomicReference<Window> window = new AtomicReference<>(new Window());
    private final Map<Kind, AtomicLong> sent = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicLong> answered = new EnumMap<>(Kind.class);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    /** Each distinct problem (kind, status and body, or the exception) with how often it happened; the first ten kinds kept. */
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> problems = new java.util.concurrent.ConcurrentHashMap<>();

    SoakLoad(String base) {
        this.base = base;
        for (Kind k : Kind.values()) {
            sent.put(k, new AtomicLong());
            answered.put(k, new AtomicLong());
        }
    }

    /** Sends {@code perSecond} requests a second for {@code duration}, then waits for the last answers. */
    void run(Duration duration, int perSecond) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        var threads = new ConcurrentLinkedQueue<Thread>();
        long sequence = 0;
        for (long due = start; due < end; due += interval, sequence++) {
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            long s = sequence;
            long d = due;
            threads.add(Thread.ofVirtual().start(() -> send(Kind.of(s), s, d)));
            if (threads.size() > 10_000) threads.removeIf(t -> !t.isAlive());
        }
        for (Thread t : threads) t.join(Duration.ofSeconds(60));
    }

    private void send(Kind kind, long sequence, long dueNanos) {
        sent.get(kind).incrementAndGet();
        inFlight.incrementAndGet();
        String key = Long.toString(sequence % KEYS);
        var builder = switch (kind) {
            case TRIVIAL -> HttpRequest.newBuilder(URI.create(base + "/v/admin/" + kind.val)).GET();
            case REALISTIC -> HttpRequest.newBuilder(URI.create(base + "/v/admin/" + kind.val + "/items/" + key))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Handlers.REALISTIC_BODY));
            case BLOB_WRITE -> HttpRequest.newBuilder(URI.create(base + "/v/admin/" + kind.val + "/item-" + key))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Handlers.REALISTIC_BODY));
        };
        try {
            var response = client.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            long latency = System.nanoTime() - dueNanos;
            String problem = SoakVals.check(kind, response.statusCode(), response.body());
            record(latency, problem == null ? null : kind + " " + problem);
            if (problem == null) answered.get(kind).incrementAndGet();
        } catch (IOException | InterruptedException e) {
            record(System.nanoTime() - dueNanos, kind + " " + e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void record(long latencyNanos, String problem) {
        Window w = window.get();
        w.latencies.add(latencyNanos);
        if (problem != null) {
            w.errors.incrementAndGet();
            errors.incrementAndGet();
            var count = problems.size() < ERRORS_KEPT ? problems.computeIfAbsent(problem, p -> new AtomicLong()) : problems.get(problem);
            if (count != null) count.incrementAndGet();
        }
    }

    /** Closes the current window and opens the next one. */
    Window nextWindow() {
        return window.getAndSet(new Window());
    }

    long sent(Kind kind) {
        return sent.get(kind).get();
    }

    long answered(Kind kind) {
        return answered.get(kind).get();
    }

    long sentTotal() {
        return sent.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long errors() {
        return errors.get();
    }

    /** The distinct problems seen, most frequent first, each with its count. */
    List<String> problems() {
        var out = new ArrayList<String>();
        problems.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
                .forEach(e -> out.add(e.getValue().get() + " × " + e.getKey()));
        return out;
    }

    void close() {
        client.close();
    }
}
