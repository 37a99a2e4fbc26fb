package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LintProjectRulesTest {
    private static final String DECLARE_LINE = "INSERT INTO control.schema_contract (version, kind, min_code_level, description)\n";

    @Test
    void an_app_migration_without_a_declaration_is_refused() {
        assertEquals(List.of("VL001 error 1: app v2 declares itself 0 times"),
                Findings.lint("db/app/V2__add_description.sql", "ALTER TABLE app.vals ADD COLUMN description text;"));
    }

    @Test
    void a_declared_expand_migration_with_safe_changes_is_clean() {
        assertEquals(List.of(), Findings.lint("db/app/V2__add_description.sql", "ALTER TABLE app.vals ADD COLUMN description text;\n"
                + DECLARE_LINE + "VALUES (2, 'expand', 0, 'add vals.description');\n"));
    }

    @Test
    void an_expand_migration_that_drops_a_column_is_refused_with_the_way_out() {
        assertEquals(List.of(
                        "VL101 error 1: drops column app.vals.legacy, which the previous release still reads and writes",
                        "VL002 error 1: app v3 declares expand but drops column app.vals.legacy"),
                Findings.lint("db/app/V3__drop_legacy.sql", "ALTER TABLE app.vals DROP COLUMN legacy;\n"
                        + DECLARE_LINE + "VALUES (3, 'expand', 0, 'drop vals.legacy');"));
        assertEquals("declare contract with the lowest code level that survives it, or split it",
                Rule.EXPAND_BREAKS_PREVIOUS_RELEASE.fix());
    }

    @Test
    void a_contract_migration_reports_its_breaking_changes_as_accepted() {
        assertEquals(List.of("VL101 info 1: drops column app.vals.legacy, which the previous release still reads and writes; "
                        + "accepted: app v3 declares contract (code below level 3 breaks)"),
                Findings.lint("db/app/V3__drop_legacy.sql", "ALTER TABLE app.vals DROP COLUMN legacy;\n"
                        + DECLARE_LINE + "VALUES (3, 'contract', 3, 'drop vals.legacy');"));
    }

    @Test
    void a_contract_migration_still_gets_its_locking_warnings() {
        assertEquals(List.of("VL111 warning 1: creates index vals_name_idx on app.vals without CONCURRENTLY, which blocks writes to the table while it builds"),
                Findings.lint("db/app/V3__index.sql", "CREATE INDEX vals_name_idx ON app.vals (name);\n"
                        + DECLARE_LINE + "VALUES (3, 'contract', 3, 'index');"));
    }

    @Test
    void a_control_migration_that_drops_anything_breaks_its_expand_only_promise() {
        assertEquals(List.of(
                        "VL101 error 1: drops column control.instances.host, which the previous release still reads and writes",
                        "VL003 error 1: control v5 is expand-only but drops column control.instances.host"),
                Findings.lint("db/control/V5__drop_host.sql", "ALTER TABLE control.instances DROP COLUMN host;"));
    }

    @Test
    void a_declaration_for_another_version_is_refused() {
        assertEquals(List.of("VL001 error 1: V4__x.sql declares version 3 but the file is version 4"),
                Findings.lint("db/app/V4__x.sql", DECLARE_LINE + "VALUES (3, 'expand', 0, 'copy of v3');"));
    }

    @Test
    void an_expand_declaration_with_a_minimum_is_refused() {
        assertEquals(List.of("VL001 error 1: app v4 is an expand migration, which keeps old code working, but its min_code_level is 2"),
                Findings.lint("db/app/V4__x.sql", DECLARE_LINE + "VALUES (4, 'expand', 2, 'x');"));
    }

    @Test
    void a_contract_declaration_needs_a_minimum_between_one_and_its_version() {
        assertEquals(List.of("VL001 error 1: app v4 is a contract migration whose min_code_level 5 is outside 1..4"),
                Findings.lint("db/app/V4__x.sql", DECLARE_LINE + "VALUES (4, 'contract', 5, 'x');"));
    }

    @Test
    void a_declaration_must_be_the_last_statement() {
        assertEquals(List.of("VL001 error 1: app v4's declaration is not its last statement"),
                Findings.lint("db/app/V4__x.sql", DECLARE_LINE + "VALUES (4, 'expand', 0, 'x');\nALTER TABLE app.vals ADD COLUMN y text;"));
    }

    @Test
    void a_declaration_on_one_line_is_refused_because_the_build_reads_two() {
        assertEquals(List.of("VL001 error 1: app v4's declaration is not laid out as migrations/build-info.sh reads it"),
                Findings.lint("db/app/V4__x.sql", "INSERT INTO control.schema_contract (version, kind, min_code_level, description) VALUES (4, 'expand', 0, 'x');"));
    }

    @Test
    void a_declaration_in_a_comment_does_not_count() {
        assertEquals(List.of("VL001 error 1: app v4 declares itself 0 times"),
                Findings.lint("db/app/V4__x.sql", "-- " + DECLARE_LINE + "-- VALUES (4, 'expand', 0, 'x');\nSELECT 1;"));
    }

    @Test
    void a_badly_named_app_migration_is_refused() {
        assertEquals(List.of("VL001 error 1: V4__add-column.sql: app migrations are named V<whole number>__<words>.sql"),
                Findings.lint("db/app/V4__add-column.sql", DECLARE_LINE + "VALUES (4, 'expand', 0, 'x');"));
    }

    @Test
    void an_undo_script_needs_no_declaration_and_may_remove_what_its_migration_added() {
        assertEquals(List.of("VL101 info 1: drops column app.vals.description, which the previous release still reads and writes;"
                        + " accepted: U4__add_description.sql undoes app v4, and ops migrate --undo refuses it while a live instance"
                        + " still needs app v4"),
                Findings.lint("db/app/U4__add_description.sql", "ALTER TABLE app.vals DROP COLUMN description;"));
    }

    @Test
    void an_undo_script_still_gets_its_locking_warnings() {
        assertEquals(List.of("VL111 warning 1: creates index vals_name_idx on app.vals without CONCURRENTLY, which blocks writes to the table while it builds"),
                Findings.lint("db/app/U4__drop_index.sql", "CREATE INDEX vals_name_idx ON app.vals (name);"));
    }

    @Test
    void an_undo_script_that_writes_the_rows_ops_migrate_undo_removes_is_refused() {
        assertEquals(List.of("VL005 error 1: the undo script of app v4 writes control.schema_contract, whose row for app v4 ops migrate"
                        + " --undo removes itself, in the same transaction",
                "VL005 error 2: the undo script of app v4 writes app.flyway_schema_history, whose row for app v4 ops migrate"
                        + " --undo removes itself, in the same transaction"),
                Findings.lint("db/app/U4__x.sql", "DELETE FROM control.schema_contract WHERE version = 4;\n"
                        + "DELETE FROM app.flyway_schema_history WHERE version = '4';"));
    }

    @Test
    void control_migrations_have_no_undo_scripts() {
        assertEquals(List.of("VL005 error 1: U5__x.sql: control is expand-only, so its migrations are never undone"),
                Findings.lint("db/control/U5__x.sql", "SELECT 1;"));
    }

    @Test
    void callbacks_in_the_app_directory_need_no_declaration() {
        assertEquals(List.of(), Findings.lint("db/app/afterMigrate__notify.sql",
                "CREATE OR REPLACE TRIGGER t AFTER INSERT ON app.flyway_schema_history FOR EACH STATEMENT EXECUTE FUNCTION control.f();"));
    }
}
