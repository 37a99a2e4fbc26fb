package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.ops.ExitCodes;
import dev.valence.ops.Ops;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops lint --old-release REF} reads the previous release's SQL from a real git repository, as its files were at
 * REF: SQL files other than migrations, and the SQL in its source files' string literals; tests' SQL is left out.
 */
class LintOldReleaseTest {
    @TempDir
    Path repo;

    private Path migrations;

    @BeforeEach
    void a_repository_with_release_one_tagged() throws IOException, InterruptedException {
        migrations = Files.createDirectories(repo.resolve("migrations/app"));
        Files.writeString(migrations.resolve("V1__schema.sql"), "CREATE TABLE tags (id bigint PRIMARY KEY, label text NOT NULL, note text,"
                + " colour text, hits integer);\n" + declaration(1));
        write("src/main/java/shop/TagStore.java", """
                package shop;
                final class TagStore {
                    // reads tags by id
                    static final String READ = \"\"\"
                            SELECT id, label FROM tags WHERE id = ?\"\"\";
                    static final String ADD = "INSERT INTO tags (id, label) VALUES (?, ?)";
                    int hitCount;
                }
                """);
        write("src/main/resources/reports/weekly.sql", "SELECT count(*) FROM tags WHERE label <> '';\n");
        write("src/test/java/shop/TagStoreTest.java", "class TagStoreTest { String q = \"SELECT colour FROM tags\"; }\n");
        git("init", "--quiet", "--initial-branch=main");
        git("add", ".");
        git("commit", "--quiet", "-m", "release one");
        git("tag", "v1");
        // the next release reads colour; the migration is linted against what release one sends
        write("src/main/java/shop/TagStore.java", "final class TagStore { String q = \"SELECT colour, note FROM tags\"; }\n");
    }

    private void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void git(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=Release", "-c", "user.email=r@example.test"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "git " + String.join(" ", arguments) + ": " + out);
    }

    private static String declaration(int version) {
        return "INSERT INTO control.schema_contract (version, kind, min_code_level, description)\nVALUES (" + version + ", 'expand', 0, 'v');\n";
    }

    record Run(int exitCode, String out, String err) {}

    private static Run ops(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var line = Ops.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return new Run(line.execute(args), out.toString(), err.toString());
    }

    @Test
    void columns_release_one_never_names_are_accepted_and_those_its_code_or_sql_files_name_are_refused() throws IOException {
        Files.writeString(migrations.resolve("V2__change.sql"), "ALTER TABLE tags DROP COLUMN note;\nALTER TABLE tags DROP COLUMN colour;\n"
                + "ALTER TABLE tags DROP COLUMN label;\nALTER TABLE tags DROP COLUMN hits;\n" + declaration(2));
        Run run = ops("lint", "--old-release", "v1", migrations.toString());
        String v2 = migrations.resolve("V2__change.sql").toString();
        List<String> findings = run.out().lines().filter(l -> l.startsWith(v2) && l.contains(" VL101 ")).toList();
        assertEquals(List.of(
                v2 + ":1: VL101 info: drops column tags.note, which the previous release still reads and writes; accepted: the previous"
                        + " release's SQL (--old-release v1) never names tags.note",
                v2 + ":2: VL101 info: drops column tags.colour, which the previous release still reads and writes; accepted: the previous"
                        + " release's SQL (--old-release v1) never names tags.colour",
                v2 + ":3: VL101 error: drops column tags.label, which the previous release still reads and writes",
                // hitCount, a field an ORM would map to hit_count, is not hits: only the words of the code count
                v2 + ":4: VL101 info: drops column tags.hits, which the previous release still reads and writes; accepted: the previous"
                        + " release's SQL (--old-release v1) never names tags.hits"), findings, run.out());
        assertEquals(ExitCodes.REFUSED, run.exitCode());
    }

    @Test
    void the_inserts_of_release_one_decide_whether_a_new_default_is_used() throws IOException {
        Files.writeString(migrations.resolve("V2__change.sql"), "ALTER TABLE tags ALTER COLUMN note SET DEFAULT 'none';\n"
                + "ALTER TABLE tags ALTER COLUMN label SET DEFAULT 'untitled';\n" + declaration(2));
        String out = ops("lint", "--old-release", "v1", migrations.toString()).out();
        String v2 = migrations.resolve("V2__change.sql").toString();
        List<String> findings = out.lines().filter(l -> l.startsWith(v2) && l.contains(" VL115 ")).toList();
        // INSERT INTO tags (id, label) leaves note out, so its new default fills the rows release one inserts
        assertEquals(List.of(v2 + ":1: VL115 error: sets a new DEFAULT on column tags.note, so the previous release's INSERTs that omit it"
                        + " store a value it did not choose",
                v2 + ":2: VL115 info: sets a new DEFAULT on column tags.label, so the previous release's INSERTs that omit it store a value"
                        + " it did not choose; accepted: the previous release's SQL (--old-release v1) never inserts into tags without naming"
                        + " label, so its default is never used"), findings, out);
    }

    @Test
    void a_revision_the_repository_does_not_have_is_a_usage_error() throws IOException {
        Files.writeString(migrations.resolve("V2__change.sql"), "ALTER TABLE tags DROP COLUMN note;\n" + declaration(2));
        Run run = ops("lint", "--old-release", "v9", migrations.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("lint: --old-release: 'v9' is no commit of " + repo.toRealPath() + "; name a tag, branch or commit of that repository"
                + " (git tag lists the releases)\n", run.err());
    }

    @Test
    void migrations_outside_a_git_repository_are_an_environment_error(@TempDir Path elsewhere) throws IOException {
        Path app = Files.createDirectories(elsewhere.resolve("app"));
        Files.writeString(app.resolve("V1__schema.sql"), "CREATE TABLE t (id int);\n" + declaration(1));
        Run run = ops("lint", "--old-release", "v1", app.toString());
        assertEquals(ExitCodes.ENVIRONMENT, run.exitCode());
        assertEquals(true, run.err().startsWith("lint: --old-release: " + app + " is not inside a git repository"), run.err());
    }
}
