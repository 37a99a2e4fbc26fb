package dev.valence.foundation.testing;

import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition instead of a fixed time: what the tests of every module use when something
 * happens on another thread, another instance or another process. It asks every 20 ms and fails
 * with what it was waiting for, how long it waited and (for a probe) the last value it saw.
 */
public final class Eventually {
    private static final long ASK_EVERY_MS = 20;

    private Eventually() {}

    /** Waits up to {@code timeoutMs} for {@code condition}; returns how many milliseconds it took. */
    public static long eventually(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long startNs = System.nanoTime();
        long deadlineNs = startNs + timeoutMs * 1_000_000L;
        while (true) {
            if (condition.getAsBoolean()) return (System.nanoTime() - startNs) / 1_000_000L;
            if (System.nanoTime() > deadlineNs) throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
            Thread.sleep(ASK_EVERY_MS);
        }
    }

    /**
     * Reads {@code probe} until {@code done} accepts its value, up to {@code timeoutMs}; returns that
     * value. A probe that answers null or throws counts as not done yet (a server still starting refuses
     * connections).
     */
    public static <T> T eventually(String what, long timeoutMs, Supplier<T> probe, Predicate<? super T> done)
            throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        Object last = "(nothing yet)";
        while (true) {
            try {
                T value = probe.get();
                if (value != null && done.test(value)) return value;
                last = value;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadlineNs) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what + "; last seen: " + last);
            }
            Thread.sleep(ASK_EVERY_MS);
        }
    }
}
