package dev.valence.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Per-user environment variables. Listings return keys only; values go to the user's own vals.
 * Every committed write notifies {@value #CHANNEL} with the user id (a trigger of app migration V4,
 * so writes by any build or by hand are announced); this runtime's own writes are also told to
 * {@link #onWrite} listeners at once, before the API answers.
 */
public final class EnvStore {
    /** The NOTIFY channel of env writes; the payload is the user id. */
    public static final String CHANNEL = "valence_env";

    private final Jdbc jdbc;
    private final List<LongConsumer> writeListeners = new CopyOnWriteArrayList<>();

    public EnvStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public record Entry(String key, Instant updatedAt) {}

    /** Called with the user id after each committed write through this store. */
    public void onWrite(LongConsumer listener) {
        writeListeners.add(listener);
    }

    private void written(long userId) {
        for (LongConsumer listener : writeListeners) listener.accept(userId);
    }

    public void put(long userId, String key, String value) {
        jdbc.update("""
                INSERT INTO app.env_vars (user_id, key, value) VALUES (?, ?, ?)
                ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = now()""",
                s -> {
                    s.setLong(1, userId);
                    s.setString(2, key);
                    s.setString(3, value);
                });
        written(userId);
    }

    public boolean delete(long userId, String key) {
        boolean deleted = jdbc.update("DELETE FROM app.env_vars WHERE user_id = ? AND key = ?", s -> {
            s.setLong(1, userId);
            s.setString(2, key);
        }) == 1;
        if (deleted) written(userId);
        return deleted;
    }

    public List<Entry> keys(long userId) {
        return jdbc.list("SELECT key, updated_at FROM app.env_vars WHERE user_id = ? ORDER BY key",
                s -> s.setLong(1, userId), r -> new Entry(r.getString("key"), r.getTimestamp("updated_at").toInstant()));
    }

    /** The values, for the owner's vals only. */
    public Map<String, String> values(long userId) {
        record KeyValue(String key, String value) {}
        return jdbc.list("SELECT key, value FROM app.env_vars WHERE user_id = ?", s -> s.setLong(1, userId),
                        r -> new KeyValue(r.getString("key"), r.getString("value")))
                .stream().collect(Collectors.toMap(KeyValue::key, KeyValue::value));
    }
}
