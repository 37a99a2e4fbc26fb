package dev.valence.runtime.engine;

import dev.valence.runtime.store.ValStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the deployed version of a val by owner and name, keeping answers (also "no such val") for a
 * short time so a busy val costs no database round trip per request. Saves on this instance
 * invalidate at once; saves on other instances are seen within {@code ttlMs}.
 */
public final class ValDirectory {
    private record Entry(Optional<ValStore.Deployed> deployed, long fetchedNs) {}

    private final ValStore store;
    private final long ttlNs;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public ValDirectory(ValStore store, long ttlMs) {
        this.store = store;
        this.ttlNs = ttlMs * 1_000_000L;
    }

    public Optional<ValStore.Deployed> find(String owner, String name) {
        String key = owner + "/" + name;
        Entry entry = cache.get(key);
        long now = System.nanoTime();
        if (entry != null && now - entry.fetchedNs < ttlNs) return entry.deployed;
        var deployed = store.findDeployed(owner, name);
        if (cache.size() > 100_000) cache.clear(); // bounded: a scan of random names cannot grow it forever
        cache.put(key, new Entry(deployed, now));
        return deployed;
    }

    public void invalidate(String owner, String name) {
        cache.remove(owner + "/" + name);
    }
}
