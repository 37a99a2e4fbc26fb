package dev.valence.ops.lintreplay;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies one case to its own copy of the seeded database and watches what PostgreSQL does:
 * <ul>
 *   <li>the previous release's queries, answered before and after the migration (breaking);</li>
 *   <li>after every statement of the migration, from a second connection, the lock modes its backend holds in
 *       {@code pg_locks} (they are held to the end of the transaction, so the sample is the mode held during
 *       the statement); from the migration's own backend, each existing table's and index's
 *       {@code relfilenode} (a rewrite or rebuild) and {@code pg_stat_xact_user_tables} (rows it read or
 *       changed in this transaction).</li>
 * </ul>
 * A statement that cannot run in a transaction ({@code CONCURRENTLY}) runs on its own while the second
 * connection polls {@code pg_locks}; it is locking when it held a lock that blocks writes while it rewrote the
 * table or one of its indexes (a moment's lock without a rewrite is not).
 */
final class Replayer {
    /** Rows read or changed in a table before a statement counts as working through it rather than touching a few. */
    static final long MASS_ROW_CHANGE = 1_000;

    private final SeededPostgres postgres;
    private final String sharedQueries;

    Replayer(SeededPostgres postgres, String sharedQueries) {
        this.postgres = postgres;
        this.sharedQueries = sharedQueries;
    }

    record Observation(Set<Category> categories, List<String> evidence, String failure) {
        String show() {
            return Category.show(categories) + (failure == null ? "" : " (" + failure + ")") + ": " + String.join("; ", evidence);
        }
    }

    /** A populated table that existed before the case: its oid, name and the oids of its indexes. */
    private record Table(long oid, String name, List<Long> indexes) {}

    /** Run once the schema before the case is in place, before the case is applied: how an operator lints before a deploy. */
    interface BeforeMigration {
        void inspect(String database);
    }

    Observation replay(ReplayCase c) throws SQLException {
        return replay(c, database -> { });
    }

    Observation replay(ReplayCase c, BeforeMigration beforeMigration) throws SQLException {
        String database = postgres.copy();
        try (Connection migration = postgres.connect(database); Connection watcher = postgres.connect(database)) {
            try (var s = migration.createStatement()) {
                s.execute("SET statement_timeout = '120s'");
                for (String statement : SqlScript.statements(c.before())) {
                    s.execute(statement);
                }
            }
            beforeMigration.inspect(database);
            Map<String, String> queries = OldRelease.queries(sharedQueries, c.oldQueries(), c.name());
            Map<String, String> before = OldRelease.run(migration, queries);
            var evidence = new ArrayList<String>();
            for (var answer : before.entrySet()) {
                if (OldRelease.failed(answer.getValue())) {
                    return new Observation(Set.of(), evidence, "the previous release's query " + answer.getKey()
                            + " already fails before the migration: " + answer.getValue());
                }
            }
            List<Table> tables = populatedTables(migration);
            var categories = EnumSet.noneOf(Category.class);
            String failure = apply(c, migration, watcher, tables, evidence, categories);
            if (failure != null) {
                return new Observation(categories, evidence, failure);
            }
            Map<String, String> after = OldRelease.run(migration, queries);
            for (var answer : before.entrySet()) {
                String now = after.get(answer.getKey());
                if (!now.equals(answer.getValue())) {
                    categories.add(Category.BREAKING);
                    evidence.add(answer.getKey() + " answered [" + oneLine(answer.getValue()) + "] before and ["
                            + oneLine(now) + "] after");
                }
            }
            return new Observation(categories, evidence, null);
        } finally {
            postgres.drop(database);
        }
    }

    /** What the migration's own backend can tell about the populated tables at one moment of its transaction. */
    private record Snapshot(Map<Long, Long> files, Map<Long, Long> rowsWorked, Map<Long, Long> rowsChanged) {
        static Snapshot of(Connection c, List<Table> tables) throws SQLException {
            return new Snapshot(relfilenodes(c, tables), Replayer.rowsWorked(c, tables), Replayer.rowsChanged(c, tables));
        }

        long worked(Table t, Snapshot before) {
            return rowsWorked.getOrDefault(t.oid(), 0L) - before.rowsWorked.getOrDefault(t.oid(), 0L);
        }

        long changed(Table t, Snapshot before) {
            return rowsChanged.getOrDefault(t.oid(), 0L) - before.rowsChanged.getOrDefault(t.oid(), 0L);
        }

        boolean rewritten(Table t, Snapshot before) {
            return changedFile(t.oid(), before) || t.indexes().stream().anyMatch(index -> changedFile(index, before));
        }

        private boolean changedFile(long oid, Snapshot before) {
            Long was = before.files.get(oid);
            Long now = files.get(oid);
            return was != null && now != null && !was.equals(now);
        }
    }

    /** Runs the migration as Flyway would; null when it applied, else why it failed. */
    private String apply(ReplayCase c, Connection migration, Connection watcher, List<Table> tables,
                         List<String> evidence, Set<Category> categories) throws SQLException {
        boolean oneTransaction = c.transactional();
        int pid = pid(migration);
        migration.setAutoCommit(!oneTransaction);
        try (var s = migration.createStatement()) {
            for (String statement : SqlScript.statements(c.migration())) {
                if (!oneTransaction && ReplayCase.outsideTransaction(statement)) {
                    // such statements take a lock that blocks writes only for a moment (DETACH ... CONCURRENTLY's last
                    // step), unless they rewrite the table or an index under it (VACUUM FULL): only that is locking
                    Snapshot before = Snapshot.of(migration, tables);
                    Map<Long, LockMode> held = runWatched(s, statement, watcher, pid);
                    Snapshot after = Snapshot.of(migration, tables);
                    for (Table t : tables) {
                        LockMode mode = held.getOrDefault(t.oid(), LockMode.NONE);
                        if (mode.blocksWrites() && after.rewritten(t, before)) {
                            categories.add(Category.LOCKING);
                            evidence.add(t.name() + " held " + mode + " while rewritten or reindexed by a statement outside a"
                                    + " transaction: " + oneLine(statement));
                        }
                    }
                    continue;
                }
                migration.setAutoCommit(false);
                Snapshot before = Snapshot.of(migration, tables);
                s.execute(statement);
                judge(statement, tables, locksHeld(watcher, pid), before, Snapshot.of(migration, tables), evidence, categories);
                if (!oneTransaction) {
                    migration.commit();
                    migration.setAutoCommit(true);
                }
            }
            if (oneTransaction) {
                migration.commit();
            }
            return null;
        } catch (SQLException e) {
            if (!migration.getAutoCommit()) {
                migration.rollback();
            }
            return "the migration failed: " + e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse("");
        } finally {
            migration.setAutoCommit(true);
        }
    }

    /** One statement's effect on each populated table, with the locks held once it finished (held to the commit). */
    private static void judge(String statement, List<Table> tables, Map<Long, LockMode> held, Snapshot before,
                              Snapshot after, List<String> evidence, Set<Category> categories) {
        for (Table t : tables) {
            LockMode mode = held.getOrDefault(t.oid(), LockMode.NONE);
            boolean rewritten = after.rewritten(t, before);
            long worked = after.worked(t, before);
            long changed = after.changed(t, before);
            if (changed > MASS_ROW_CHANGE) {
                categories.add(Category.LOCKING);
                evidence.add(t.name() + ": " + changed + " rows updated or deleted (each locked until the commit) by: "
                        + oneLine(statement));
            }
            if (mode.blocksWrites() && (rewritten || worked > MASS_ROW_CHANGE)) {
                categories.add(Category.LOCKING);
                evidence.add(t.name() + " held " + mode + " while "
                        + (rewritten ? "rewritten or reindexed" : worked + " rows were read or changed")
                        + " by: " + oneLine(statement));
            }
        }
    }

    /** Runs a statement that cannot be in a transaction while the watcher polls its locks; the strongest mode per relation. */
    private static Map<Long, LockMode> runWatched(java.sql.Statement s, String statement, Connection watcher, int pid)
            throws SQLException {
        var strongest = new ConcurrentHashMap<Long, LockMode>();
        var done = new AtomicBoolean();
        var failure = new SQLException[1];
        Thread poller = Thread.ofPlatform().name("replay-lock-watch").start(() -> {
            while (!done.get()) {
                try {
                    locksHeld(watcher, pid).forEach((oid, mode) -> strongest.merge(oid, mode, LockMode::max));
                } catch (SQLException e) {
                    failure[0] = e;
                    return;
                }
            }
        });
        try {
            s.execute(statement);
        } finally {
            done.set(true);
            try {
                poller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return strongest;
    }

    private static Map<Long, LockMode> locksHeld(Connection watcher, int pid) throws SQLException {
        var held = new HashMap<Long, LockMode>();
        try (var q = watcher.prepareStatement("""
                SELECT relation::bigint, mode FROM pg_locks
                WHERE pid = ? AND locktype = 'relation' AND granted""")) {
            q.setInt(1, pid);
            try (var rows = q.executeQuery()) {
                while (rows.next()) {
                    held.merge(rows.getLong(1), LockMode.of(rows.getString(2)), LockMode::max);
                }
            }
        }
        return held;
    }

    private static List<Table> populatedTables(Connection c) throws SQLException {
        var tables = new ArrayList<Table>();
        try (var s = c.createStatement(); var rows = s.executeQuery("""
                SELECT t.oid::bigint, t.relname,
                       coalesce(array_agg(i.indexrelid::bigint) FILTER (WHERE i.indexrelid IS NOT NULL), '{}')
                FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                LEFT JOIN pg_index i ON i.indrelid = t.oid
                WHERE n.nspname = 'public' AND t.relkind IN ('r', 'm', 'p')
                GROUP BY t.oid, t.relname ORDER BY t.relname""")) {
            while (rows.next()) {
                Array indexes = rows.getArray(3);
                tables.add(new Table(rows.getLong(1), rows.getString(2), List.of((Long[]) indexes.getArray())));
            }
        }
        var populated = new ArrayList<Table>();
        for (Table t : tables) {
            try (var s = c.createStatement(); var rows = s.executeQuery(
                    "SELECT count(*) FROM (SELECT 1 FROM \"" + t.name().replace("\"", "\"\"") + "\" LIMIT " + (MASS_ROW_CHANGE + 1) + ") r")) {
                rows.next();
                if (rows.getLong(1) > MASS_ROW_CHANGE) {
                    populated.add(t);
                }
            }
        }
        return populated;
    }

    private static Map<Long, Long> relfilenodes(Connection c, List<Table> tables) throws SQLException {
        var oids = new ArrayList<Long>();
        for (Table t : tables) {
            oids.add(t.oid());
            oids.addAll(t.indexes());
        }
        var files = new HashMap<Long, Long>();
        try (var q = c.prepareStatement("SELECT oid::bigint, relfilenode::bigint FROM pg_class WHERE oid = ANY (?)")) {
            q.setArray(1, c.createArrayOf("bigint", oids.toArray()));
            try (var rows = q.executeQuery()) {
                while (rows.next()) {
                    files.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return files;
    }

    /** Rows this transaction read (sequential or by index) or changed, whichever is more, per table. */
    private static Map<Long, Long> rowsWorked(Connection c, List<Table> tables) throws SQLException {
        return perTable(c, tables, "greatest(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0), n_tup_upd + n_tup_del)");
    }

    private static Map<Long, Long> perTable(Connection c, List<Table> tables, String counter) throws SQLException {
        var touched = new HashMap<Long, Long>();
        try (var q = c.prepareStatement("SELECT relid::bigint, " + counter
                + " FROM pg_stat_xact_user_tables WHERE relid = ANY (?)")) {
            q.setArray(1, c.createArrayOf("bigint", tables.stream().map(Table::oid).toArray()));
            try (var rows = q.executeQuery()) {
                while (rows.next()) {
                    touched.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return touched;
    }

    /** Rows this transaction updated or deleted, per table: each stays locked against the previous release's writes. */
    private static Map<Long, Long> rowsChanged(Connection c, List<Table> tables) throws SQLException {
        return perTable(c, tables, "n_tup_upd + n_tup_del");
    }

    private static int pid(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rows = s.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
