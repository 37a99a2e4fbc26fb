package dev.valence.runtime.engine.modules;

import dev.valence.runtime.store.EnvStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owners' environment variables as their vals read them: fetched per owner and kept for
 * {@code ttlMs}, so a val reading ten variables costs at most one query and a change made through
 * the API is seen within that time.
 */
final class EnvCache {
    private record Entry(Map<String, String> values, long fetchedNs) {}

    private final EnvStore store;
    private final long ttlNs;
    private final ConcurrentHashMap<Long, Entry> cache = new ConcurrentHashMap<>();

    EnvCache(EnvStore store, long ttlMs) {
        this.store = store;
        this.ttlNs = ttlMs * 1_000_000L;
    }

    Map<String, String> values(long ownerId) {
        Entry entry = cache.get(ownerId);
        long now = System.nanoTime();
        if (entry != null && now - entry.fetchedNs < ttlNs) return entry.values;
        Map<String, String> values = Map.copyOf(store.values(ownerId));
        if (cache.size() > 10_000) cache.clear();
        cache.put(ownerId, new Entry(values, now));
        return values;
    }
}
