package dev.valence.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A runtime instance whose heartbeat in {@code control.instances} is recent enough to count as running. */
record LiveInstance(String id, String host, String buildId, int codeLevel, int codeMinimum, long secondsAgo) {

    /** "runtime-a (host x, build abc, level 1, seen 2 s ago)": how messages name an instance. */
    String describe() {
        return id + " (host " + host + ", build " + buildId + ", level " + codeLevel + ", seen " + secondsAgo + " s ago)";
    }

    /** Instances seen within {@code liveSeconds} of {@code now}; none before the control schema exists. */
    static List<LiveInstance> read(Connection connection, Instant now, int liveSeconds) throws SQLException {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT to_regclass('control.instances') IS NOT NULL")) {
            rows.next();
            if (!rows.getBoolean(1)) return List.of();
        }
        var live = new ArrayList<LiveInstance>();
        try (var query = connection.prepareStatement("""
                SELECT instance_id, host, build_id, code_level, code_minimum, last_seen_at FROM control.instances
                WHERE last_seen_at >= ? ORDER BY code_level, instance_id""")) {
            query.setTimestamp(1, Timestamp.from(now.minusSeconds(liveSeconds)));
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    long ago = Math.max(0, Duration.between(rows.getTimestamp(6).toInstant(), now).toSeconds());
                    live.add(new LiveInstance(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4), rows.getInt(5), ago));
                }
            }
        }
        return live;
    }
}
