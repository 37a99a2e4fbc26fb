package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.WITH_CONTRACT;
import static dev.valence.ops.OpsTestSupport.commandLine;
import static dev.valence.ops.OpsTestSupport.heartbeat;
import static dev.valence.ops.OpsTestSupport.migrateControl;
import static dev.valence.ops.OpsTestSupport.migratePackaged;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.query;
import static dev.valence.ops.OpsTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MigrateCommandTest {
    private static final String APP_VERSION = "SELECT max(version::int) FROM app.flyway_schema_history WHERE success";
    private static final String REFUSAL = "refused: app v900 is a contract migration that needs code level >= 900; live instances below it:"
            + " runtime-a (host x, build abc, level 1, seen 2 s ago). Deploy code of level 900 everywhere first, or pass --force.\n";

    @Test
    void migrate_applies_control_then_app_on_an_empty_database() {
        String db = newDatabase("migrate");

        var result = run("migrate", "--database", db);

        assertEquals("", result.err());
        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("""
                applied control v1: instances and schema contract
                applied control v2: schema change notifications and held work
                applied control v3: status page
                applied control v4: webhooks
                applied control v5: cron schedule and trigger results
                applied control v6: sessions
                applied control v7: audit log
                applied app v1: users vals runs
                applied app v2: compiled code and imports
                applied app v3: run groups
                applied app v4: manual runs and env notices
                applied app v5: user email
                applied app v6: val public errors
                applied app v7: sealed env values
                applied app v8: npm packages
                """, result.out());
        assertEquals("7", query(db, "SELECT max(version::int) FROM control.flyway_schema_history WHERE success"));
        assertEquals("8", query(db, APP_VERSION));
        assertEquals("expand", query(db, "SELECT kind FROM control.schema_contract WHERE version = 1"));
    }

    @Test
    void migrate_says_so_when_nothing_is_pending() {
        String db = newDatabase("migrate");
        migratePackaged(db);

        var result = run("migrate", "--database", db);

        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("Nothing to apply: control is at v7, app at v8.\n", result.out());
    }

    @Test
    void migrate_refuses_a_contract_migration_while_a_live_instance_runs_code_below_its_floor() {
        String db = newDatabase("migrate");
        migratePackaged(db);
        heartbeat(db, "runtime-a", "x", "abc", 1, 2);
        heartbeat(db, "runtime-b", "y", "def", 900, 1);

        var result = run("migrate", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals(REFUSAL, result.err());
        assertEquals("Stopped before app v900; no app migration was applied.\n", result.out());
        assertEquals("8", query(db, APP_VERSION));
        assertEquals(null, query(db, "SELECT kind FROM control.schema_contract WHERE version = 900"));
    }

    @Test
    void migrate_applies_the_migrations_before_the_first_blocked_contract_migration_and_stops_there() {
        String db = newDatabase("migrate");
        migrateControl(db);
        heartbeat(db, "runtime-a", "x", "abc", 1, 2);

        var result = run("migrate", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals(REFUSAL, result.err());
        assertEquals("""
                applied app v1: users vals runs
                applied app v2: compiled code and imports
                applied app v3: run groups
                applied app v4: manual runs and env notices
                applied app v5: user email
                applied app v6: val public errors
                applied app v7: sealed env values
                applied app v8: npm packages
                Stopped before app v900.
                """, result.out());
        assertEquals("8", query(db, APP_VERSION));
    }

    @Test
    void migrate_applies_a_contract_migration_when_the_heartbeat_below_its_floor_is_stale() {
        String db = newDatabase("migrate");
        migratePackaged(db);
        heartbeat(db, "runtime-a", "x", "abc", 1, 11);

        var result = run("migrate", "--database", db, WITH_CONTRACT);

        assertEquals("", result.err());
        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("applied app v900: test contract\n", result.out());
        assertEquals("900", query(db, APP_VERSION));
        assertEquals("contract 900", query(db, "SELECT kind || ' ' || min_code_level FROM control.schema_contract WHERE version = 900"));
    }

    @Test
    void migrate_with_force_applies_a_contract_migration_and_warns_about_the_instances_it_breaks() {
        String db = newDatabase("migrate");
        migratePackaged(db);
        heartbeat(db, "runtime-a", "x", "abc", 1, 2);

        var result = run("migrate", "--database", db, WITH_CONTRACT, "--force");

        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("WARNING: --force: applying app v900, a contract migration that needs code level >= 900, while these live instances"
                + " run code below it: runtime-a (host x, build abc, level 1, seen 2 s ago). They will answer 503 until code of level 900"
                + " replaces them.\n", result.err());
        assertEquals("applied app v900: test contract\n", result.out());
        assertEquals("900", query(db, APP_VERSION));
    }

    @Test
    void migrate_retries_when_a_table_lock_is_not_granted_and_gives_up_after_the_last_retry() throws Exception {
        String db = newDatabase("migrate");
        migratePackaged(db);
        var line = commandLine();
        ((MigrateCommand) line.getSubcommands().get("migrate").getCommand()).firstBackoff = Duration.ofMillis(50);

        OpsTestSupport.Result result;
        try (var holder = OpsTestSupport.dataSource(db).getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE app.vals IN ACCESS SHARE MODE"); // blocks the ALTER TABLE of app v900
            result = run(line, "migrate", "--database", db, WITH_CONTRACT, "--lock-timeout", "200ms", "--retries", "1");
            holder.rollback();
        }

        assertEquals(ExitCodes.ENVIRONMENT, result.exit());
        assertEquals("""
                migrating app: a lock was not granted within 200 ms (SQLSTATE 55P03), attempt 1 of 2; retrying in 50 ms
                error: migrating app: a lock was not granted within 200 ms (SQLSTATE 55P03) in 2 attempt(s); another session holds \
                a lock on a table the migration changes (see pg_locks and pg_stat_activity); retry when it is done
                """, result.err());
        assertEquals("8", query(db, APP_VERSION));
    }

    @Test
    void migrate_succeeds_on_a_retry_once_the_table_lock_is_released() throws Exception {
        String db = newDatabase("migrate");
        migratePackaged(db);
        var line = commandLine();
        ((MigrateCommand) line.getSubcommands().get("migrate").getCommand()).firstBackoff = Duration.ofMillis(50);
        var out = new StringWriter();
        var err = new StringWriter();

        int exit;
        try (var holder = OpsTestSupport.dataSource(db).getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE app.vals IN ACCESS SHARE MODE");
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(new FilterWriter(err) { // the other session lets go when the first retry is announced
                @Override
                public void flush() throws IOException {
                    super.flush();
                    if (err.toString().contains("retrying")) {
                        try {
                            holder.rollback();
                        } catch (SQLException e) {
                            throw new IOException(e);
                        }
                    }
                }
            }, true));
            exit = line.execute("migrate", "--database", db, WITH_CONTRACT, "--lock-timeout", "200ms", "--retries", "3");
        }

        assertEquals("migrating app: a lock was not granted within 200 ms (SQLSTATE 55P03), attempt 1 of 4; retrying in 50 ms\n", err.toString());
        assertEquals(ExitCodes.OK, exit);
        assertEquals("applied app v900: test contract\n", out.toString());
        assertEquals("900", query(db, APP_VERSION));
    }
}
