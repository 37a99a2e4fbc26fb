package dev.valence.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not part of CI: how long {@code ops backup} and {@code ops restore} take on a database of a few
 * million run rows, and how large the file is. Run it with
 * {@code mvn -pl ops -am verify -Dtest='dev/valence/ops/BackupOnMillionsOfRowsBench' -Dsurefire.failIfNoSpecifiedTests=false -Dvalence.bench.backup=true}.
 */
@EnabledIfSystemProperty(named = "valence.bench.backup", matches = "true")
class BackupOnMillionsOfRowsBench {
    private static final int RUNS = Integer.getInteger("valence.bench.backup.rows", 2_000_000);

    @Test
    void back_up_and_restore_millions_of_runs() throws Exception {
        String source = OpsTestSupport.newDatabase("backup_bench");
        OpsTestSupport.migratePackaged(source);
        OpsTestSupport.sql(source, "INSERT INTO app.users (name) VALUES ('bench')");
        OpsTestSupport.sql(source, "INSERT INTO app.vals (owner_id, name, type) SELECT u.id, 'v' || n, 'http' FROM app.users u, generate_series(1, 100) n");
        OpsTestSupport.sql(source, "INSERT INTO app.runs (val_id, version, trigger, outcome, http_status, started_at, duration_ms, logs)"
                + " SELECT (SELECT min(id) FROM app.vals) + n % 100, 1, 'http', 'success', 200, now() - n * interval '1 second', 1.25,"
                + " 'handled request ' || n FROM generate_series(1, " + RUNS + ") n");
        OpsTestSupport.sql(source, "VACUUM ANALYZE app.runs");
        String size = OpsTestSupport.query(source, "SELECT pg_size_pretty(pg_database_size(current_database()))");

        var file = Files.createTempDirectory("valence-backup-bench").resolve("bench.backup");
        long start = System.nanoTime();
        var backup = OpsTestSupport.run("backup", "--database", source, "--out", file.toString());
        long backupMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ExitCodes.OK, backup.exit(), backup.err());

        String target = OpsTestSupport.newDatabase("backup_bench_target");
        start = System.nanoTime();
        var restore = OpsTestSupport.run("restore", "--from", file.toString(), "--database", target);
        long restoreMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ExitCodes.OK, restore.exit(), restore.err());
        assertEquals(String.valueOf(RUNS), OpsTestSupport.query(target, "SELECT count(*) FROM app.runs"));

        System.out.printf("database %s with %,d runs: backup %,d ms (%,d rows/s), file %,d bytes; restore %,d ms (%,d rows/s, migrations included)%n",
                size, RUNS, backupMs, RUNS * 1000L / backupMs, Files.size(file), restoreMs, RUNS * 1000L / restoreMs);
    }
}
