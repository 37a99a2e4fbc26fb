package dev.valence.runtime.email;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code perMinute} sends per owner in any sliding minute, counted on this instance (Val Town
 * allows 100 a minute). Kept in memory: a restart forgets the window, which errs on letting mail out.
 */
final class SendLimiter {
    private static final long MINUTE_NS = 60_000_000_000L;

    private final int perMinute;
    private final Map<Long, ArrayDeque<Long>> sends = new ConcurrentHashMap<>();

    SendLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    int perMinute() {
        return perMinute;
    }

    /** Takes one send for {@code ownerId}; returns 0, or the milliseconds until one is free again. */
    long tryTake(long ownerId) {
        long now = System.nanoTime();
        ArrayDeque<Long> window = sends.computeIfAbsent(ownerId, id -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() >= MINUTE_NS) window.pollFirst();
            if (window.size() >= perMinute) return Math.max(1, (window.peekFirst() + MINUTE_NS - now) / 1_000_000);
            window.addLast(now);
            return 0;
        }
    }
}
