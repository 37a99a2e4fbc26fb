package dev.valence.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Per-user environment variables. Listings return keys only; values go to the user's own vals. */
public final class EnvStore {
    private final Jdbc jdbc;

    public EnvStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public record Entry(String key, Instant updatedAt) {}

    public void put(long userId, String key, String value) {
        jdbc.update("""
                INSERT INTO app.env_vars (user_id, key, value) VALUES (?, ?, ?)
                ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = now()""",
                s -> {
                    s.setLong(1, userId);
                    s.setString(2, key);
                    s.setString(3, value);
                });
    }

    public boolean delete(long userId, String key) {
        return jdbc.update("DELETE FROM app.env_vars WHERE user_id = ? AND key = ?", s -> {
            s.setLong(1, userId);
            s.setString(2, key);
        }) == 1;
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
