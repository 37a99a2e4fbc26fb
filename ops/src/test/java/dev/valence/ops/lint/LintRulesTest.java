package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LintRulesTest {
    private static final String PLAIN = "lint/V9__case.sql";

    static Stream<Arguments> statementRules() {
        return Stream.of(
                flags("dropping a column breaks the previous release", "ALTER TABLE app.vals DROP COLUMN legacy;",
                        "VL101 error 1: drops column app.vals.legacy, which the previous release still reads and writes"),
                clean("dropping a constraint is not dropping a column", "ALTER TABLE app.vals DROP CONSTRAINT vals_legacy_check;"),
                flags("dropping a table breaks the previous release", "DROP TABLE IF EXISTS app.blobs CASCADE;",
                        "VL102 error 1: drops table app.blobs, which the previous release still uses"),
                flags("dropping a schema breaks the previous release", "DROP SCHEMA app CASCADE;",
                        "VL102 error 1: drops schema app, which the previous release still uses"),
                clean("dropping a table created in the same file is harmless", "CREATE TABLE app.scratch (id int);\nDROP TABLE app.scratch;"),
                flags("renaming a column breaks the previous release", "ALTER TABLE app.vals RENAME COLUMN name TO title;",
                        "VL103 error 1: renames column app.vals.name to title, so the previous release's queries fail"),
                clean("renaming a constraint breaks nothing", "ALTER TABLE app.vals RENAME CONSTRAINT vals_a TO vals_b;"),
                flags("renaming a table breaks the previous release", "ALTER TABLE app.vals RENAME TO scripts;",
                        "VL104 error 1: renames table app.vals to app.scripts, so the previous release's queries fail"),
                flags("moving a table to another schema is a rename", "ALTER TABLE app.vals SET SCHEMA archive;",
                        "VL104 error 1: renames table app.vals to archive.vals, so the previous release's queries fail"),
                clean("renaming an index breaks nothing", "ALTER INDEX app.runs_val_started_idx RENAME TO runs_by_val_idx;"),
                flags("changing a column type rewrites the table", "ALTER TABLE app.runs ALTER COLUMN duration_ms TYPE integer;",
                        "VL105 error 1: changes the type of column app.runs.duration_ms to integer, which rewrites the table under an ACCESS EXCLUSIVE lock and can break the previous release"),
                flags("set data type is a type change too", "ALTER TABLE app.runs ALTER duration_ms SET DATA TYPE numeric(10, 2);",
                        "VL105 error 1: changes the type of column app.runs.duration_ms to numeric(10,2), which rewrites the table under an ACCESS EXCLUSIVE lock and can break the previous release"),
                clean("changing the statistics target is not a type change", "ALTER TABLE app.runs ALTER COLUMN duration_ms SET STATISTICS 500;"),
                flags("a required column without a default breaks old inserts", "ALTER TABLE app.vals ADD COLUMN owner_email text NOT NULL;",
                        "VL106 error 1: adds column app.vals.owner_email as NOT NULL without a DEFAULT, so the previous release's INSERTs fail"),
                clean("a required column with a constant default is instant and safe", "ALTER TABLE app.vals ADD COLUMN archived boolean NOT NULL DEFAULT false;"),
                flags("set not null breaks null writers and scans the table", "ALTER TABLE app.vals ALTER COLUMN schedule SET NOT NULL;",
                        "VL107 error 1: sets column app.vals.schedule NOT NULL, which fails the previous release's writes of NULL and scans the table under an ACCESS EXCLUSIVE lock"),
                flags("a not valid check skips the scan but still checks the previous release's writes", "ALTER TABLE app.vals ADD CONSTRAINT vals_schedule_nn CHECK (schedule IS NOT NULL) NOT VALID;",
                        "VL122 warning 1: adds CHECK constraint vals_schedule_nn on app.vals, which checks every write of the previous release from now on (NOT VALID only skips the existing rows), and nothing the schema already enforces implies it"),
                flags("drop not null surprises old readers", "ALTER TABLE app.vals ALTER COLUMN name DROP NOT NULL;",
                        "VL108 error 1: drops NOT NULL from column app.vals.name, so the previous release may read NULLs it does not expect"),
                clean("validating a constraint takes a weak lock", "ALTER TABLE app.vals VALIDATE CONSTRAINT vals_schedule_nn;"),
                flags("a validated check scans under lock", "ALTER TABLE app.runs ADD CONSTRAINT runs_duration_check CHECK (duration_ms < 60000);",
                        "VL109 error 1: adds CHECK constraint runs_duration_check on app.runs without NOT VALID, which scans the table under lock and can reject the previous release's writes"),
                flags("a validated foreign key scans under lock", "ALTER TABLE app.runs ADD FOREIGN KEY (val_id) REFERENCES app.vals (id);",
                        "VL109 error 1: adds FOREIGN KEY constraint on app.runs without NOT VALID, which scans the table under lock and can reject the previous release's writes"),
                flags("a not valid foreign key is instant but checks the previous release's writes", "ALTER TABLE app.runs ADD CONSTRAINT runs_val_fk FOREIGN KEY (val_id) REFERENCES app.vals (id) ON DELETE CASCADE NOT VALID;",
                        "VL122 warning 1: adds FOREIGN KEY constraint runs_val_fk on app.runs, which checks every write of the previous release from now on (NOT VALID only skips the existing rows), and nothing the schema already enforces implies it"),
                flags("a unique constraint builds its index under lock", "ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE (email);",
                        "VL110 error 1: adds UNIQUE constraint users_email_key on app.users by building its index under lock, which can reject the previous release's writes"),
                clean("a unique constraint using a concurrent index is instant", "ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;"),
                flags("a plain create index blocks writes", "CREATE INDEX runs_outcome_idx ON app.runs (outcome);",
                        "VL111 warning 1: creates index runs_outcome_idx on app.runs without CONCURRENTLY, which blocks writes to the table while it builds"),
                clean("create index concurrently blocks nothing", "CREATE INDEX CONCURRENTLY IF NOT EXISTS runs_outcome_idx ON app.runs (outcome);"),
                clean("an index on a table created in the same file is exempt", "CREATE TABLE app.tags (id int, name text);\nCREATE UNIQUE INDEX tags_name_idx ON app.tags (name) WHERE name IS NOT NULL;"),
                flags("a plain drop index blocks its table", "DROP INDEX app.runs_val_started_idx;",
                        "VL112 warning 1: drops index app.runs_val_started_idx without CONCURRENTLY, which blocks reads and writes of its table while it waits and drops"),
                clean("drop index concurrently blocks nothing", "DROP INDEX CONCURRENTLY IF EXISTS app.runs_val_started_idx;"),
                flags("renaming an enum value breaks old writers", "ALTER TYPE app.mood RENAME VALUE 'sad' TO 'blue';",
                        "VL113 error 1: renames value 'sad' of enum app.mood to 'blue', so the previous release's writes of the old value fail"),
                clean("adding an enum value breaks nothing", "ALTER TYPE app.mood ADD VALUE IF NOT EXISTS 'calm';"),
                flags("dropping a type is how enum values get removed", "DROP TYPE IF EXISTS app.mood;",
                        "VL114 error 1: drops type app.mood, which the previous release's columns and casts still use"),
                clean("creating a type breaks nothing", "CREATE TYPE app.weather AS ENUM ('sun', 'rain');"),
                flags("a new default changes what old inserts store", "ALTER TABLE app.vals ALTER COLUMN privacy SET DEFAULT 'private';",
                        "VL115 error 1: sets a new DEFAULT on column app.vals.privacy, so the previous release's INSERTs that omit it store a value it did not choose"),
                clean("a default on a new column changes nothing old code writes", "ALTER TABLE app.vals ADD COLUMN note text DEFAULT '';"),
                flags("dropping a default breaks old inserts", "ALTER TABLE app.vals ALTER COLUMN privacy DROP DEFAULT;",
                        "VL116 error 1: drops the DEFAULT of column app.vals.privacy, so the previous release's INSERTs that omit it store NULL or fail"),
                clean("a nullable column without default is the safest addition", "ALTER TABLE app.vals ADD COLUMN description text;"),
                flags("a volatile default rewrites the table", "ALTER TABLE app.vals ADD COLUMN public_id uuid DEFAULT gen_random_uuid();",
                        "VL117 warning 1: adds column app.vals.public_id with the volatile default gen_random_uuid(), which rewrites the whole table under an ACCESS EXCLUSIVE lock"),
                flags("a serial column rewrites the table", "ALTER TABLE app.vals ADD COLUMN seq bigserial;",
                        "VL117 warning 1: adds column app.vals.seq with the serial type bigserial (a nextval default), which rewrites the whole table under an ACCESS EXCLUSIVE lock"),
                clean("now() is stable so its default is stored once", "ALTER TABLE app.vals ADD COLUMN archived_at timestamptz DEFAULT now();"),
                flags("a delete without where empties the table", "DELETE FROM app.runs;",
                        "VL118 warning 1: deletes every row of app.runs (no WHERE clause)"),
                flags("an update without where touches every row", "UPDATE app.vals SET privacy = 'public' FROM app.users;",
                        "VL118 warning 1: updates every row of app.vals (no WHERE clause)"),
                clean("a delete with where is a bounded change", "DELETE FROM app.runs WHERE started_at < now() - interval '90 days';"),
                clean("a delete after with queries is judged by its own top-level where",
                        "WITH old AS (SELECT id FROM app.runs WHERE outcome = 'error') DELETE FROM app.runs WHERE id IN (SELECT id FROM old);"),
                flags("truncate empties a table under the heaviest lock", "TRUNCATE TABLE app.runs RESTART IDENTITY;",
                        "VL119 warning 1: truncates app.runs, removing every row under an ACCESS EXCLUSIVE lock"),
                clean("truncating a table created in the same file is harmless", "CREATE TABLE app.staging (id int);\nTRUNCATE app.staging;"),
                flags("unreadable sql is an error, not silence", "SELECT 'unterminated;\nDROP TABLE app.vals;",
                        "VL000 error 1: the string literal opened here is never closed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statementRules")
    void statement_rules(String sentence, String sql, List<String> expected) {
        assertEquals(expected, Findings.lint(PLAIN, sql));
    }

    @Test
    void widening_a_varchar_known_from_an_earlier_migration_is_exempt_and_narrowing_is_not() {
        var linter = new Linter(Optional.empty());
        linter.lint(MigrationFile.of(Path.of("lint/V1__notes.sql")), "CREATE TABLE app.notes (id int, body character varying(200));");
        assertEquals(List.of(), Findings.render(linter.lint(MigrationFile.of(Path.of("lint/V2__wider.sql")),
                "ALTER TABLE app.notes ALTER COLUMN body TYPE varchar(300);")));
        assertEquals(List.of(), Findings.render(linter.lint(MigrationFile.of(Path.of("lint/V3__text.sql")),
                "ALTER TABLE app.notes ALTER COLUMN body TYPE text;")));
        assertEquals(List.of("VL105 error 1: changes the type of column app.notes.body to varchar(100), which rewrites the table "
                        + "under an ACCESS EXCLUSIVE lock and can break the previous release"),
                Findings.render(linter.lint(MigrationFile.of(Path.of("lint/V4__narrow.sql")),
                        "ALTER TABLE app.notes ALTER COLUMN body TYPE varchar(100);")));
    }

    @Test
    void every_rule_has_a_distinct_code_a_fix_and_an_explanation() {
        assertEquals(Rule.values().length, Stream.of(Rule.values()).map(Rule::code).distinct().count());
        for (Rule rule : Rule.values()) {
            assertEquals(true, rule.code().matches("VL[0-9]{3}"), rule.code());
            assertEquals(false, rule.fix().isBlank(), rule.code());
            assertEquals(false, rule.explanation().isBlank(), rule.code());
        }
    }

    private static Arguments flags(String sentence, String sql, String... expected) {
        return Arguments.of(sentence, sql, List.of(expected));
    }

    private static Arguments clean(String sentence, String sql) {
        return Arguments.of(sentence, sql, List.of());
    }
}
