package dev.valence.runtime.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One token bucket per key (a token's hash, an address, a val): up to {@code perMinute} requests at once,
 * refilled continuously at {@code perMinute} a minute. Each bucket is kept in its equivalent GCRA form, one
 * "theoretical arrival time" in an {@link AtomicLong}, so a check is one map lookup and one compare-and-set,
 * without a lock. A bucket that has refilled completely is the same as a missing one, which is what lets
 * {@link #sweep} drop idle keys without forgetting anything; past {@code maxKeys} busy keys a new key is
 * let through untracked (counted as {@code untracked}) rather than letting a flood of addresses grow the heap.
 */
public final class RateLimiter {
    private static final long MINUTE_NS = 60_000_000_000L;
    private static final long SWEEP_EVERY_NS = 1_000_000_000L;
    private static final long NEVER = Long.MIN_VALUE;

    private final String scope;
    private final int perMinute;
    private final long intervalNs;
    private final long toleranceNs;
    private final int maxKeys;
    private final ConcurrentHashMap<String, AtomicLong> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong lastSweepNs = new AtomicLong(NEVER);
    private Counter refused;
    private Counter untracked;

    /**
     * @param scope     the metrics label and the name in messages: {@code token}, {@code address}, {@code val}
     * @param perMinute requests a minute (and the burst); 0 turns the limit off
     */
    public RateLimiter(String scope, int perMinute, int maxKeys) {
        this.scope = scope;
        this.perMinute = perMinute;
        this.intervalNs = perMinute == 0 ? 0 : MINUTE_NS / perMinute;
        this.toleranceNs = intervalNs * Math.max(0, perMinute - 1L);
        this.maxKeys = maxKeys;
    }

    public String scope() {
        return scope;
    }

    public int perMinute() {
        return perMinute;
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    /** Registers {@code valence_rate_limited_total{scope}}, the untracked counter and the number of keys held. */
    public void bindMetrics(MeterRegistry registry) {
        refused = Counter.builder("valence.rate.limited").tag("scope", scope)
                .description("requests refused with 429 by a rate limit").register(registry);
        untracked = Counter.builder("valence.rate.limit.untracked").tag("scope", scope)
                .description("requests let through without a bucket because the limiter held its most keys").register(registry);
        Gauge.builder("valence.rate.limit.keys", arrivals, ConcurrentHashMap::size).tag("scope", scope)
                .description("keys (tokens, addresses, vals) with a bucket that is not full").register(registry);
    }

    /** Takes one request from the key's bucket: 0 when it may pass, else the nanoseconds until it may. */
    public long acquire(String key) {
        return acquire(key, System.nanoTime());
    }

    long acquire(String key, long nowNs) {
        if (perMinute == 0) return 0;
        AtomicLong arrival = arrivals.get(key);
        if (arrival == null) {
            if (arrivals.size() >= maxKeys && !sweep(nowNs)) {
                if (untracked != null) untracked.increment();
                return 0;
            }
            arrival = arrivals.computeIfAbsent(key, k -> new AtomicLong(nowNs));
        }
        while (true) {
            long tat = arrival.get();
            long start = Math.max(tat, nowNs);
            long allowedFrom = tat - toleranceNs;
            if (nowNs - allowedFrom < 0) {
                if (refused != null) refused.increment();
                return allowedFrom - nowNs;
            }
            if (arrival.compareAndSet(tat, start + intervalNs)) return 0;
        }
    }

    /** Drops the keys whose bucket is full again (at most once a second); true when that made room for a new key. */
    private boolean sweep(long nowNs) {
        long last = lastSweepNs.get();
        if ((last == NEVER || nowNs - last >= SWEEP_EVERY_NS) && lastSweepNs.compareAndSet(last, nowNs)) {
            arrivals.values().removeIf(tat -> tat.get() - nowNs <= 0);
        }
        return arrivals.size() < maxKeys;
    }

    int keys() {
        return arrivals.size();
    }
}
