package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the linter on every case of src/test/resources/lint-corpus (one file each, its first line
 * {@code -- expect: VL101, VL002} or {@code -- expect: none}) and measures recall and false positives.
 */
class LintCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/lint-corpus");
    private static final Path REPO_MIGRATIONS = Path.of("../migrations/src/main/resources/db/migration");

    record Case(Path file, Set<String> expected, Set<String> found) {}

    @Test
    void the_linter_finds_every_expected_code_in_the_corpus_and_nothing_else() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (Path file : Linter.migrationFiles(List.of(CORPUS))) {
            String sql = Files.readString(file);
            String header = sql.lines().findFirst().orElse("");
            assertTrue(header.startsWith("-- expect: "), file + " starts with its expectation");
            Set<String> expected = header.equals("-- expect: none") ? Set.of()
                    : Arrays.stream(header.substring("-- expect: ".length()).split(",")).map(String::strip).collect(Collectors.toSet());
            Set<String> found = Linter.lintText(file.toString(), sql).stream().map(f -> f.rule().code())
                    .collect(Collectors.toCollection(TreeSet::new));
            cases.add(new Case(file, expected, found));
        }
        long expectedCount = cases.stream().mapToLong(c -> c.expected().size()).sum();
        long foundExpected = cases.stream().mapToLong(c -> c.expected().stream().filter(c.found()::contains).count()).sum();
        List<Case> safe = cases.stream().filter(c -> c.expected().isEmpty()).toList();
        long safeFlagged = safe.stream().filter(c -> !c.found().isEmpty()).count();
        List<String> unexpected = cases.stream().flatMap(c -> c.found().stream().filter(code -> !c.expected().contains(code))
                .map(code -> c.file() + ": " + code)).toList();
        List<String> missed = cases.stream().flatMap(c -> c.expected().stream().filter(code -> !c.found().contains(code))
                .map(code -> c.file() + ": " + code)).toList();
        double recall = (double) foundExpected / expectedCount;
        double falsePositiveRate = (double) safeFlagged / safe.size();
        System.out.printf("lint corpus: %d cases (%d safe); recall %d/%d = %.1f%%; false positives %d/%d safe files = %.1f%%, "
                        + "%d unexpected codes%n", cases.size(), safe.size(), foundExpected, expectedCount, recall * 100,
                safeFlagged, safe.size(), falsePositiveRate * 100, unexpected.size());

        assertTrue(cases.size() >= 80, "the corpus has at least 80 cases, has " + cases.size());
        assertTrue(safe.size() * 4 >= cases.size(), "about a third of the corpus is safe, " + safe.size() + " of " + cases.size());
        assertEquals(List.of(), missed, "expected codes the linter missed");
        assertEquals(List.of(), unexpected, "codes the linter reported that the case does not expect");
        assertEquals(1.0, recall);
        assertEquals(0.0, falsePositiveRate);
    }

    @Test
    void the_repository_migrations_lint_clean() throws IOException {
        List<Path> files = Linter.migrationFiles(List.of(REPO_MIGRATIONS));
        assertEquals(12, files.size());
        var linter = new Linter(java.util.Optional.empty());
        List<String> findings = new ArrayList<>();
        for (Path file : files) findings.addAll(Findings.render(linter.lint(MigrationFile.of(file), Files.readString(file))));
        assertEquals(List.of(), findings);
    }
}
