package dev.valence.runtime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/** Run records of vals: written in batches by the recorder, read and filtered by the authoring API. */
public final class RunStore {
    private static final String COLUMNS = "id, val_id, version, trigger, manual, outcome, http_status, started_at, duration_ms, logs, error";

    private final Jdbc jdbc;

    public RunStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Whether a run is stored in a group rather than a row of its own: a successful HTTP run with no
     * logs and no error (most runs of a busy val), whose record is five numbers.
     */
    public static boolean grouped(Run run) {
        return run.trigger() == Run.Trigger.HTTP && run.outcome() == Run.Outcome.SUCCESS && run.httpStatus() != null
                && run.logs().isEmpty() && run.error() == null;
    }

    /** A group of silent runs of one val as written: it is named by its first (lowest) run id. */
    public record Group(long valId, long firstRunId, int size) {}

    /**
     * What one write stored: every run of the batch with its id (in the batch's order), the runs
     * that went into rows of their own, and the groups the silent ones went into.
     */
    public record Written(List<Run> runs, List<Run> rows, List<Group> groups) {
        static final Written NOTHING = new Written(List.of(), List.of(), List.of());
    }

    /**
     * Writes a batch of runs in one transaction: runs without an id get one (see {@link
     * #allocateIds}), silent runs go into one group row per val (one JDBC batch), the others into rows
     * of their own (one statement, arrays unnested server-side). Runs of vals deleted meanwhile are
     * skipped, not failed. Run records are telemetry, so the commit does not wait for the WAL flush.
     */
    public Written write(List<Run> batch) {
        if (batch.isEmpty()) return Written.NOTHING;
        int n = batch.size();
        var rows = new ArrayList<Integer>();
        var byVal = new LinkedHashMap<Long, List<Integer>>();
        int missing = 0;
        for (int i = 0; i < n; i++) {
            Run run = batch.get(i);
            if (run.id() <= 0) missing++;
            if (grouped(run)) byVal.computeIfAbsent(run.valId(), k -> new ArrayList<>()).add(i);
            else rows.add(i);
        }
        long[] ids = allocateIds(missing); // before the transaction: a block of ids may need a connection of its own
        return jdbc.inTransaction(connection -> {
            var out = new Run[n];
            int next = 0;
            for (int i : rows) {
                Run run = batch.get(i);
                out[i] = run.id() > 0 ? run : run.withId(ids[next++]);
            }
            for (List<Integer> members : byVal.values()) {
                // ids follow the start order within a group, as (started_at, id) orders every listing
                members.sort(Comparator.comparing(i -> batch.get(i).startedAt()));
                for (int i : members) {
                    Run run = batch.get(i);
                    out[i] = run.id() > 0 ? run : run.withId(ids[next++]);
                }
            }
            var rowRuns = new ArrayList<Run>(rows.size());
            for (int i : rows) rowRuns.add(out[i]);
            insertRows(connection, rowRuns);
            var groups = byVal.isEmpty() ? List.<Group>of() : insertGroups(connection, byVal, out);
            return new Written(Arrays.asList(out), rowRuns, groups);
        });
    }

    /**
     * Run ids come from {@code app.runs_id_seq}, which counts in blocks of {@value #ID_BLOCK} (app
     * V3): each {@code nextval} reserves a block for this instance, handed out here without going
     * back to the database, since a {@code nextval} per run cost PostgreSQL more than the rest of the
     * record. Older code that takes one {@code nextval} per run only wastes the rest of its block.
     */
    private static final int ID_BLOCK = 1024;
    private final ArrayDeque<Long> reservedBlocks = new ArrayDeque<>();
    private long nextId;
    private long blockEnd; // exclusive

