package dev.valence.runtime.retention;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.db.Migrations;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not part of CI (it fills 10 million run rows, several minutes and gigabytes): run retention's
 * throughput, its longest batch (the longest any of its row locks is held) and what run writes see
 * meanwhile. Run it with
 * {@code mvn -pl runtime -am verify -Dtest=RetentionOnTenMillionRowsBench -Dsurefire.failIfNoSpecifiedTests=false -Dvalence.bench.retention=true}.
 */
@EnabledIfSystemProperty(named = "valence.bench.retention", matches = "true")
class RetentionOnTenMillionRowsBench {
    private static final int RUNS = Integer.getInteger("valence.bench.retention.rows", 10_000_000);
    private static final int VALS = 100;

    @Test
    void prune_half_of_ten_million_runs_while_runs_are_written() throws Exception {
        DataSource dataSource = TestDatabase.dataSource(TestDatabase.newDatabase("retention_bench"));
        Migrations.migrate(dataSource);
        long fillStart = System.nanoTime();
        sql(dataSource, "INSERT INTO app.users (name) VALUES ('bench')");
        sql(dataSource, "INSERT INTO app.vals (owner_id, name, type) SELECT u.id, 'v' || n, 'http' FROM app.users u, generate_series(1, " + VALS + ") n");
        // 60 days of runs, oldest first in the heap as the recorder writes them; a retention of 30 days deletes half
        for (int from = 0; from < RUNS; from += 1_000_000) {
            int to = Math.min(RUNS, from + 1_000_000);
            sql(dataSource, "INSERT INTO app.runs (val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs)"
                    + " SELECT (SELECT min(id) FROM app.vals) + n % " + VALS + ", 1, 'http', 'success', 200,"
                    + " now() - interval '60 days' + n * (interval '60 days' / " + RUNS + "), 1.25, 'handled request ' || n"
                    + " FROM generate_series(" + from + ", " + (to - 1) + ") n");
        }
        sql(dataSource, "INSERT INTO app.run_groups (val_id, run_ids, first_started_at, last_started_at, ids, versions, statuses, started_us, durations_ms)"
                + " SELECT (SELECT min(id) FROM app.vals) + n % " + VALS + ", int8range(n, n + 1), now() - interval '60 days' + n * interval '10 seconds',"
                + " now() - interval '60 days' + n * interval '10 seconds', ARRAY[n::bigint], '{1}', '{200}', '{0}', '{1.0}'"
                + " FROM generate_series(1, 518400) n");
        sql(dataSource, "INSERT INTO control.trigger_results (idempotency_key, val_id, run_id, created_at)"
                + " SELECT 'k' || n, 1, n, now() - interval '60 days' + n * interval '10 seconds' FROM generate_series(1, 518400) n");
        sql(dataSource, "VACUUM ANALYZE app.runs");
        sql(dataSource, "VACUUM ANALYZE app.run_groups");
        sql(dataSource, "VACUUM ANALYZE control.trigger_results");
        System.out.printf("filled %,d runs, 518,400 run groups and 518,400 trigger results in %d s; app.runs is %s%n", RUNS,
                (System.nanoTime() - fillStart) / 1_000_000_000, one(dataSource, "SELECT pg_size_pretty(pg_total_relation_size('app.runs'))"));

        // the recorder's write, as RunStore does it: 100 runs in one transaction, every 50 ms
        var baseline = writeFor(dataSource, Duration.ofSeconds(20));
        var writing = new AtomicBoolean(true);
        var during = Collections.synchronizedList(new ArrayList<Long>());
        var writer = Thread.ofPlatform().start(() -> {
            try {
                while (writing.get()) during.add(writeOnce(dataSource));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var retention = new RunRetention(dataSource, RunRetention.Settings.defaults(30));
        long pruneStart = System.nanoTime();
        var pruned = retention.prune();
        long pruneMs = (System.nanoTime() - pruneStart) / 1_000_000;
        writing.set(false);
        writer.join();
        System.out.printf("pruned %,d runs, %,d run groups, %,d trigger results in %,d ms (%,d rows/s) in %,d batches; longest batch %d ms%n",
                pruned.runs(), pruned.runGroups(), pruned.triggerResults(), pruneMs, pruned.rows() * 1000 / Math.max(1, pruneMs),
                pruned.batches(), pruned.longestBatchMs());
        System.out.println("run writes (100 rows, one transaction) before: " + summary(baseline));
        System.out.println("run writes (100 rows, one transaction) during: " + summary(during));
        var second = retention.prune();
        System.out.printf("a second pass with nothing to delete: %d batches, longest %d ms%n", second.batches(), second.longestBatchMs());
    }

    private static List<Long> writeFor(DataSource dataSource, Duration duration) throws Exception {
        var latencies = new ArrayList<Long>();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) latencies.add(writeOnce(dataSource));
        return latencies;
    }

    /** Microseconds one write of 100 runs took, then a pause as between the recorder's writes. */
    private static long writeOnce(DataSource dataSource) throws Exception {
        long start = System.nanoTime();
        sql(dataSource, "INSERT INTO app.runs (val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs)"
                + " SELECT (SELECT min(id) FROM app.vals) + n % " + VALS + ", 1, 'http', 'error', 500, now(), 2.5, 'a log line'"
                + " FROM generate_series(1, 100) n");
        long micros = (System.nanoTime() - start) / 1_000;
        Thread.sleep(50);
        return micros;
    }

    private static String summary(List<Long> micros) {
        var sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        if (sorted.isEmpty()) return "none";
        return String.format("%d writes, median %.1f ms, p99 %.1f ms, max %.1f ms", sorted.size(), sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) (sorted.size() * 0.99)) / 1000.0, sorted.getLast() / 1000.0);
    }

    private static void sql(DataSource dataSource, String statement) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String one(DataSource dataSource, String query) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var r = s.executeQuery(query)) {
            r.next();
            return r.getString(1);
        }
    }
}
