package dev.valence.ops;

import static dev.valence.foundation.testing.Eventually.eventually;
import static dev.valence.ops.OpsTestSupport.WITH_CONTRACT;
import static dev.valence.ops.OpsTestSupport.heartbeat;
import static dev.valence.ops.OpsTestSupport.migratePackaged;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.query;
import static dev.valence.ops.OpsTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code ops migrate --undo VERSION}: the supported way back from a migration that shipped an undo script. */
class MigrateUndoTest {
    private static final String APP_VERSION = "SELECT max(version::int) FROM app.flyway_schema_history WHERE success";
    private static final String MARKER_COLUMN = "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'app'"
            + " AND table_name = 'vals' AND column_name = 'test_contract_marker'";

    /** Packaged migrations plus the test-only contract migration app v900 (which ships U900__test_contract.sql). */
    private static String contracted(String prefix) {
        String db = newDatabase(prefix);
        assertEquals(ExitCodes.OK, run("migrate", "--database", db, WITH_CONTRACT).exit());
        assertEquals("900", query(db, APP_VERSION));
        return db;
    }

    @Test
    void undo_runs_the_undo_script_and_removes_the_contract_row_and_the_history_row() {
        String db = contracted("undo");

        var result = run("migrate", "--undo", "900", "--database", db, WITH_CONTRACT);

        assertEquals("", result.err());
        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("""
                undone app v900 (test: a contract migration): ran U900__test_contract.sql, removed its control.schema_contract row \
                and its history row in one transaction; app is now at v8 (floor 0).
                app v900 is pending again while V900__test_contract.sql stays in the migrations: remove it from the release, or \
                ops migrate applies it again.
                """, result.out());
        assertEquals("8", query(db, APP_VERSION));
        assertEquals("0", query(db, MARKER_COLUMN));
        assertEquals("0", query(db, "SELECT count(*) FROM control.schema_contract WHERE version = 900"));
        assertEquals("0", query(db, "SELECT count(*) FROM app.flyway_schema_history WHERE version = '900'"));
        // the way forward again is an ordinary migrate
        var again = run("migrate", "--database", db, WITH_CONTRACT);
        assertEquals("applied app v900: test contract\n", again.out());
        assertEquals("1", query(db, MARKER_COLUMN));
    }