    /** Takes {@code count} run ids, for runs whose id must be known before they are written. */
    public synchronized long[] allocateIds(int count) {
        var ids = new long[count];
        for (int i = 0; i < count; i++) {
            if (nextId == blockEnd) {
                if (reservedBlocks.isEmpty()) {
                    int blocks = Math.ceilDiv(count - i, ID_BLOCK);
                    reservedBlocks.addAll(jdbc.list("SELECT nextval('app.runs_id_seq') FROM generate_series(1, ?)",
                            s -> s.setInt(1, blocks), r -> r.getLong(1)));
                }
                nextId = reservedBlocks.poll();
                blockEnd = nextId + ID_BLOCK;
            }
            ids[i] = nextId++;
        }
        return ids;
    }

    /**
     * How a {@code schema} run is stored: as outcome {@code cancelled} ("the platform stopped it", true
     * for it) with HTTP status 503, a pair no other run has. app.runs' CHECK constraint does not know
     * {@code schema}, and code of earlier levels maps every outcome it reads to an enum and fails on a
     * value it does not know (the reason for V4's manual flag): they show such a run as cancelled, 503.
     */
    static final int SCHEMA_STATUS = 503;

    private static String storedOutcome(Run.Outcome outcome) {
        return outcome == Run.Outcome.SCHEMA ? Run.Outcome.CANCELLED.wire() : outcome.wire();
    }

    /** The trigger column's value: a manual run is stored as a script run plus the manual flag (app migration V4). */
    private static Run.Trigger storedTrigger(Run.Trigger trigger) {
        return trigger == Run.Trigger.MANUAL ? Run.Trigger.SCRIPT : trigger;
    }

    private static void insertRows(Connection connection, List<Run> runs) throws SQLException {
        if (runs.isEmpty()) return;
        int n = runs.size();
        var ids = new long[n];
        var valIds = new long[n];
        var versions = new int[n];
        var triggers = new String[n];
        var manual = new Boolean[n];
        var outcomes = new String[n];
        var statuses = new Integer[n];
        var startedAt = new Timestamp[n];
        var durations = new double[n];
        var logs = new String[n];
        var errors = new String[n];
        for (int i = 0; i < n; i++) {
            Run run = runs.get(i);
            ids[i] = run.id();
            valIds[i] = run.valId();
            versions[i] = run.version();
            triggers[i] = storedTrigger(run.trigger()).wire();
            manual[i] = run.trigger() == Run.Trigger.MANUAL;
            outcomes[i] = storedOutcome(run.outcome());
            statuses[i] = run.outcome() == Run.Outcome.SCHEMA ? Integer.valueOf(SCHEMA_STATUS) : run.httpStatus();
            startedAt[i] = Timestamp.from(run.startedAt());
            durations[i] = run.durationMs();
            logs[i] = DatabaseText.text(run.logs());
            errors[i] = DatabaseText.text(run.error());
        }
        try (var insert = connection.prepareStatement("""
                INSERT INTO app.runs (id, val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error, manual)
                OVERRIDING SYSTEM VALUE
                SELECT r.id, r.val_id, r.version, r.trigger, r.outcome, r.http_status, r.started_at, r.duration_ms, r.logs, r.error, r.manual
                FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::float8[], ?::text[], ?::text[], ?::boolean[])
                     AS r(id, val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs, error, manual)
                WHERE EXISTS (SELECT 1 FROM app.vals v WHERE v.id = r.val_id)""")) {
            insert.setArray(1, primitive(connection, "int8", ids));
            insert.setArray(2, primitive(connection, "int8", valIds));
            insert.setArray(3, primitive(connection, "int4", versions));
            insert.setArray(4, connection.createArrayOf("text", triggers));
            insert.setArray(5, connection.createArrayOf("text", outcomes));
            insert.setArray(6, primitive(connection, "int4", statuses));
            insert.setArray(7, connection.createArrayOf("timestamptz", startedAt));
            insert.setArray(8, primitive(connection, "float8", durations));
            insert.setArray(9, connection.createArrayOf("text", logs));
            insert.setArray(10, connection.createArrayOf("text", errors));
            insert.setArray(11, connection.createArrayOf("bool", manual));
            insert.executeUpdate();
        }
    }

