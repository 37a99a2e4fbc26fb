package dev.valence.runtime.store;

import java.sql.Timestamp;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

public final class RunStore {
    private final Jdbc jdbc;

    public RunStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Inserts many runs in one batch; runs of vals deleted meanwhile are skipped, not failed. */
    public void insertAll(Collection<Run> runs) {
        if (runs.isEmpty()) return;
        jdbc.inTransaction(connection -> {
            try (var insert = connection.prepareStatement("""
                    INSERT INTO app.runs (val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error)
                    SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM app.vals WHERE id = ?)""")) {
                for (Run run : runs) {
                    insert.setLong(1, run.valId());
                    insert.setInt(2, run.version());
                    insert.setString(3, run.trigger().wire());
                    insert.setString(4, run.outcome().wire());
                    if (run.httpStatus() == null) insert.setNull(5, Types.INTEGER);
                    else insert.setInt(5, run.httpStatus());
                    insert.setTimestamp(6, Timestamp.from(run.startedAt()));
                    insert.setDouble(7, run.durationMs());
                    insert.setString(8, run.logs());
                    if (run.error() == null) insert.setNull(9, Types.VARCHAR);
                    else insert.setString(9, run.error());
                    insert.setLong(10, run.valId());
                    insert.addBatch();
                }
                insert.executeBatch();
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
