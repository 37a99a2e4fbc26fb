package dev.valence.ops.lintreplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The held-out lint corpus ({@code src/test/resources/lint-holdout}): a second author's cases on a schema of its
 * own (a shop: customers, products, orders, partitioned readings, bookings, notes read through a role), replayed by
 * the same harness as {@link LintReplayTest}. Whoever tunes the linter on the first corpus never reads these
 * cases, so the comparison printed here (and written to {@code target/lint-holdout-report.txt}) measures the
 * linter on migrations it was not fitted to; it is printed, not asserted. {@code -Dlintholdout.only=REGEX}
 * replays only the cases whose names match.
 */
class LintHoldoutTest {
    private static final Path CORPUS = Path.of("src/test/resources/lint-holdout");

    private static SeededPostgres postgres;
    private static String baseSchema;
    private static List<ReplayCase> cases;

    @BeforeAll
    static void seed() throws Exception {
        baseSchema = Files.readString(CORPUS.resolve("base-schema.sql"));
        cases = ReplayCase.load(CORPUS.resolve("cases"));
        String only = System.getProperty("lintholdout.only", "");
        if (!only.isBlank()) {
            cases = cases.stream().filter(c -> c.name().matches(only)).toList();
        }
        postgres = SeededPostgres.start(baseSchema, Files.readString(CORPUS.resolve("seed.sql")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void the_held_out_corpus_holds_at_least_80_cases_with_unique_names_and_reasons() {
        assumeTrue(System.getProperty("lintholdout.only", "").isBlank(), "only some cases were selected");
        assertTrue(cases.size() >= 80, "the held-out corpus has " + cases.size() + " cases");
        assertEquals(cases.size(), cases.stream().map(ReplayCase::name).distinct().count(), "case names repeat");
        for (ReplayCase c : cases) {
            assertTrue(!c.why().isBlank(), c.name() + " says nothing under '-- why:'");
        }
    }

    @Test
    void every_held_out_case_does_on_a_seeded_postgresql_what_its_label_says(@TempDir Path scratch) throws Exception {
        var replayer = new Replayer(postgres, Files.readString(CORPUS.resolve("old-release.sql")));
        var comparison = new LintComparison();
        var mismatches = new ArrayList<String>();
        var evidence = new ArrayList<String>();
        int[] counts = new int[4];
        long started = System.nanoTime();
        for (ReplayCase c : cases) {
            Replayer.Observation seen = replayer.replay(c);
            evidence.add("  " + c.name() + ": " + seen.show());
            if (seen.failure() != null || !seen.categories().equals(c.expected())) {
                mismatches.add(c.file() + " " + c.name() + ": labelled " + Category.show(c.expected()) + ", replayed "
                        + seen.show());
            }
            counts[seen.categories().contains(Category.BREAKING) ? (seen.categories().size() == 2 ? 3 : 1)
                    : seen.categories().isEmpty() ? 0 : 2]++;
            comparison.add(c, seen.failure() == null ? seen.categories() : c.expected(),
                    LintBlackBox.lint(c, baseSchema, scratch));
        }
        String report = String.format("held-out corpus: replayed %d cases in %d s: %d safe, %d breaking, %d locking, "
                        + "%d breaking and locking%n", cases.size(), (System.nanoTime() - started) / 1_000_000_000L,
                counts[0], counts[1], counts[2], counts[3])
                + comparison.report();
        System.out.println(report);
        Files.writeString(Path.of("target/lint-holdout-report.txt"), report + "\nmismatches:\n" + String.join("\n", mismatches)
                + "\n\nevery case (file, name, replayed verdict, ops lint codes):\n" + comparison.details()
                + "\nwhat PostgreSQL did in every case:\n" + String.join("\n", evidence) + "\n");
        assertEquals(List.of(), mismatches, "held-out cases that did not replay as labelled");
    }
}
