package dev.valence.runtime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Run records of vals: written in batches by the recorder, read and filtered by the authoring API. */
public final class RunStore {
    private static final String COLUMNS = "id, val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error";

    private final Jdbc jdbc;

    public RunStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Inserts many runs with one statement (arrays unnested server-side: far cheaper for PostgreSQL
     * than a row per statement). Runs of vals deleted meanwhile are skipped, not failed. Run records
     * are telemetry, so the commit does not wait for the WAL flush. A run with id 0 gets the next id
     * of the table's sequence; one with an id (from {@link #allocateIds}) keeps it.
     */
    public void insertAll(Collection<Run> runs) {
        if (runs.isEmpty()) return;
        int n = runs.size();
        var ids = new Long[n];
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
            ids[i] = run.id() > 0 ? run.id() : null;
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
                    INSERT INTO app.runs (id, val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error)
                    OVERRIDING SYSTEM VALUE
                    SELECT coalesce(r.id, nextval(pg_get_serial_sequence('app.runs', 'id'))), r.val_id, r.version, r.trigger,
                           r.outcome, r.http_status, r.started_at, r.duration_ms, r.logs, r.error
                    FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::float8[], ?::text[], ?::text[])
                         AS r(id, val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error)
                    WHERE EXISTS (SELECT 1 FROM app.vals v WHERE v.id = r.val_id)""")) {
                insert.setArray(1, connection.createArrayOf("bigint", ids));
                insert.setArray(2, connection.createArrayOf("bigint", valIds));
                insert.setArray(3, connection.createArrayOf("int4", versions));
                insert.setArray(4, connection.createArrayOf("text", triggers));
                insert.setArray(5, connection.createArrayOf("text", outcomes));
                insert.setArray(6, connection.createArrayOf("int4", statuses));
                insert.setArray(7, connection.createArrayOf("timestamptz", startedAt));
                insert.setArray(8, connection.createArrayOf("float8", durations));
                insert.setArray(9, connection.createArrayOf("text", logs));
                insert.setArray(10, connection.createArrayOf("text", errors));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Takes {@code count} run ids from the table's sequence, for runs whose id must be known before they are written. */
    public long[] allocateIds(int count) {
        var ids = jdbc.list("SELECT nextval(pg_get_serial_sequence('app.runs', 'id')) FROM generate_series(1, ?)",
                s -> s.setInt(1, count), r -> r.getLong(1));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** Which runs to list: every field but the limit is optional (null). */
    public record Filter(Run.Trigger trigger, Run.Outcome outcome, Instant since, Instant before, Cursor after, int limit) {}

    /** Where a page ended: the last run's start time and id (runs are ordered by both, newest first). */
    public record Cursor(Instant startedAt, long id) {}

    /** The most recent runs of a val, newest first. */
    public List<Run> recent(long valId, int limit) {
        return list(valId, new Filter(null, null, null, null, null, limit));
    }

    /** Runs of a val matching the filter, newest first (by start time, then id). */
    public List<Run> list(long valId, Filter filter) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM app.runs WHERE val_id = ?");
        var binds = new ArrayList<Object>();
        binds.add(valId);
        if (filter.trigger() != null) {
            sql.append(" AND trigger = ?");
            binds.add(filter.trigger().wire());
        }
        if (filter.outcome() != null) {
            sql.append(" AND outcome = ?");
            binds.add(filter.outcome().wire());
        }
        if (filter.since() != null) {
            sql.append(" AND started_at >= ?");
            binds.add(Timestamp.from(filter.since()));
        }
        if (filter.before() != null) {
            sql.append(" AND started_at < ?");
            binds.add(Timestamp.from(filter.before()));
        }
        if (filter.after() != null) {
            sql.append(" AND (started_at, id) < (?, ?)");
            binds.add(Timestamp.from(filter.after().startedAt()));
            binds.add(filter.after().id());
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ?");
        binds.add(filter.limit());
        return jdbc.list(sql.toString(), s -> {
            for (int i = 0; i < binds.size(); i++) s.setObject(i + 1, binds.get(i));
        }, RunStore::map);
    }

    /** One run of a val. */
    public Optional<Run> byId(long valId, long runId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM app.runs WHERE val_id = ? AND id = ?",
                s -> {
                    s.setLong(1, valId);
                    s.setLong(2, runId);
                }, RunStore::map);
    }

    /** Runs by id, oldest first (the live tail of other instances' runs). */
    public List<Run> byIds(List<Long> ids) {
        return jdbc.list("SELECT " + COLUMNS + " FROM app.runs WHERE id = ANY (?) ORDER BY started_at, id",
                s -> s.setArray(1, s.getConnection().createArrayOf("bigint", ids.toArray())), RunStore::map);
    }

    private static Run map(ResultSet r) throws SQLException {
        return new Run(r.getLong("id"), r.getLong("val_id"), r.getInt("version"),
                Run.Trigger.valueOf(r.getString("trigger").toUpperCase()),
                Run.Outcome.valueOf(r.getString("outcome").toUpperCase()),
                (Integer) r.getObject("http_status"), r.getTimestamp("started_at").toInstant(),
                r.getDouble("duration_ms"), r.getString("logs"), r.getString("error"));
    }
}
