package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LintParserTrapsTest {
    private static final String PLAIN = "lint/V9__trap.sql";
    private static final String DROP_VALS = "VL102 error %d: drops table app.vals, which the previous release still uses";

    private static List<String> lint(String sql) {
        return Findings.lint(PLAIN, sql);
    }

    @Test
    void a_line_comment_that_mentions_a_drop_is_not_a_drop() {
        assertEquals(List.of(), lint("-- DROP TABLE app.vals;\nSELECT 1; -- ALTER TABLE app.vals DROP COLUMN name;\n"));
    }

    @Test
    void a_nested_block_comment_hides_everything_inside_it() {
        assertEquals(List.of(), lint("/* outer /* DROP TABLE app.vals; */ still a comment: TRUNCATE app.runs; */ SELECT 1;"));
    }

    @Test
    void quoted_identifiers_that_spell_keywords_are_names() {
        assertEquals(List.of(), lint("ALTER TABLE \"DROP\" ADD COLUMN \"TABLE\" text;\nCREATE TABLE app.\"TRUNCATE\" (\"DELETE\" int);"));
    }

    @Test
    void quoted_identifiers_keep_their_case_and_quotes_in_the_message() {
        assertEquals(List.of("VL101 error 1: drops column app.\"Vals\".\"Name\", which the previous release still reads and writes"),
                lint("ALTER TABLE app.\"Vals\" DROP COLUMN \"Name\";"));
    }

    @Test
    void a_dollar_quoted_function_body_that_drops_a_table_is_only_a_body() {
        assertEquals(List.of(), lint("CREATE FUNCTION app.purge() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  DROP TABLE app.vals;\n"
                + "  DELETE FROM app.runs;\nEND;\n$$;\nSELECT 1;"));
    }

    @Test
    void a_tagged_dollar_quote_may_contain_plain_dollar_quotes_and_semicolons() {
        assertEquals(List.of(String.format(DROP_VALS, 4)),
                lint("CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $body$\n SELECT $$; DROP TABLE app.vals;$$\n$body$;\n"
                        + "DROP TABLE app.vals;"));
    }

    @Test
    void a_do_block_runs_at_once_so_its_drop_counts() {
        assertEquals(List.of(String.format(DROP_VALS, 1)),
                lint("DO $$\nBEGIN\n  IF true THEN\n    DROP TABLE app.vals;\n  END IF;\nEND\n$$;"));
    }

    @Test
    void string_literals_that_contain_sql_are_data() {
        assertEquals(List.of(), lint("INSERT INTO app.notes (body) VALUES ('DROP TABLE app.vals; TRUNCATE app.runs;');\n"
                + "INSERT INTO app.notes (body) VALUES ('it''s; DELETE FROM app.runs');\n"
                + "INSERT INTO app.notes (body) VALUES (E'escaped \\' quote; DROP TABLE app.vals;');"));
    }

    @Test
    void every_statement_of_a_file_is_checked_and_reported_at_its_own_line() {
        assertEquals(List.of(
                        "VL101 error 2: drops column app.vals.legacy, which the previous release still reads and writes",
                        "VL119 warning 5: truncates app.runs, removing every row under an ACCESS EXCLUSIVE lock",
                        "VL102 error 5: drops table app.blobs, which the previous release still uses"),
                lint("SELECT 1;\nALTER TABLE app.vals\n  DROP COLUMN legacy;\n\nTRUNCATE app.runs; DROP TABLE app.blobs\n"));
    }

    @Test
    void several_actions_in_one_alter_table_are_each_checked() {
        assertEquals(List.of(
                        "VL101 error 1: drops column app.vals.a, which the previous release still reads and writes",
                        "VL107 error 1: sets column app.vals.b NOT NULL, which fails the previous release's writes of NULL and scans the table under an ACCESS EXCLUSIVE lock"),
                lint("ALTER TABLE app.vals ADD COLUMN c text, DROP COLUMN a, ALTER COLUMN b SET NOT NULL, ADD COLUMN d int DEFAULT 0;"));
    }

    @Test
    void keywords_are_recognised_in_any_case() {
        assertEquals(List.of(String.format(DROP_VALS, 1),
                        "VL111 warning 2: creates index i on app.runs without CONCURRENTLY, which blocks writes to the table while it builds"),
                lint("dRoP tAbLe App.Vals;\nCreate Index I On APP.RUNS (Outcome);"));
    }

    @Test
    void a_where_only_inside_a_subquery_does_not_bound_an_update() {
        assertEquals(List.of("VL118 warning 1: updates every row of app.vals (no WHERE clause)"),
                lint("UPDATE app.vals SET latest_version = (SELECT max(version) FROM app.val_versions v WHERE v.val_id = vals.id);"));
    }

    @Test
    void a_semicolon_inside_parentheses_does_not_end_the_statement() {
        assertEquals(List.of(), lint("CREATE FUNCTION app.one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 3;"));
    }

    @Test
    void an_unterminated_dollar_quote_is_reported_where_it_opens() {
        assertEquals(List.of("VL000 error 2: the dollar quote $fn$ opened here is never closed"),
                lint("SELECT 1;\nCREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1;"));
    }

    @Test
    void an_unterminated_block_comment_is_reported_where_it_opens() {
        assertEquals(List.of("VL000 error 3: the /* comment opened here is never closed"), lint("SELECT 1;\n\n/* DROP TABLE app.vals;"));
    }

    @Test
    void the_statement_excerpt_is_the_statement_on_one_line() {
        List<Finding> findings = Linter.lintText(PLAIN, "-- header\nALTER TABLE app.vals\n    DROP COLUMN legacy;");
        assertEquals("ALTER TABLE app.vals DROP COLUMN legacy", findings.getFirst().excerpt());
        assertEquals(2, findings.getFirst().line());
    }
}
