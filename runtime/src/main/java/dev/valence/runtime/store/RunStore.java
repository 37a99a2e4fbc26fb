package dev.valence.runtime.store;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

public final class RunStore {
    private final Jdbc jdbc;

    public RunStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Inserts many runs with one statement (arrays unnested server-side: far cheaper for PostgreSQL
     * than a row per statement). Runs of vals deleted meanwhile are skipped, not failed. Run records
     * are telemetry, so the commit does not wait for the WAL flush.
     */
    public void insertAll(Collection<Run> runs) {
        if (runs.isEmpty()) return;
        int n = runs.size();
        var valIds = new Long[n];
        var versions = new Integer[n];
        var triggers = new String[n];
        var outcomes = new String[n];
        var statuses = new Integer[n];
        var startedAt = new Timestamp[n];
        var durations = new Double[n];
        var logs = new String[n];
        var errors = new String[n];
        int i = 0;
        for (Run run : runs) {
            valIds[i] = run.valId();
            versions[i] = run.version();
            triggers[i] = run.trigger().wire();
            outcomes[i] = run.outcome().wire();
            statuses[i] = run.httpStatus();
            startedAt[i] = Timestamp.from(run.startedAt());
            durations[i] = run.durationMs();
            logs[i] = run.logs();
            errors[i] = run.error();
            i++;
        }
        jdbc.inTransaction(connection -> {
            try (var relaxed = connection.createStatement()) {
                relaxed.execute("SET LOCAL synchronous_commit = off");
            }
            try (var insert = connection.prepareStatement("""
                    INSERT INTO app.runs (val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error)
                    SELECT r.val_id, r.version, r.trigger, r.outcome, r.http_status, r.started_at, r.duration_ms, r.logs, r.error
                    FROM unnest(?::bigint[], ?::int[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::float8[], ?::text[], ?::text[])
                         AS r(val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error)
                    WHERE EXISTS (SELECT 1 FROM app.vals v WHERE v.id = r.val_id)""")) {
                insert.setArray(1, connection.createArrayOf("bigint", valIds));
                insert.setArray(2, connection.createArrayOf("int4", versions));
                insert.setArray(3, connection.createArrayOf("text", triggers));
                insert.setArray(4, connection.createArrayOf("text", outcomes));
                insert.setArray(5, connection.createArrayOf("int4", statuses));
                insert.setArray(6, connection.createArrayOf("timestamptz", startedAt));
                insert.setArray(7, connection.createArrayOf("float8", durations));
                insert.setArray(8, connection.createArrayOf("text", logs));
                insert.setArray(9, connection.createArrayOf("text", errors));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The most recent runs of a val, newest first. */
    public List<Run> recent(long valId, int limit) {
        return jdbc.list("""
                SELECT id, val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error
                FROM app.runs WHERE val_id = ? ORDER BY started_at DESC, id DESC LIMIT ?""",
                s -> {
                    s.setLong(1, valId);
                    s.setInt(2, limit);
                },
                r -> new Run(r.getLong("id"), r.getLong("val_id"), r.getInt("version"),
                        Run.Trigger.valueOf(r.getString("trigger").toUpperCase()),
                        Run.Outcome.valueOf(r.getString("outcome").toUpperCase()),
                        (Integer) r.getObject("http_status"), r.getTimestamp("started_at").toInstant(),
                        r.getDouble("duration_ms"), r.getString("logs"), r.getString("error")));
    }
}
