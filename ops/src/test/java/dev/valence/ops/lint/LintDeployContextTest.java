package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.ops.ExitCodes;
import dev.valence.ops.Ops;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops lint --database} (table sizes from a real PostgreSQL) and {@code --old-queries} (what the previous
 * release's SQL names): findings they settle become accepted notes saying why; the rest stay as they were.
 */
class LintDeployContextTest {
    private static final String SCHEMA = """
            CREATE TABLE tags (id bigint PRIMARY KEY, label text NOT NULL, note text);
            CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, detail text, legacy text);
            """;
    private static EmbeddedPostgres postgres;
    private static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() throws IOException, SQLException {
        postgres = EmbeddedPostgres.start();
        url = postgres.getJdbcUrl("postgres", "postgres");
        try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute(SCHEMA);
            s.execute("INSERT INTO tags SELECT g, 'tag ' || g FROM generate_series(1, 12) g");
            s.execute("INSERT INTO events SELECT g, 'login', 'event ' || g FROM generate_series(1, 20000) g");
            s.execute("ANALYZE");
            // never analyzed: its size is counted, up to the threshold
            s.execute("CREATE TABLE imports (id bigint PRIMARY KEY, payload text)");
            s.execute("INSERT INTO imports SELECT g, 'x' FROM generate_series(1, 3) g");
        }
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    private Path app(String migration) throws IOException {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("V1__schema.sql"), SCHEMA + "CREATE TABLE imports (id bigint PRIMARY KEY, payload text);\n" + declaration(1));
        Files.writeString(app.resolve("V2__change.sql"), migration + "\n" + declaration(2));
        return app;
    }

    private static String declaration(int version) {
        return "INSERT INTO control.schema_contract (version, kind, min_code_level, description)\nVALUES (" + version + ", 'expand', 0, 'v');\n";
    }

    @Test
    void an_index_built_under_lock_on_a_table_of_twelve_rows_is_accepted_and_on_twenty_thousand_rows_still_warned() throws IOException {
        Path app = app("CREATE INDEX tags_label_idx ON tags (label);\nCREATE INDEX events_kind_idx ON events (kind);");
        String v2 = app.resolve("V2__change.sql").toString();
        String tagsFinding = v2 + ":1: VL111 %s: creates index tags_label_idx on tags without CONCURRENTLY, which blocks writes to the table while it builds%s\n"
                + "    fix: CREATE INDEX CONCURRENTLY, in a migration of its own (it cannot run inside a transaction)\n";
        String eventsFinding = v2 + ":2: VL111 warning: creates index events_kind_idx on events without CONCURRENTLY, which blocks writes to the table while it builds\n"
                + "    fix: CREATE INDEX CONCURRENTLY, in a migration of its own (it cannot run inside a transaction)\n";

        assertEquals(new Run(ExitCodes.OK, tagsFinding.formatted("warning", "") + eventsFinding
                + "lint: 2 files, 0 errors, 2 warnings, 0 accepted\n"), ops("lint", app.toString()));
        assertEquals(new Run(ExitCodes.OK, tagsFinding.formatted("info", "; accepted: tags holds about 12 rows in the database"
                        + " (under 10000, --small-table-rows), so the lock is held for moments") + eventsFinding
                        + "lint: 2 files, 0 errors, 1 warnings, 1 accepted\n"),
                ops("lint", "--database", url, app.toString()));
        assertEquals(new Run(ExitCodes.OK, tagsFinding.formatted("info", "; accepted: tags holds about 12 rows in the database"
                        + " (under 100000, --small-table-rows), so the lock is held for moments")
                        + eventsFinding.replace("warning", "info").replace("while it builds\n", "while it builds; accepted: events holds"
                                + " about 20000 rows in the database (under 100000, --small-table-rows), so the lock is held for moments\n")
                        + "lint: 2 files, 0 errors, 0 warnings, 2 accepted\n"),
                ops("lint", "--database", url, "--small-table-rows", "100000", app.toString()));
    }

    @Test
    void a_table_never_analyzed_is_sized_by_counting_its_rows() throws IOException {
        Path app = app("CREATE INDEX imports_payload_idx ON imports (payload);");
        Run run = ops("lint", "--database", url, app.toString());
        assertEquals(new Run(ExitCodes.OK, app.resolve("V2__change.sql") + ":1: VL111 info: creates index imports_payload_idx on imports"
                + " without CONCURRENTLY, which blocks writes to the table while it builds; accepted: imports holds about 3 rows in the"
                + " database (under 10000, --small-table-rows), so the lock is held for moments\n"
                + "    fix: CREATE INDEX CONCURRENTLY, in a migration of its own (it cannot run inside a transaction)\n"
                + "lint: 2 files, 0 errors, 0 warnings, 1 accepted\n"), run);
    }

    @Test
    void truncating_a_table_that_holds_rows_stays_a_warning_on_a_small_table_since_the_previous_release_reads_them() throws IOException {
        Path app = app("TRUNCATE imports;");
        Run run = ops("lint", "--database", url, app.toString());
        assertEquals(new Run(ExitCodes.OK, app.resolve("V2__change.sql") + ":1: VL119 warning: truncates imports, removing every row under an"
                + " ACCESS EXCLUSIVE lock\n"
                + "    fix: delete in batches with a WHERE clause, or drop the table in a contract migration once nothing uses it\n"
                + "lint: 2 files, 0 errors, 1 warnings, 0 accepted\n"), run);
        Path old = Files.writeString(dir.resolve("old.sql"), "SELECT kind FROM events;");
        assertEquals(true, ops("lint", "--database", url, "--old-queries", old.toString(), app.toString()).out()
                .contains("VL119 info: truncates imports, removing every row under an ACCESS EXCLUSIVE lock; accepted: the previous"
                        + " release's SQL (--old-queries) never names imports, and imports holds about 3 rows"));
    }

    @Test
    void dropping_a_column_the_old_queries_never_name_is_accepted_and_one_they_name_is_refused() throws IOException {
        Path app = app("ALTER TABLE events DROP COLUMN legacy;\nALTER TABLE events DROP COLUMN detail;");
        Path old = Files.writeString(dir.resolve("old.sql"), """
                -- what the previous release sends
                SELECT id, kind, detail FROM events WHERE id = $1;
                INSERT INTO events (id, kind) VALUES ($1, 'login');
                """);
        String v2 = app.resolve("V2__change.sql").toString();
        Run run = ops("lint", "--old-queries", old.toString(), app.toString());
        assertEquals(new Run(ExitCodes.REFUSED, v2 + ":1: VL101 info: drops column events.legacy, which the previous release still reads and"
                + " writes; accepted: the previous release's SQL (--old-queries) never names events.legacy\n"
                + "    fix: stop using the column in code, release, then drop it in a later contract migration\n"
                + v2 + ":2: VL101 error: drops column events.detail, which the previous release still reads and writes\n"
                + "    fix: stop using the column in code, release, then drop it in a later contract migration\n"
                + v2 + ":2: VL002 error: app v2 declares expand but drops column events.detail\n"
                + "    fix: declare contract with the lowest code level that survives it, or split it\n"
                + "lint: 2 files, 2 errors, 0 warnings, 1 accepted\n"), run);
    }

    @Test
    void a_star_select_a_positional_insert_a_copy_or_a_view_uses_every_column_it_can_reach() throws IOException {
        Path app = app("ALTER TABLE events DROP COLUMN legacy;");
        Path neither = Files.writeString(dir.resolve("neither.sql"), "SELECT kind FROM events;");
        assertEquals(ExitCodes.OK, ops("lint", "--old-queries", neither.toString(), app.toString()).exitCode());
        for (String old : new String[] {"SELECT * FROM events WHERE id = 1;", "SELECT e.* FROM events e;",
                "INSERT INTO events VALUES ($1, $2, $3, $4);", "COPY events TO STDOUT;"}) {
            Path file = Files.writeString(dir.resolve("old.sql"), old);
            assertEquals(ExitCodes.REFUSED, ops("lint", "--old-queries", file.toString(), app.toString()).exitCode(), old);
        }
        Path copyNaming = Files.writeString(dir.resolve("copy.sql"), "COPY events (id, kind) TO STDOUT;");
        assertEquals(ExitCodes.OK, ops("lint", "--old-queries", copyNaming.toString(), app.toString()).exitCode());
    }

    @Test
    void a_column_the_schema_itself_names_elsewhere_counts_as_used_though_the_old_queries_do_not() throws IOException {
        Path app = app("CREATE VIEW recent_events AS SELECT id, legacy FROM events;\n");
        Files.writeString(app.resolve("V3__drop.sql"), "ALTER TABLE events DROP COLUMN legacy CASCADE;\n" + declaration(3));
        Path throughView = Files.writeString(dir.resolve("view.sql"), "SELECT id FROM recent_events;");
        Path neither = Files.writeString(dir.resolve("neither.sql"), "SELECT kind FROM events;");
        assertEquals(ExitCodes.REFUSED, ops("lint", "--old-queries", throughView.toString(), app.toString()).exitCode());
        // the view (or a trigger's function, a default, a CHECK) may be how the previous release reaches the column
        assertEquals(ExitCodes.REFUSED, ops("lint", "--old-queries", neither.toString(), app.toString()).exitCode());
    }

    @Test
    void dropping_an_extension_or_a_schema_is_never_settled_by_names_since_their_contents_are_used_without_them() throws IOException {
        Path app = app("DROP EXTENSION IF EXISTS pgcrypto;\nALTER SCHEMA tools RENAME TO helpers;");
        Path old = Files.writeString(dir.resolve("old.sql"), "SELECT gen_random_uuid();");
        String out = ops("lint", "--old-queries", old.toString(), app.toString()).out();
        assertEquals(true, out.contains("VL126 error: drops extension pgcrypto") && out.contains("VL125 error: renames schema tools"), out);
    }

    @Test
    void a_new_default_matters_only_to_old_inserts_that_leave_the_column_out() throws IOException {
        Path app = app("ALTER TABLE tags ALTER COLUMN note SET DEFAULT 'none';");
        Path naming = Files.writeString(dir.resolve("naming.sql"), "INSERT INTO tags (id, label, note) VALUES ($1, $2, $3);");
        Path omitting = Files.writeString(dir.resolve("omitting.sql"), "INSERT INTO tags (id, label) VALUES ($1, $2);");
        assertEquals(ExitCodes.OK, ops("lint", "--old-queries", naming.toString(), app.toString()).exitCode());
        assertEquals(ExitCodes.REFUSED, ops("lint", "--old-queries", omitting.toString(), app.toString()).exitCode());
    }

    @Test
    void old_queries_with_an_unclosed_quote_are_a_usage_error_naming_the_file() throws IOException {
        Path app = app("ALTER TABLE events DROP COLUMN legacy;");
        Path broken = Files.writeString(dir.resolve("broken.sql"), "SELECT 'unclosed FROM events;");
        var err = new StringWriter();
        var line = Ops.commandLine();
        line.setErr(new PrintWriter(err, true));
        line.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(ExitCodes.USAGE, line.execute("lint", "--old-queries", broken.toString(), app.toString()));
        assertEquals(true, err.toString().startsWith("lint: --old-queries: " + broken + " line 1: "), err.toString());
    }

    @Test
    void lint_help_documents_the_deploy_options() {
        String help = ops("lint", "--help").out();
        for (String option : new String[] {"--database=URL", "--small-table-rows=ROWS", "--old-queries=FILE|DIR", "LINT_SMALL_TABLE_ROWS"}) {
            assertEquals(true, help.contains(option), option + " in:\n" + help);
        }
    }

    @Test
    void renaming_a_unique_constraint_that_no_old_upsert_names_is_accepted() throws IOException {
        Path app = app("ALTER TABLE tags ADD CONSTRAINT tags_label_key UNIQUE (label);\n");
        Files.writeString(app.resolve("V3__rename.sql"), "ALTER TABLE tags RENAME CONSTRAINT tags_label_key TO tags_label_unique;\n" + declaration(3));
        Path naming = Files.writeString(dir.resolve("naming.sql"), "INSERT INTO tags (id, label) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT tags_label_key DO NOTHING;");
        Path other = Files.writeString(dir.resolve("other.sql"), "INSERT INTO tags (id, label) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING;");
        String v3 = app.resolve("V3__rename.sql").toString();
        assertEquals(true, ops("lint", "--old-queries", naming.toString(), app.toString()).out().contains(v3 + ":1: VL124 error"));
        assertEquals(true, ops("lint", "--old-queries", other.toString(), app.toString()).out().contains(v3 + ":1: VL124 info"));
    }

    record Run(int exitCode, String out) {}

    private static Run ops(String... args) {
        var out = new StringWriter();
        var line = Ops.commandLine();
        line.setOut(new PrintWriter(out));
        return new Run(line.execute(args), out.toString());
    }
}
