package dev.valence.runtime.packages;

import java.util.LinkedHashMap;
import java.util.function.Supplier;

/** Byte-bounded cache of package file contents by content hash, least recently used evicted first. */
final class ContentCache {
    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ContentCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    byte[] get(String hex, Supplier<byte[]> load) {
        synchronized (this) {
            byte[] cached = entries.get(hex);
            if (cached != null) return cached;
        }
        byte[] loaded = load.get(); // outside the lock: a database read must not hold up other loads
        synchronized (this) {
            if (entries.put(hex, loaded) == null) bytes += loaded.length;
            var eldest = entries.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                var entry = eldest.next();
                if (entry.getKey().equals(hex)) continue;
                bytes -= entry.getValue().length;
                eldest.remove();
            }
        }
        return loaded;
    }
}
