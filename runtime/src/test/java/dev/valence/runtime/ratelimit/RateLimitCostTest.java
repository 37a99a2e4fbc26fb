package dev.valence.runtime.ratelimit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a limit costs a request, without JMH: each case is warmed up, then timed over a few million
 * calls, and printed (the README quotes these lines). The bounds asserted are loose on purpose: on a
 * shared machine only a gross regression (a lock, a scan per request) should fail this.
 */
class RateLimitCostTest {
    private static final int WARM = 2_000_000;
    private static final int CALLS = 4_000_000;

    @Test
    void a_check_costs_well_under_a_microsecond() throws Exception {
        var registry = new SimpleMeterRegistry();
        // one busy key that is never refused: the common case (a val or a token under its limit)
        var hot = new RateLimiter("val", 100_000_000, RateLimitSettings.MAX_KEYS);
        hot.bindMetrics(registry);
        double hotNs = nsPerCall(i -> hot.acquire("ann/hello"));

        // a key that is refused every time: a flood being turned away
        var flood = new RateLimiter("token", 1, RateLimitSettings.MAX_KEYS);
        flood.bindMetrics(registry);
        double refusedNs = nsPerCall(i -> flood.acquire("one-token"));

        // a new key per call: an address sweep, the map growing to its cap, swept, let through untracked
        var many = new RateLimiter("address", 60, RateLimitSettings.MAX_KEYS);
        many.bindMetrics(registry);
        String[] addresses = new String[1 << 20];
        for (int i = 0; i < addresses.length; i++) addresses[i] = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        double manyNs = nsPerCall(i -> many.acquire(addresses[i & (addresses.length - 1)]));

        // the API's per-token key: SHA-256 of the bearer token, in hex
        byte[] token = "vl_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH".getBytes(StandardCharsets.UTF_8);
        double hashNs = nsPerCall(i -> HexFormat.of().formatHex(sha256(token)).length());

        // four threads on one key: contention on the compare-and-set
        var shared = new RateLimiter("val", 100_000_000, RateLimitSettings.MAX_KEYS);
        double contendedNs = contended(shared, 4);

        System.out.printf("rate limit cost per check: hot key %.0f ns, refused %.0f ns, new key each call %.0f ns,"
                + " token hash %.0f ns, 4 threads on one key %.0f ns (wall time per call per thread)%n", hotNs, refusedNs, manyNs, hashNs, contendedNs);
        assertTrue(hotNs < 5_000 && refusedNs < 5_000 && manyNs < 20_000 && hashNs < 20_000 && contendedNs < 20_000,
                "a rate-limit check should cost a microsecond or less; measured " + hotNs + " / " + refusedNs + " / " + manyNs + " / "
                        + hashNs + " / " + contendedNs + " ns");
    }

    private interface Call {
        long run(int i);
    }

    private static double nsPerCall(Call call) {
        long sink = 0;
        for (int i = 0; i < WARM; i++) sink += call.run(i);
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) sink += call.run(i);
        long elapsed = System.nanoTime() - start;
        if (sink == 42) System.out.println(); // keeps the JIT from dropping the calls
        return (double) elapsed / CALLS;
    }

    private static double contended(RateLimiter limiter, int threads) throws InterruptedException {
        var total = new AtomicLong();
        Runnable work = () -> {
            for (int i = 0; i < WARM; i++) limiter.acquire("ann/hello");
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) limiter.acquire("ann/hello");
            total.addAndGet(System.nanoTime() - start);
        };
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) (running[t] = Thread.ofPlatform().start(work)).setName("cost-" + t);
        for (Thread t : running) t.join();
        return (double) total.get() / threads / CALLS;
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
