package dev.valence.runtime.store;

import dev.valence.runtime.secrets.EnvCipher;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Per-user environment variables. Listings return keys only; values go to the user's own vals.
 * Every committed write notifies {@value #CHANNEL} with the user id (a trigger of app migrations V4
 * and V7, so writes by any build or by hand are announced); this runtime's own writes are also told to
 * {@link #onWrite} listeners at once, before the API answers.
 *
 * <p>Values are stored sealed ({@link EnvCipher}) in {@code app.env_secrets}; the database never
 * sees them in plain text from this code. {@code app.env_vars} holds what older code wrote (plain
 * text): it is read too, the newer of the two winning, and {@link #sealPlaintext} moves it over.
 */
public final class EnvStore {
    /** The NOTIFY channel of env writes; the payload is the user id. */
    public static final String CHANNEL = "valence_env";
    /** The code level that knows {@code app.env_secrets}: instances below it read plaintext only. */
    public static final int SEALED_SINCE_LEVEL = 7;
    private static final int BATCH = 500;

    private final Jdbc jdbc;
    private final EnvCipher cipher;
    private final List<LongConsumer> writeListeners = new CopyOnWriteArrayList<>();

    public EnvStore(javax.sql.DataSource dataSource, EnvCipher cipher) {
        this.jdbc = new Jdbc(dataSource);
        this.cipher = cipher;
    }

    public record Entry(String key, Instant updatedAt) {}

    /** Called with the user id after each committed write through this store. */
    public void onWrite(LongConsumer listener) {
        writeListeners.add(listener);
    }

    private void written(long userId) {
        for (LongConsumer listener : writeListeners) listener.accept(userId);
    }

    /** Stores the value sealed and removes any plaintext copy of it, in one statement. */
    public void put(long userId, String key, String value) {
        var sealed = cipher.seal(userId, key, value);
        jdbc.update("""
                WITH plaintext AS (DELETE FROM app.env_vars WHERE user_id = ? AND key = ?)
                INSERT INTO app.env_secrets (user_id, key, key_id, sealed) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, key) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, updated_at = now()""",
                s -> {
                    s.setLong(1, userId);
                    s.setString(2, key);
                    s.setLong(3, userId);
                    s.setString(4, key);
                    s.setString(5, sealed.keyId());
                    s.setBytes(6, sealed.bytes());
                });
        written(userId);
    }

    public boolean delete(long userId, String key) {
        boolean deleted = jdbc.one("""
                WITH plaintext AS (DELETE FROM app.env_vars WHERE user_id = ? AND key = ? RETURNING 1),
                     sealed AS (DELETE FROM app.env_secrets WHERE user_id = ? AND key = ? RETURNING 1)
                SELECT (SELECT count(*) FROM plaintext) + (SELECT count(*) FROM sealed)""", s -> {
            s.setLong(1, userId);
            s.setString(2, key);
            s.setLong(3, userId);
            s.setString(4, key);
        }, r -> r.getLong(1)).orElse(0L) > 0;
        if (deleted) written(userId);
        return deleted;
    }

    public List<Entry> keys(long userId) {
        return jdbc.list("""
                SELECT key, max(updated_at) AS updated_at FROM (
                    SELECT key, updated_at FROM app.env_vars WHERE user_id = ?
                    UNION ALL SELECT key, updated_at FROM app.env_secrets WHERE user_id = ?) k
                GROUP BY key ORDER BY key""",
                s -> {
                    s.setLong(1, userId);
                    s.setLong(2, userId);
                }, r -> new Entry(r.getString("key"), r.getTimestamp("updated_at").toInstant()));
    }

    /**
     * The values, for the owner's vals only.
     *
     * @throws EnvCipher.Unreadable when a value was sealed with a key this instance does not have
     */
    public Map<String, String> values(long userId) {
        record Stored(String key, String plaintext, EnvCipher.Sealed sealed, Instant updatedAt) {}
        var rows = jdbc.list("""
                SELECT key, value, NULL::text AS key_id, NULL::bytea AS sealed, updated_at FROM app.env_vars WHERE user_id = ?
                UNION ALL
                SELECT key, NULL, key_id, sealed, updated_at FROM app.env_secrets WHERE user_id = ?""",
                s -> {
                    s.setLong(1, userId);
                    s.setLong(2, userId);
                }, r -> new Stored(r.getString("key"), r.getString("value"),
                        r.getString("key_id") == null ? null : new EnvCipher.Sealed(r.getString("key_id"), r.getBytes("sealed")),
                        r.getTimestamp("updated_at").toInstant()));
        var newest = new HashMap<String, Stored>();
        for (var row : rows) newest.merge(row.key, row, (a, b) -> b.updatedAt.isAfter(a.updatedAt) ? b : a);
        var values = new HashMap<String, String>();
        newest.forEach((key, row) -> values.put(key, row.sealed == null ? row.plaintext : cipher.open(userId, key, row.sealed)));
        return values;
    }

    /** Whether plaintext values (from older code or an older release) are waiting to be sealed. */
    public boolean hasPlaintext() {
        return jdbc.one("SELECT EXISTS (SELECT 1 FROM app.env_vars)", s -> {}, r -> r.getBoolean(1)).orElse(false);
    }

    /** Whether an instance of code that reads plaintext only has written a heartbeat in the last {@code seconds}. */
    public boolean plaintextReadersLive(int seconds) {
        return jdbc.one("SELECT EXISTS (SELECT 1 FROM control.instances WHERE code_level < ? AND last_seen_at > now() - make_interval(secs => ?))",
                s -> {
                    s.setInt(1, SEALED_SINCE_LEVEL);
                    s.setInt(2, seconds);
                }, r -> r.getBoolean(1)).orElse(false);
    }

    /**
     * Moves every plaintext value to {@code app.env_secrets}, sealed with the current key; a sealed value
     * written later than the plaintext one is kept instead. Rows locked by a concurrent write are left for
     * the next call.
     *
     * @return how many plaintext rows were sealed or dropped
     */
    public int sealPlaintext() {
        int total = 0;
        int moved;
        do {
            moved = jdbc.inTransaction(connection -> {
                record Plain(long userId, String key, String value, Timestamp updatedAt) {}
                var batch = new ArrayList<Plain>();
                try (var select = connection.prepareStatement(
                        "SELECT user_id, key, value, updated_at FROM app.env_vars ORDER BY user_id, key LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    select.setInt(1, BATCH);
                    try (var rows = select.executeQuery()) {
                        while (rows.next()) batch.add(new Plain(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getTimestamp(4)));
                    }
                }
                try (var insert = connection.prepareStatement("""
                        INSERT INTO app.env_secrets (user_id, key, key_id, sealed, updated_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (user_id, key) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, updated_at = excluded.updated_at
                        WHERE app.env_secrets.updated_at <= excluded.updated_at""");
                     var delete = connection.prepareStatement("DELETE FROM app.env_vars WHERE user_id = ? AND key = ?")) {
                    for (var row : batch) {
                        var sealed = cipher.seal(row.userId, row.key, row.value);
                        insert.setLong(1, row.userId);
                        insert.setString(2, row.key);
                        insert.setString(3, sealed.keyId());
                        insert.setBytes(4, sealed.bytes());
                        insert.setTimestamp(5, row.updatedAt);
                        insert.addBatch();
                        delete.setLong(1, row.userId);
                        delete.setString(2, row.key);
                        delete.addBatch();
                    }
                    if (!batch.isEmpty()) {
                        insert.executeBatch();
                        delete.executeBatch();
                    }
                }
                return batch.size();
            });
            total += moved;
        } while (moved == BATCH);
        return total;
    }

    /**
     * Seals again with the current key every value sealed with another one (after a key rotation).
     *
     * @return how many values were sealed again
     */
    public int resealWithCurrentKey() {
        String current = cipher.keys().current().id();
        int total = 0;
        int moved;
        do {
            moved = jdbc.inTransaction(connection -> {
                record Old(long userId, String key, EnvCipher.Sealed sealed) {}
                var batch = new ArrayList<Old>();
                try (var select = connection.prepareStatement(
                        "SELECT user_id, key, key_id, sealed FROM app.env_secrets WHERE key_id <> ? ORDER BY user_id, key LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    select.setString(1, current);
                    select.setInt(2, BATCH);
                    try (var rows = select.executeQuery()) {
                        while (rows.next()) batch.add(new Old(rows.getLong(1), rows.getString(2), new EnvCipher.Sealed(rows.getString(3), rows.getBytes(4))));
                    }
                }
                try (var update = connection.prepareStatement("UPDATE app.env_secrets SET key_id = ?, sealed = ? WHERE user_id = ? AND key = ?")) {
                    for (var row : batch) {
                        var sealed = cipher.seal(row.userId, row.key, cipher.open(row.userId, row.key, row.sealed));
                        update.setString(1, sealed.keyId());
                        update.setBytes(2, sealed.bytes());
                        update.setLong(3, row.userId);
                        update.setString(4, row.key);
                        update.addBatch();
                    }
                    if (!batch.isEmpty()) update.executeBatch();
                }
                return batch.size();
            });
            total += moved;
        } while (moved == BATCH);
        return total;
    }

    /** Ids of keys that sealed stored values but are not among {@code known}: values this instance cannot open. */
    public List<String> keyIdsBeyond(List<String> known) {
        return countByKeyId().keySet().stream().filter(id -> !known.contains(id)).sorted().toList();
    }

    /** The keyring values are sealed and opened with. */
    public dev.valence.runtime.secrets.SecretKeys keys() {
        return cipher.keys();
    }

    /** How many values each key id seals, for reports. */
    public Map<String, Long> countByKeyId() {
        var counts = new HashMap<String, Long>();
        jdbc.list("SELECT key_id, count(*) FROM app.env_secrets GROUP BY key_id", s -> {}, r -> counts.put(r.getString(1), r.getLong(2)));
        return counts;
    }
}
