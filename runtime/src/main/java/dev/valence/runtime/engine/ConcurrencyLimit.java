package dev.valence.runtime.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many invocations of one val may run at once (VAL_MAX_CONCURRENCY). A val that floods the
 * runtime (a hostile loop hit in parallel, a slow handler under a burst) gets refused beyond its
 * share instead of taking every JS worker from its neighbours. Counters of idle vals are removed, so
 * the map holds only vals that are running now.
 */
final class ConcurrencyLimit {
    static final int DEFAULT_MAX_PER_VAL = 16;
    private static final long WAIT_STEP_MS = 10;

    private final int maxPerVal;
    private final ConcurrentHashMap<Long, AtomicInteger> running = new ConcurrentHashMap<>();

    ConcurrencyLimit(int maxPerVal) {
        if (maxPerVal < 1) throw new IllegalArgumentException("the per-val concurrency limit must be at least 1, got " + maxPerVal);
        this.maxPerVal = maxPerVal;
    }

    int limit() {
        return maxPerVal;
    }

    /** Takes a slot for the val if one is free; the caller must {@link #release} it. */
    boolean tryAcquire(long valId) {
        boolean[] taken = {false};
        running.compute(valId, (id, count) -> {
            if (count == null) count = new AtomicInteger();
            if (count.get() < maxPerVal) {
                count.incrementAndGet();
                taken[0] = true;
            }
            return count;
        });
        return taken[0];
    }

    /** Waits up to {@code timeoutMs} for a slot; false when none came free in time. */
    boolean acquire(long valId, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!tryAcquire(valId)) {
            if (System.nanoTime() >= deadline) return false;
            try {
                Thread.sleep(WAIT_STEP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    void release(long valId) {
        running.computeIfPresent(valId, (id, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Invocations of the val running now. */
    int running(long valId) {
        AtomicInteger count = running.get(valId);
        return count == null ? 0 : count.get();
    }
}
