package dev.valence.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Per-owner key-value storage behind {@code std/blob}. Every method takes the owner explicitly: the
 * engine passes the val's owner, never a value the guest chose.
 */
public final class BlobStore {
    private final Jdbc jdbc;

    public BlobStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** A stored value and how it was stored ("application/json", "text/plain;charset=utf-8" or bytes). */
    public record Blob(byte[] value, String contentType) {}

    /** One key of a listing. */
    public record Entry(String key, long sizeBytes, Instant updatedAt) {}

    /**
     * Thrown for a key (or list prefix) PostgreSQL's text cannot hold: U+0000. Its message is the
     * sentence the val gets; without this check the database's refusal read as "unavailable".
     */
    public static final class BadKey extends IllegalArgumentException {
        BadKey(String message) {
            super(message);
        }
    }

    private static String checkedKey(String key) {
        if (key.indexOf('\0') >= 0) {
            throw new BadKey("The blob key \"" + shown(key) + "\" contains the NUL character (U+0000), which cannot be stored;"
                    + " remove it from the key.");
        }
        return key;
    }

    /** The text with U+0000 written as an escape, so a message shows where it was. */
    private static String shown(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replace("\0", "\\u0000");
    }

    public Optional<Blob> get(long ownerId, String key) {
        checkedKey(key);
        return jdbc.one("SELECT value, content_type FROM app.blobs WHERE owner_id = ? AND key = ?", s -> {
            s.setLong(1, ownerId);
            s.setString(2, key);
        }, r -> new Blob(r.getBytes("value"), r.getString("content_type")));
    }

    /**
     * Stores {@code value} under {@code key} unless the owner's total would pass {@code quotaBytes};
     * returns the owner's total in bytes after the write, or -1 (and writes nothing) when over quota.
     * Two concurrent writers may both pass the check once: the quota is a guard, not an exact ledger.
     */
    public long set(long ownerId, String key, byte[] value, String contentType, long quotaBytes) {
        checkedKey(key);
        return jdbc.inTransaction(connection -> {
            long others;
            try (var total = connection.prepareStatement(
                    "SELECT coalesce(sum(octet_length(value) + octet_length(key) + octet_length(content_type)), 0)"
                            + " FROM app.blobs WHERE owner_id = ? AND key <> ?")) {
                total.setLong(1, ownerId);
                total.setString(2, key);
                try (var rows = total.executeQuery()) {
                    rows.next();
                    others = rows.getLong(1);
                }
            }
            // keys and content types count too, so many empty values cannot store data past the quota
            long own = value.length + key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + contentType.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (others + own > quotaBytes) return -1L;
            try (var upsert = connection.prepareStatement("""
                    INSERT INTO app.blobs (owner_id, key, value, content_type) VALUES (?, ?, ?, ?)
                    ON CONFLICT (owner_id, key) DO UPDATE SET value = excluded.value,
                        content_type = excluded.content_type, updated_at = now()""")) {
                upsert.setLong(1, ownerId);
                upsert.setString(2, key);
                upsert.setBytes(3, value);
                upsert.setString(4, contentType);
                upsert.executeUpdate();
            }
            return others + own;
        });
    }

    public boolean delete(long ownerId, String key) {
        checkedKey(key);
        return jdbc.update("DELETE FROM app.blobs WHERE owner_id = ? AND key = ?", s -> {
            s.setLong(1, ownerId);
            s.setString(2, key);
        }) == 1;
    }

    /**
     * One page of the owner's keys that start with {@code prefix}, in key order (byte order, as
     * {@link #list}), after {@code afterKey} when it is not null: what the blob API's cursor pages through.
     */
    public List<Entry> page(long ownerId, String prefix, String afterKey, int limit) {
        if (afterKey == null) return list(ownerId, prefix, limit);
        checkedKey(afterKey);
        return jdbc.list("""
                SELECT key, octet_length(value) AS size, updated_at FROM app.blobs
                WHERE owner_id = ? AND starts_with(key, ?) AND key COLLATE "C" > ? ORDER BY key COLLATE "C" LIMIT ?""", s -> {
            s.setLong(1, ownerId);
            s.setString(2, prefix);
            s.setString(3, afterKey);
            s.setInt(4, limit);
        }, r -> new Entry(r.getString("key"), r.getLong("size"), r.getTimestamp("updated_at").toInstant()));
    }

    /** One key's value with its size and last write, for the owner's own reading (the blob API). */
    public record Stored(String key, byte[] value, String contentType, Instant updatedAt) {}

    public Optional<Stored> read(long ownerId, String key) {
        checkedKey(key);
        return jdbc.one("SELECT key, value, content_type, updated_at FROM app.blobs WHERE owner_id = ? AND key = ?", s -> {
            s.setLong(1, ownerId);
            s.setString(2, key);
        }, r -> new Stored(r.getString("key"), r.getBytes("value"), r.getString("content_type"), r.getTimestamp("updated_at").toInstant()));
    }

    /** The owner's keys that start with {@code prefix}, in key order, at most {@code limit} of them. */
    public List<Entry> list(long ownerId, String prefix, int limit) {
        if (prefix.indexOf('\0') >= 0) {
            throw new BadKey("The blob prefix \"" + shown(prefix) + "\" contains the NUL character (U+0000), which no key can hold;"
                    + " remove it from the prefix.");
        }
        return jdbc.list("""
                SELECT key, octet_length(value) AS size, updated_at FROM app.blobs
                WHERE owner_id = ? AND starts_with(key, ?) ORDER BY key COLLATE "C" LIMIT ?""", s -> {
            s.setLong(1, ownerId);
            s.setString(2, prefix);
            s.setInt(3, limit);
        }, r -> new Entry(r.getString("key"), r.getLong("size"), r.getTimestamp("updated_at").toInstant()));
    }
}
