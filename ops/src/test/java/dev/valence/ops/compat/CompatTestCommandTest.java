package dev.valence.ops.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.ops.Ops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * compat-test end to end on a fixture repository (see {@link FixtureRepo}): a real git worktree of
 * commit 1, a real Maven build and test run, a real embedded PostgreSQL migrated from the files of commit 2.
 */
class CompatTestCommandTest {

    record Run(int exit, String output) {}

    private static Run compatTest(Path repo) {
        var text = new StringWriter();
        var line = Ops.commandLine();
        line.setOut(new PrintWriter(text, true));
        int exit = line.execute("compat-test", "--base", "HEAD~1", "--repo", repo.toString());
        System.out.println(text);
        return new Run(exit, text.toString());
    }

    @Test
    void an_expand_only_migration_passes_because_the_previous_commits_tests_pass_on_the_new_schema() throws Exception {
        Path repo = FixtureRepo.withSecondMigration(FixtureRepo.ADD_COLUMN);

        Run run = compatTest(repo);

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("[1/4] checking out HEAD~1"), run.output());
        assertTrue(run.output().contains("      migrated to app v2; HEAD~1 is code level 1"), run.output());
        assertTrue(run.output().contains("      ok   fixture.ItemsTest: 1 tests"), run.output());
        assertTrue(run.output().contains("passed: HEAD~1's 1 tests pass on the new schema"), run.output());
        assertEquals("", worktrees(repo), "the temporary worktree is removed");
    }

    @Test
    void an_undeclared_drop_fails_and_names_the_previous_commits_failing_test() throws Exception {
        Path repo = FixtureRepo.withSecondMigration(FixtureRepo.DROP_COLUMN_UNDECLARED);

        Run run = compatTest(repo);

        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("      FAIL fixture.ItemsTest: 1 tests, 1 failed"), run.output());
        assertTrue(run.output().contains("      FAILED fixture.ItemsTest.an_item_keeps_its_legacy_flag: "), run.output());
        assertTrue(run.output().contains("column \"legacy\" of relation \"items\" does not exist"), run.output());
        assertTrue(run.output().contains("FAILED: 1 of 1 of HEAD~1's tests fail on the new schema"), run.output());
    }

    @Test
    void a_declared_contract_passes_only_because_the_previous_commits_failure_is_the_one_it_declares() throws Exception {
        Path repo = FixtureRepo.withSecondMigration(FixtureRepo.DROP_COLUMN_DECLARED);

        Run run = compatTest(repo);

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("[4/4] running HEAD~1's tests, expected to fail: app v2 (drop items.legacy) is a contract migration"
                + " needing code level >= 2 (V2__change.sql)"), run.output());
        assertTrue(run.output().contains("      failed as expected: fixture.ItemsTest.an_item_keeps_its_legacy_flag: "), run.output());
        assertTrue(run.output().contains("expected: HEAD~1's tests failed (1 of 1) because app v2 (drop items.legacy) is a contract"
                + " migration needing code level >= 2 (V2__change.sql) and HEAD~1 is level 1"), run.output());
    }

    @Test
    void a_reference_that_does_not_exist_is_an_environment_failure() throws Exception {
        Path repo = FixtureRepo.withSecondMigration(FixtureRepo.ADD_COLUMN);
        var text = new StringWriter();
        var line = Ops.commandLine();
        line.setOut(new PrintWriter(text, true));

        int exit = line.execute("compat-test", "--base", "no-such-ref", "--repo", repo.toString());

        assertEquals(3, exit, text.toString());
        assertTrue(text.toString().startsWith("compat-test could not run: git rev-parse --verify --short no-such-ref^{commit}: "), text.toString());
    }

    private static String worktrees(Path repo) throws Exception {
        Process process = new ProcessBuilder("git", "worktree", "list", "--porcelain").directory(repo.toFile()).start();
        String listing = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        String self = "worktree " + repo.toRealPath();
        return listing.lines().filter(l -> l.startsWith("worktree ") && !l.equals(self)).reduce("", String::concat);
    }
}
