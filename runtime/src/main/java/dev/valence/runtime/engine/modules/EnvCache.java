package dev.valence.runtime.engine.modules;

import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.RunNotices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The owners' environment variables as their vals read them and as run logs are masked with:
 * fetched per owner and kept until a write makes them stale. A write through this runtime drops
 * the owner's entry before the API answers; a write anywhere else arrives as a notice on
 * {@link EnvStore#CHANNEL} and drops it within milliseconds. While no notices can arrive (before
 * the listener is subscribed, after its connection broke) an entry lives at most
 * {@code unsubscribedTtlMs}; while they can, at most {@code subscribedTtlMs}, a backstop only.
 *
 * <p>Values that were replaced or deleted stay masked for {@link #RETIRED_KEEP_NS}: a run that
 * read a value just before the write may log it just after.
 */
final class EnvCache implements RunNotices.Subscriber {
    private record Entry(Map<String, String> values, long fetchedNs) {}

    /** A value no longer current, by the key it had and when it stopped being current. */
    private record Retired(String key, long retiredNs) {}

    private static final int MAX_OWNERS = 10_000;
    /** Longer than any run may last, so whatever a run read is masked in what it logs. */
    static final long RETIRED_KEEP_NS = 10 * 60 * 1_000_000_000L;

    private final EnvStore store;
    private final long unsubscribedTtlNs;
    private final long subscribedTtlNs;
    private final ConcurrentHashMap<Long, Entry> cache = new ConcurrentHashMap<>();
    /** Per owner: retired values (the map's keys) with the variable they belonged to. */
    private final ConcurrentHashMap<Long, Map<String, Retired>> retired = new ConcurrentHashMap<>();
    /** Bumped by every invalidation, so a read that raced with a write does not keep what it read. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean subscribed;

    EnvCache(EnvStore store, long unsubscribedTtlMs, long subscribedTtlMs) {
        this.store = store;
        this.unsubscribedTtlNs = unsubscribedTtlMs * 1_000_000L;
        this.subscribedTtlNs = subscribedTtlMs * 1_000_000L;
        store.onWrite(this::changed);
    }

    /** The owner's variables as they are now (after the last write this runtime knows of). */
    Map<String, String> values(long ownerId) {
        Entry entry = cache.get(ownerId);
        long now = System.nanoTime();
        if (entry != null && now - entry.fetchedNs < (subscribed ? subscribedTtlNs : unsubscribedTtlNs)) return entry.values;
        long before = generation.get();
        Map<String, String> values = Map.copyOf(store.values(ownerId));
        if (cache.size() > MAX_OWNERS) {
            cache.clear();
            retired.clear();
        }
        var fresh = new Entry(values, now);
        retire(ownerId, cache.put(ownerId, fresh));
        // an invalidation since the read began may have come after the row was read: do not keep it
        if (generation.get() != before && cache.remove(ownerId, fresh)) retire(ownerId, fresh);
        return values;
    }

    /** Key and value pairs to mask run logs with: the current values and those retired lately. */
    List<Map.Entry<String, String>> maskable(long ownerId) {
        var pairs = new ArrayList<Map.Entry<String, String>>(values(ownerId).entrySet());
        Map<String, Retired> old = retired.get(ownerId);
        if (old != null) {
            long now = System.nanoTime();
            old.forEach((value, r) -> {
                if (now - r.retiredNs < RETIRED_KEEP_NS) pairs.add(Map.entry(r.key, value));
            });
        }
        return pairs;
    }

    private void retire(long ownerId, Entry old) {
        if (old == null || old.values.isEmpty()) return;
        long now = System.nanoTime();
        retired.compute(ownerId, (id, known) -> {
            var kept = new HashMap<String, Retired>();
            if (known != null) known.forEach((value, r) -> {
                if (now - r.retiredNs < RETIRED_KEEP_NS) kept.put(value, r);
            });
            old.values.forEach((key, value) -> kept.put(value, new Retired(key, now)));
            return Map.copyOf(kept);
        });
    }

    /** A notice on {@link EnvStore#CHANNEL}: its payload is the owner's id. */
    @Override
    public void notice(String payload) {
        try {
            changed(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            subscribed(); // not a notice of ours: drop everything rather than guess
        }
    }

    private void changed(long ownerId) {
        generation.incrementAndGet();
        retire(ownerId, cache.remove(ownerId));
    }

    @Override
    public void subscribed() {
        // notices sent while nobody listened are lost: whatever was read before may be stale
        generation.incrementAndGet();
        for (Long ownerId : List.copyOf(cache.keySet())) retire(ownerId, cache.remove(ownerId));
        subscribed = true;
    }

    @Override
    public void unsubscribed() {
        subscribed = false;
    }
}
