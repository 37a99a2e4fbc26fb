package dev.valence.runtime.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.Config;
import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.db.Migrations;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RUN_RETENTION_DAYS: runs (with their logs), run groups and trigger results older than the
 * retention period are deleted in batches of bounded size; younger ones stay, and so does a group
 * any of whose runs is young. One instance prunes at a time.
 */
class RunRetentionTest {
    private static final int BATCH = 3;
    private DataSource dataSource;
    private long valA;
    private long valB;

    @BeforeEach
    void aDatabaseWithOldAndYoungRecords() throws SQLException {
        dataSource = TestDatabase.dataSource(TestDatabase.migratedDatabase("retention"));
        Migrations.migrate(dataSource);
        sql("INSERT INTO app.users (name) VALUES ('alice')");
        sql("INSERT INTO app.vals (owner_id, name, type) SELECT id, 'a', 'http' FROM app.users");
        sql("INSERT INTO app.vals (owner_id, name, type) SELECT id, 'b', 'http' FROM app.users");
        valA = Long.parseLong(one("SELECT id FROM app.vals WHERE name = 'a'"));
        valB = Long.parseLong(one("SELECT id FROM app.vals WHERE name = 'b'"));
        // val a: 7 runs 40 days old and 2 of yesterday; val b: 4 old, 1 young
        runs(valA, 7, "40 days");
        runs(valA, 2, "1 day");
        runs(valB, 4, "40 days");
        runs(valB, 1, "1 day");
        // groups: a has 4 old ones and one that began old but ended young; b has 1 young one
        for (int i = 0; i < 4; i++) group(valA, "41 days", "40 days");
        group(valA, "40 days", "1 day");
        group(valB, "2 days", "1 day");
        sql("INSERT INTO control.trigger_results (idempotency_key, val_id, run_id, created_at)"
                + " SELECT 'old-' || n, " + valA + ", n, now() - interval '40 days' FROM generate_series(1, 5) n");
        sql("INSERT INTO control.trigger_results (idempotency_key, val_id, run_id, created_at)"
                + " SELECT 'young-' || n, " + valB + ", n, now() - interval '1 day' FROM generate_series(1, 2) n");
    }

    @Test
    void records_older_than_the_retention_period_are_deleted_in_bounded_batches_and_younger_ones_stay() throws SQLException {
        var retention = new RunRetention(dataSource, new RunRetention.Settings(30, BATCH, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)));
        var pruned = retention.prune();

        assertTrue(pruned.ran());
        assertEquals(11, pruned.runs());
        assertEquals(4, pruned.runGroups());
        assertEquals(5, pruned.triggerResults());
        // a loop of batches of at most 3 ends with the first batch under 3: a 7 rows → 3+3+1; a 4 groups → 3+1;
        // b 4 runs → 3+1; b no old group → one empty batch; 5 trigger results → 3+2. Any larger batch would have needed fewer.
        assertEquals(3 + 2 + 2 + 1 + 2, pruned.batches());
        assertEquals(List.of("a 2", "b 1"), rows("SELECT v.name || ' ' || count(*) FROM app.runs r JOIN app.vals v ON v.id = r.val_id"
                + " GROUP BY v.name ORDER BY v.name"));
        assertEquals("0", one("SELECT count(*) FROM app.runs WHERE started_at < now() - interval '30 days'"));
        assertEquals(List.of("a 40 days", "b 2 days"), rows("SELECT v.name || ' ' || date_trunc('day', now() - g.first_started_at + interval '1 hour')"
                + " FROM app.run_groups g JOIN app.vals v ON v.id = g.val_id ORDER BY v.name"));
        assertEquals(List.of("young-1", "young-2"), rows("SELECT idempotency_key FROM control.trigger_results ORDER BY 1"));

        var again = retention.prune();
        assertEquals(0, again.rows(), "nothing is left to delete");
    }

    @Test
    void while_another_instance_prunes_this_one_skips_its_pass() throws SQLException {
        try (var other = dataSource.getConnection(); var lock = other.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(hashtextextended('valence:run-retention', 0))");
            var pruned = new RunRetention(dataSource, RunRetention.Settings.defaults(30)).prune();
            assertFalse(pruned.ran());
            assertEquals("14", one("SELECT count(*) FROM app.runs"));
        }
        assertEquals(11, new RunRetention(dataSource, RunRetention.Settings.defaults(30)).prune().runs(), "once it let go");
    }

    @Test
    void run_retention_days_defaults_to_30_and_0_keeps_everything() {
        assertEquals(30, Config.fromEnv(Map.of()).runRetentionDays());
        assertEquals(0, Config.fromEnv(Map.of("RUN_RETENTION_DAYS", "0")).runRetentionDays());
        var bad = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnv(Map.of("RUN_RETENTION_DAYS", "-1")));
        assertEquals("Invalid configuration:\n  - RUN_RETENTION_DAYS must be between 0 and 36500, got -1", bad.getMessage());
    }

    private void runs(long valId, int count, String age) throws SQLException {
        sql("INSERT INTO app.runs (val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs)"
                + " SELECT " + valId + ", 1, 'http', 'error', 500, now() - interval '" + age + "' - n * interval '1 second', 1.5, 'log line '"
                + " || n FROM generate_series(1, " + count + ") n");
    }

    private void group(long valId, String firstAge, String lastAge) throws SQLException {
        sql("INSERT INTO app.run_groups (val_id, run_ids, first_started_at, last_started_at, ids, versions, statuses, started_us, durations_ms)"
                + " VALUES (" + valId + ", int8range(1, 2), now() - interval '" + firstAge + "', now() - interval '" + lastAge + "',"
                + " '{1}', '{1}', '{200}', '{0}', '{1.0}')");
    }

    private void sql(String statement) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private String one(String query) throws SQLException {
        return rows(query).getFirst();
    }

    private List<String> rows(String query) throws SQLException {
        var out = new ArrayList<String>();
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var r = s.executeQuery(query)) {
            while (r.next()) out.add(r.getString(1));
        }
        return out;
    }
}
