package dev.valence.runtime.retention;

import dev.valence.runtime.lifecycle.Service;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is older than the retention period: {@code app.runs} (and their logs) and
 * {@code app.run_groups} val by val through their (val, start time) indexes, then
 * {@code control.trigger_results} by age. Each batch of at most {@link Settings#batchRows} rows is a
 * transaction of its own, so no lock is held longer than one batch and run writes (inserts, which
 * take no lock a delete waits on or holds) go on meanwhile. A session advisory lock lets one instance
 * prune at a time; the others skip the pass.
 */
public final class RunRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunRetention.class);
    /** The advisory lock the pass holds, named so that no other lock of ours collides with it. */
    private static final String LOCK_NAME = "valence:run-retention";

    /**
     * @param batchRows rows one transaction deletes at most
     * @param pauseBetweenBatches a breath between batches, so a long pass leaves the disk to the requests
     * @param every how often a pass runs (the first one after {@code firstAfter})
     */
    public record Settings(int retentionDays, int batchRows, Duration pauseBetweenBatches, Duration firstAfter, Duration every) {
        public static Settings defaults(int retentionDays) {
            return new Settings(retentionDays, 5_000, Duration.ofMillis(10), Duration.ofMinutes(1), Duration.ofHours(1));
        }
    }

    /** What one pass deleted, and how long its longest batch (the longest any of its row locks was held) took. */
    public record Pruned(boolean ran, long runs, long runGroups, long triggerResults, int batches, long longestBatchMs, Instant cutoff) {
        static Pruned skipped() {
            return new Pruned(false, 0, 0, 0, 0, 0, null);
        }

        public long rows() {
            return runs + runGroups + triggerResults;
        }
    }

    private final DataSource dataSource;
    private final Settings settings;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("valence-run-retention").unstarted(r));
    private volatile boolean closed;

    public RunRetention(DataSource dataSource, Settings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** The runtime's service: a pass every hour; with {@code RUN_RETENTION_DAYS=0} nothing is ever deleted. */
    public static Service service(DataSource dataSource, int retentionDays) {
        var retention = new RunRetention(dataSource, Settings.defaults(retentionDays));
        return Service.blocking("run-retention", retention::start, retention::close);
    }

    void start() {
        if (settings.retentionDays() <= 0) return;
        timer.scheduleWithFixedDelay(this::passQuietly, settings.firstAfter().toMillis(), settings.every().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void passQuietly() {
        try {
            var pruned = prune();
            if (pruned.rows() > 0) {
                log.info("Run retention: deleted {} runs, {} run groups and {} trigger results older than {} days (before {}) in {} batches,"
                                + " the longest {} ms", pruned.runs(), pruned.runGroups(), pruned.triggerResults(), settings.retentionDays(),
                        pruned.cutoff(), pruned.batches(), pruned.longestBatchMs());
            }
        } catch (SQLException | RuntimeException e) {
            // the next pass tries again; a database that is down or a schema being changed is not this loop's to fix
            log.warn("Run retention: this pass stopped ({}); the next one runs in {} min", e.getMessage(), settings.every().toMinutes());
        }
    }

    /** One pass with the cutoff {@code RUN_RETENTION_DAYS} before the database's now; skipped while another instance runs one. */
    public Pruned prune() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            Instant cutoff;
            try (var s = connection.prepareStatement("SELECT now() - make_interval(days => ?)")) {
                s.setInt(1, settings.retentionDays());
                try (var rows = s.executeQuery()) {
                    rows.next();
                    cutoff = rows.getTimestamp(1).toInstant();
                }
            }
            return prune(connection, cutoff);
        }
    }

    /** One pass deleting what started before {@code cutoff}. */
    public Pruned prune(Instant cutoff) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return prune(connection, cutoff);
        }
    }

    private Pruned prune(Connection connection, Instant cutoff) throws SQLException {
        if (!lock(connection, "pg_try_advisory_lock")) return Pruned.skipped();
        try {
            var stats = new Stats();
            for (long valId : valIds(connection)) {
                stats.runs += deleteInBatches(connection, stats, """
                        DELETE FROM app.runs WHERE id IN (SELECT id FROM app.runs WHERE val_id = ? AND started_at < ?
                        ORDER BY started_at LIMIT ?)""", valId, cutoff);
                stats.groups += deleteInBatches(connection, stats, """
                        DELETE FROM app.run_groups WHERE id IN (SELECT id FROM app.run_groups WHERE val_id = ? AND last_started_at < ?
                        ORDER BY last_started_at LIMIT ?)""", valId, cutoff);
            }
            // no index on created_at: old rows sit first in the heap, so a batch finds them early; the last one reads the table once
            stats.triggerResults += deleteInBatches(connection, stats, """
                    DELETE FROM control.trigger_results WHERE idempotency_key IN (SELECT idempotency_key FROM control.trigger_results
                    WHERE created_at < ? LIMIT ?)""", null, cutoff);
            return new Pruned(true, stats.runs, stats.groups, stats.triggerResults, stats.batches, stats.longestBatchMs, cutoff);
        } finally {
            lock(connection, "pg_advisory_unlock");
        }
    }

    private static boolean lock(Connection connection, String function) throws SQLException {
        try (var s = connection.prepareStatement("SELECT " + function + "(hashtextextended(?, 0))")) {
            s.setString(1, LOCK_NAME);
            try (var rows = s.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static List<Long> valIds(Connection connection) throws SQLException {
        var ids = new ArrayList<Long>();
        try (var s = connection.createStatement(); var rows = s.executeQuery("SELECT id FROM app.vals ORDER BY id")) {
            while (rows.next()) ids.add(rows.getLong(1));
        }
        return ids;
    }

    /** Batches of one statement until one deletes fewer than a full batch; {@code valId} null for a statement without it. */
    private long deleteInBatches(Connection connection, Stats stats, String sql, Long valId, Instant cutoff) throws SQLException {
        long deleted = 0;
        try (var s = connection.prepareStatement(sql)) {
            while (!closed) {
                int i = 1;
                if (valId != null) s.setLong(i++, valId);
                s.setTimestamp(i++, Timestamp.from(cutoff));
                s.setInt(i, settings.batchRows());
                long startNs = System.nanoTime();
                int n = s.executeUpdate();
                stats.batches++;
                stats.longestBatchMs = Math.max(stats.longestBatchMs, (System.nanoTime() - startNs) / 1_000_000);
                deleted += n;
                if (n < settings.batchRows()) break;
                pause();
            }
        }
        return deleted;
    }

    private void pause() {
        if (settings.pauseBetweenBatches().isZero()) return;
        try {
            Thread.sleep(settings.pauseBetweenBatches());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static final class Stats {
        long runs;
        long groups;
        long triggerResults;
        int batches;
        long longestBatchMs;
    }

    /** Stops between two batches: a batch in flight finishes (it is short), the rest of the pass is left to the next start. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