    /**
     * Inserts one group row per val, all in one round trip (a JDBC batch); the arrays go in as they
     * are, already in start order. A group of a val deleted meanwhile is skipped.
     */
    private static List<Group> insertGroups(Connection connection, Map<Long, List<Integer>> byVal, Run[] out) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO app.run_groups (val_id, run_ids, first_started_at, last_started_at, ids, versions, statuses, started_us, durations_ms)
                SELECT ?, int8range(?, ?, '[]'), ?, ?, ?, ?, ?, ?, ?
                WHERE EXISTS (SELECT 1 FROM app.vals WHERE id = ?)""")) {
            var groups = new ArrayList<Group>(byVal.size());
            for (var entry : byVal.entrySet()) {
                List<Integer> members = entry.getValue();
                int n = members.size();
                var ids = new long[n];
                var versions = new int[n];
                var statuses = new int[n];
                var startedUs = new long[n];
                var durations = new double[n];
                long low = Long.MAX_VALUE;
                long high = Long.MIN_VALUE;
                for (int k = 0; k < n; k++) {
                    Run run = out[members.get(k)];
                    ids[k] = run.id();
                    versions[k] = run.version();
                    statuses[k] = run.httpStatus();
                    startedUs[k] = micros(run.startedAt());
                    durations[k] = run.durationMs();
                    low = Math.min(low, run.id());
                    high = Math.max(high, run.id());
                }
                long valId = entry.getKey();
                insert.setLong(1, valId);
                insert.setLong(2, low);
                insert.setLong(3, high);
                insert.setTimestamp(4, Timestamp.from(out[members.getFirst()].startedAt()));
                insert.setTimestamp(5, Timestamp.from(out[members.getLast()].startedAt()));
                insert.setArray(6, primitive(connection, "int8", ids));
                insert.setArray(7, primitive(connection, "int4", versions));
                insert.setArray(8, primitive(connection, "int4", statuses));
                insert.setArray(9, primitive(connection, "int8", startedUs));
                insert.setArray(10, primitive(connection, "float8", durations));
                insert.setLong(11, valId);
                insert.addBatch();
                groups.add(new Group(valId, low, n));
            }
            int[] inserted = insert.executeBatch();
            var written = new ArrayList<Group>(groups.size());
            for (int i = 0; i < inserted.length; i++) if (inserted[i] != 0) written.add(groups.get(i));
            return written;
        }
    }

    /** An array parameter from a primitive array (pgjdbc encodes those without boxing). */
    private static java.sql.Array primitive(Connection connection, String type, Object elements) throws SQLException {
        return connection.unwrap(PGConnection.class).createArrayOf(type, elements);
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** Which runs to list: every field but the limit is optional (null). */
    public record Filter(Run.Trigger trigger, Run.Outcome outcome, Instant since, Instant before, Cursor after, int limit) {}

    /** Where a page ended: the last run's start time and id (runs are ordered by both, newest first). */
    public record Cursor(Instant startedAt, long id) {}

    /** The most recent runs of a val, newest first. */
    public List<Run> recent(long valId, int limit) {
        return list(valId, new Filter(null, null, null, null, null, limit));
    }

    /** The order of every listing: newest first by start time, then by id. */
    private static final Comparator<Run> NEWEST_FIRST =
            Comparator.comparing(Run::startedAt).thenComparingLong(Run::id).reversed();

    /** Runs of a val matching the filter, newest first (by start time, then id), from rows and groups. */
    public List<Run> list(long valId, Filter filter) {
        List<Run> rows = listRows(valId, filter);
        boolean groupsMatch = (filter.trigger() == null || filter.trigger() == Run.Trigger.HTTP)
                && (filter.outcome() == null || filter.outcome() == Run.Outcome.SUCCESS);
        if (!groupsMatch) return rows;
        var merged = new ArrayList<>(rows);
        merged.addAll(listGrouped(valId, filter));
        merged.sort(NEWEST_FIRST);
        return merged.size() > filter.limit() ? List.copyOf(merged.subList(0, filter.limit())) : merged;
    }

    private List<Run> listRows(long valId, Filter filter) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM app.runs WHERE val_id = ?");
        var binds = new ArrayList<Object>();
        binds.add(valId);
        if (filter.trigger() == Run.Trigger.MANUAL) {
            sql.append(" AND manual");
        } else if (filter.trigger() != null) {
            sql.append(" AND trigger = ? AND NOT manual");
            binds.add(filter.trigger().wire());
        }
        if (filter.outcome() != null) {
            sql.append(" AND outcome = ?");
            binds.add(storedOutcome(filter.outcome()));
            if (filter.outcome() == Run.Outcome.SCHEMA) {
                sql.append(" AND http_status = ").append(SCHEMA_STATUS);
            } else if (filter.outcome() == Run.Outcome.CANCELLED) {
                sql.append(" AND http_status IS DISTINCT FROM ").append(SCHEMA_STATUS);
            }
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

    /**
     * The newest grouped runs matching the filter. Groups are read newest-last-start first, a page at
     * a time, keeping the best {@code limit} runs; reading stops once the worst kept run started after
     * the next group's last start, since no run of that group or any later one can beat it.
     */
    private List<Run> listGrouped(long valId, Filter filter) {
        int limit = filter.limit();
        var best = new PriorityQueue<Run>(NEWEST_FIRST.reversed()); // head: the worst kept run
        Instant pageAfterStart = null;
        long pageAfterId = 0;
        while (true) {
            var sql = new StringBuilder("SELECT " + GROUP_COLUMNS + " FROM app.run_groups WHERE val_id = ?");
            var binds = new ArrayList<Object>();
            binds.add(valId);
            if (filter.since() != null) {
                sql.append(" AND last_started_at >= ?");
                binds.add(Timestamp.from(filter.since()));
            }
            if (filter.before() != null) {
                sql.append(" AND first_started_at < ?");
                binds.add(Timestamp.from(filter.before()));
            }
            if (filter.after() != null) {
                sql.append(" AND first_started_at <= ?");
                binds.add(Timestamp.from(filter.after().startedAt()));
            }
            if (pageAfterStart != null) {
                sql.append(" AND (last_started_at, id) < (?, ?)");
                binds.add(Timestamp.from(pageAfterStart));
                binds.add(pageAfterId);
            }
            sql.append(" ORDER BY last_started_at DESC, id DESC LIMIT ").append(GROUP_PAGE);
            List<GroupRow> page = jdbc.list(sql.toString(), s -> {
                for (int i = 0; i < binds.size(); i++) s.setObject(i + 1, binds.get(i));
            }, RunStore::mapGroup);
            for (GroupRow group : page) {
                if (best.size() >= limit && best.peek().startedAt().isAfter(group.lastStartedAt())) {
                    return drain(best);
                }
                for (Run run : group.runs()) {
                    if (!matches(run, filter)) continue;
                    if (best.size() < limit) {
                        best.add(run);
                    } else if (NEWEST_FIRST.compare(run, best.peek()) < 0) {
                        best.poll();
                        best.add(run);
                    }
                }
            }
            if (page.size() < GROUP_PAGE) return drain(best);
            GroupRow last = page.getLast();
            pageAfterStart = last.lastStartedAt();
            pageAfterId = last.id();
        }
    }

    private static boolean matches(Run run, Filter filter) {
        if (filter.since() != null && run.startedAt().isBefore(filter.since())) return false;
        if (filter.before() != null && !run.startedAt().isBefore(filter.before())) return false;
        if (filter.after() != null) {
            int c = run.startedAt().compareTo(filter.after().startedAt());
            if (c > 0 || (c == 0 && run.id() >= filter.after().id())) return false;
        }
        return true;
    }

    private static List<Run> drain(PriorityQueue<Run> best) {
        var runs = new ArrayList<>(best);
        runs.sort(NEWEST_FIRST);
        return runs;
    }

    /** One run of a val, from its row or its group. */
    public Optional<Run> byId(long valId, long runId) {
        Optional<Run> row = jdbc.one("SELECT " + COLUMNS + " FROM app.runs WHERE val_id = ? AND id = ?",
                s -> {
                    s.setLong(1, valId);
                    s.setLong(2, runId);
                }, RunStore::map);
        if (row.isPresent()) return row;
        List<GroupRow> groups = jdbc.list("SELECT " + GROUP_COLUMNS + " FROM app.run_groups WHERE run_ids @> ? AND val_id = ?",
                s -> {
                    s.setLong(1, runId);
                    s.setLong(2, valId);
                }, RunStore::mapGroup);
        for (GroupRow group : groups) {
            for (Run run : group.runs()) if (run.id() == runId) return Optional.of(run);
        }
        return Optional.empty();
    }

    /**
     * Runs by id and the runs of groups named by their first run id, oldest first (the live tail of
     * other instances' runs).
     */
    public List<Run> byIds(List<Long> ids, List<Long> groupFirstIds) {
        var runs = new ArrayList<Run>();
        if (!ids.isEmpty()) {
            runs.addAll(jdbc.list("SELECT " + COLUMNS + " FROM app.runs WHERE id = ANY (?)",
                    s -> s.setArray(1, s.getConnection().createArrayOf("bigint", ids.toArray())), RunStore::map));
        }
        for (long first : groupFirstIds) {
            for (GroupRow group : jdbc.list("SELECT " + GROUP_COLUMNS + " FROM app.run_groups WHERE run_ids @> ? AND lower(run_ids) = ?",
                    s -> {
                        s.setLong(1, first);
                        s.setLong(2, first);
                    }, RunStore::mapGroup)) {
                runs.addAll(group.runs());
            }
        }
        runs.sort(NEWEST_FIRST.reversed());
        return runs;
    }

    private static final String GROUP_COLUMNS = "id, val_id, last_started_at, ids, versions, statuses, started_us, durations_ms";
    private static final int GROUP_PAGE = 32;

    /** A group row as read: its id, last start and its runs. */
    private record GroupRow(long id, Instant lastStartedAt, List<Run> runs) {}

    private static GroupRow mapGroup(ResultSet r) throws SQLException {
        long valId = r.getLong("val_id");
        Long[] ids = (Long[]) r.getArray("ids").getArray();
        Integer[] versions = (Integer[]) r.getArray("versions").getArray();
        Integer[] statuses = (Integer[]) r.getArray("statuses").getArray();
        Long[] startedUs = (Long[]) r.getArray("started_us").getArray();
        Double[] durations = (Double[]) r.getArray("durations_ms").getArray();
        var runs = new ArrayList<Run>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            runs.add(new Run(ids[i], valId, versions[i], Run.Trigger.HTTP, Run.Outcome.SUCCESS, statuses[i],
                    fromMicros(startedUs[i]), durations[i], "", null));
        }
        return new GroupRow(r.getLong("id"), r.getTimestamp("last_started_at").toInstant(), runs);
    }

    private static Run map(ResultSet r) throws SQLException {
        Run.Outcome outcome = Run.Outcome.valueOf(r.getString("outcome").toUpperCase());
        Integer status = (Integer) r.getObject("http_status");
        Run.Trigger trigger = r.getBoolean("manual") ? Run.Trigger.MANUAL : Run.Trigger.valueOf(r.getString("trigger").toUpperCase());
        if (outcome == Run.Outcome.CANCELLED && status != null && status == SCHEMA_STATUS) {
            outcome = Run.Outcome.SCHEMA;
            if (trigger != Run.Trigger.HTTP) status = null; // only stored to mark the outcome
        }
        return new Run(r.getLong("id"), r.getLong("val_id"), r.getInt("version"), trigger, outcome,
                status, r.getTimestamp("started_at").toInstant(),
                r.getDouble("duration_ms"), r.getString("logs"), r.getString("error"));
    }
}
