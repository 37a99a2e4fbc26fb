package dev.valence.runtime;

import static dev.valence.foundation.testing.Eventually.eventually;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server a val fetches from (with {@code VAL_FETCH_ALLOW=localhost}) so that a test knows
 * when the val is running, and decides when it may go on: {@code /arrived} answers at once, {@code /hold}
 * answers once {@link #release} is called. A test waits for the val's arrival instead of sleeping
 * for a time it hopes is long enough.
 */
final class HeldUpstream implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger arrivals = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    HeldUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().name("held-upstream").unstarted(r)));
        server.createContext("/arrived", exchange -> {
            arrivals.incrementAndGet();
            answer(exchange, "arrived");
        });
        server.createContext("/hold", exchange -> {
            arrivals.incrementAndGet();
            try {
                released.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, "released");
        });
        server.start();
    }

    /** The address of {@code path} as a val fetches it. */
    String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    /** Waits until {@code count} requests have reached this server: the val that sent them is running. */
    void awaitArrivals(int count, long timeoutMs) throws InterruptedException {
        eventually(count + " fetches from the val to arrive", timeoutMs, () -> arrivals.get() >= count);
    }

    /** Lets every held request (and any later one) be answered. */
    void release() {
        released.countDown();
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
