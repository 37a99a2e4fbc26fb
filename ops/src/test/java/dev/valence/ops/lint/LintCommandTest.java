package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.ops.ExitCodes;
import dev.valence.ops.Ops;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    private static Run ops(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var line = Ops.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int exitCode = line.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path write(String name, String sql) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, sql);
        return file;
    }

    @Test
    void the_repository_migrations_pass_with_exit_code_zero() {
        Run run = ops("lint", "../migrations/src/main/resources/db/migration");
        assertEquals(new Run(ExitCodes.OK, "lint: 16 files, 0 errors, 0 warnings, 0 accepted\n", ""), run);
    }

    @Test
    void an_error_is_printed_with_its_fix_and_refuses() throws IOException {
        Path file = write("V1__drop.sql", "SELECT 1;\nALTER TABLE app.vals DROP COLUMN legacy;\n");
        Run run = ops("lint", file.toString());
        assertEquals(new Run(ExitCodes.REFUSED, file + ":2: VL101 error: drops column app.vals.legacy, which the previous release still reads and writes\n"
                + "    fix: stop using the column in code, release, then drop it in a later contract migration\n"
                + "lint: 1 file, 1 errors, 0 warnings, 0 accepted\n", ""), run);
    }

    @Test
    void undo_scripts_are_linted_after_their_migration_and_one_without_its_migration_is_refused() throws IOException {
        Path app = Files.createDirectories(dir.resolve("app"));
        String declare = "INSERT INTO control.schema_contract (version, kind, min_code_level, description)\n";
        Files.writeString(app.resolve("V2__add_description.sql"), "ALTER TABLE app.vals ADD COLUMN description text;\n"
                + declare + "VALUES (2, 'expand', 0, 'add vals.description');\n");
        Files.writeString(app.resolve("U2__add_description.sql"), "ALTER TABLE app.vals DROP COLUMN description;\n");
        Files.writeString(app.resolve("U3__orphan.sql"), "SELECT 1;\n");
        Run run = ops("lint", dir.toString());
        assertEquals(new Run(ExitCodes.REFUSED, app.resolve("U2__add_description.sql") + ":1: VL101 info: drops column"
                + " app.vals.description, which the previous release still reads and writes; accepted: U2__add_description.sql undoes"
                + " app v2, and ops migrate --undo refuses it while a live instance still needs app v2\n"
                + "    fix: stop using the column in code, release, then drop it in a later contract migration\n"
                + app.resolve("U3__orphan.sql") + ":1: VL005 error: U3__orphan.sql has no V3__orphan.sql beside it, so ops migrate --undo 3"
                + " would never find it\n"
                + "    fix: name it U<version>__<the description of its migration>.sql, in the same directory as the migration\n"
                + "lint: 3 files, 1 errors, 0 warnings, 1 accepted\n", ""), run);
    }

    @Test
    void warnings_pass_unless_strict() throws IOException {
        Path file = write("V1__index.sql", "CREATE INDEX runs_outcome_idx ON app.runs (outcome);");
        assertEquals(ExitCodes.OK, ops("lint", file.toString()).exitCode());
        assertEquals(ExitCodes.REFUSED, ops("lint", "--strict", file.toString()).exitCode());
    }

    @Test
    void json_output_lists_each_finding_with_code_severity_file_line_statement_message_and_fix() throws IOException {
        Path file = write("V1__truncate.sql", "TRUNCATE app.runs;");
        Run run = ops("lint", "--format", "json", file.toString());
        assertEquals(new Run(ExitCodes.OK, "[\n  {\"code\": \"VL119\", \"severity\": \"warning\", \"file\": \"" + file + "\", \"line\": 1, "
                + "\"statement\": \"TRUNCATE app.runs\", \"message\": \"truncates app.runs, removing every row under an ACCESS EXCLUSIVE lock\", "
                + "\"fix\": \"delete in batches with a WHERE clause, or drop the table in a contract migration once nothing uses it\", "
                + "\"breaking\": false, \"locking\": true}\n]\n", ""), run);
    }

    @Test
    void json_output_of_a_clean_run_is_an_empty_array() throws IOException {
        Path file = write("V1__ok.sql", "ALTER TABLE app.vals ADD COLUMN description text;");
        assertEquals(new Run(ExitCodes.OK, "[]\n", ""), ops("lint", "--format", "json", file.toString()));
    }

    @Test
    void explain_prints_the_rule_its_traits_and_its_fix() {
        Run run = ops("lint", "explain", "VL101");
        assertEquals(new Run(ExitCodes.OK, "VL101 (error, breaks the previous release, does not lock heavily)\n"
                + "The previous release's SELECTs and INSERTs name the column and fail with SQLSTATE 42703 the moment it is gone.\n"
                + "fix: stop using the column in code, release, then drop it in a later contract migration\n", ""), run);
    }

    @Test
    void explain_of_an_unknown_code_is_a_usage_error_that_lists_the_codes() {
        Run run = ops("lint", "explain", "VL999");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("explain: no rule has the code 'VL999'; the codes are VL000, VL001, VL002, VL003, VL004, VL005, VL101, VL102, VL103, "
                + "VL104, VL105, VL106, VL107, VL108, VL109, VL110, VL111, VL112, VL113, VL114, VL115, VL116, VL117, VL118, VL119, VL120, VL121, VL122, VL123, VL124, VL125, VL126, VL127, VL128, VL129, VL130, VL131, VL132, VL133, VL134, "
                + "VL135, VL136, VL137, VL138, VL139, VL140, VL141, VL142, VL143, VL144, VL145, VL146, VL147, VL148, VL149, VL150, VL151, VL152\n", run.err());
    }

    @Test
    void a_missing_path_is_an_environment_error_with_advice() {
        Run run = ops("lint", dir.resolve("nowhere").toString());
        assertEquals(new Run(ExitCodes.ENVIRONMENT, "", "lint: " + dir.resolve("nowhere")
                + " does not exist; run from the repository root or name the migration files\n"), run);
    }

    @Test
    void an_unknown_format_is_a_usage_error() throws IOException {
        Path file = write("V1__ok.sql", "SELECT 1;");
        assertEquals(new Run(ExitCodes.USAGE, "", "--format must be human or json, got 'xml'\n"), ops("lint", "--format", "xml", file.toString()));
    }
}