    /**
     * A migration that commits between the undo's reading and its change (another {@code ops migrate}, or Flyway run
     * by hand) must not be left standing on an undone one: the undo waits for the history's writer, looks again and
     * refuses with nothing changed.
     */
    @Test
    void undo_waits_for_a_migration_being_applied_meanwhile_and_then_refuses_with_nothing_changed() throws Exception {
        String db = contracted("undo_race");
        try (var migrating = OpsTestSupport.dataSource(db).getConnection()) {
            migrating.setAutoCommit(false);
            try (var insert = migrating.createStatement()) { // what Flyway's transaction writes for app v901 before it commits
                insert.execute("ALTER TABLE app.vals ADD COLUMN concurrent_marker int");
                insert.execute("""
                        INSERT INTO app.flyway_schema_history (installed_rank, version, description, type, script, checksum,
                                                               installed_by, execution_time, success)
                        SELECT max(installed_rank) + 1, '901', 'concurrent', 'SQL', 'V901__concurrent.sql', 0, 'test', 1, true
                        FROM app.flyway_schema_history""");
            }
            var undo = java.util.concurrent.CompletableFuture.supplyAsync(() -> run("migrate", "--undo", "900", "--database", db, WITH_CONTRACT));
            eventually("the undo waits for the history's lock", 20_000, () -> "1".equals(query(db,
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'app.flyway_schema_history'::regclass")));
            migrating.commit();
            var result = undo.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(ExitCodes.REFUSED, result.exit(), result.err());
            assertEquals("", result.out());
            assertEquals("refused: app v901 was applied while the undo of app v900 was getting ready (another ops migrate or Flyway"
                    + " ran meanwhile); undo app v901 first, newest first; nothing was changed.\n", result.err());
        }
        assertEquals("901", query(db, APP_VERSION));
        assertEquals("1", query(db, MARKER_COLUMN));
        assertEquals("1", query(db, "SELECT count(*) FROM control.schema_contract WHERE version = 900"));
        assertEquals("1", query(db, "SELECT count(*) FROM app.flyway_schema_history WHERE version = '900'"));
    }

    @Test
    void undo_is_refused_for_a_migration_without_an_undo_script() {
        String db = newDatabase("undo");
        migratePackaged(db);

        var result = run("migrate", "--undo", "8", "--database", db);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("", result.out());
        assertEquals("refused: app v8 (npm packages: content-addressed package files, package versions and per-val-version locks)"
                + " has no undo script: ship the SQL that reverses it as U8__npm_packages.sql beside"
                + " V8__npm_packages.sql, or restore the database from a backup; nothing was changed.\n", result.err());
        assertEquals("8", query(db, APP_VERSION));
        assertEquals("1", query(db, "SELECT count(*) FROM control.schema_contract WHERE version = 5"));
    }

    @Test
    void undo_is_refused_for_a_version_that_is_not_the_latest_applied() {
        String db = contracted("undo");

        var result = run("migrate", "--undo", "6", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("refused: app v6 is not the latest applied app migration (app v900 is); undo app v900 first, newest first;"
                + " nothing was changed.\n", result.err());
        assertEquals("900", query(db, APP_VERSION));
    }

    @Test
    void undo_is_refused_for_a_version_that_is_not_applied() {
        String db = contracted("undo");

        var result = run("migrate", "--undo", "901", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("refused: app v901 is not applied (app is at v900); nothing was changed.\n", result.err());
    }

    @Test
    void undo_is_refused_while_a_live_instance_needs_the_schema_it_would_remove() {
        String db = contracted("undo");
        heartbeat(db, "runtime-new", "x", "build-900", 900, 2);
        heartbeat(db, "runtime-gone", "y", "build-901", 901, 600); // too old to count

        var result = run("migrate", "--undo", "900", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("", result.out());
        assertEquals("refused: undoing app v900 would leave the schema at app v8, below the minimum of live instances: runtime-new"
                + " (host x, build build-900, level 900, minimum 900, seen 2 s ago). They would answer 503 (schema_too_old)."
                + " Deploy code whose minimum is at most 8 everywhere first, or pass --force; nothing was changed.\n", result.err());
        assertEquals("900", query(db, APP_VERSION));
        assertEquals("1", query(db, MARKER_COLUMN));
        assertEquals("1", query(db, "SELECT count(*) FROM control.schema_contract WHERE version = 900"));
    }

    @Test
    void undo_with_force_warns_about_the_live_instances_it_breaks_and_undoes() {
        String db = contracted("undo");
        heartbeat(db, "runtime-new", "x", "build-900", 900, 2);

        var result = run("migrate", "--undo", "900", "--force", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("WARNING: --force: undoing app v900 leaves the schema at app v8, below the minimum of live instances: runtime-new"
                + " (host x, build build-900, level 900, minimum 900, seen 2 s ago). They will answer 503 until code whose minimum"
                + " is at most 8 replaces them.\n", result.err());
        assertEquals("8", query(db, APP_VERSION));
    }

    @Test
    void a_failing_undo_script_changes_nothing() {
        String db = contracted("undo");
        OpsTestSupport.sql(db, "ALTER TABLE app.vals DROP COLUMN test_contract_marker"); // the script's DROP now fails

        var result = run("migrate", "--undo", "900", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.ENVIRONMENT, result.exit());
        assertEquals("", result.out());
        assertEquals("error: undoing app v900 failed in U900__test_contract.sql and was rolled back, nothing was changed: ERROR:"
                + " column \"test_contract_marker\" of relation \"vals\" does not exist; fix the undo script or the database and"
                + " run ops migrate --undo 900 again\n", result.err());
        assertEquals("900", query(db, APP_VERSION));
        assertEquals("1", query(db, "SELECT count(*) FROM control.schema_contract WHERE version = 900"));
    }
}
