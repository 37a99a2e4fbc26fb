package dev.valence.ops.lintreplay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness both corpora run through ({@code lint-replay}, written beside the linter, and {@code lint-holdout},
 * which its author never reads): a folder of cases, a base schema, seed rows and the previous release's shared
 * queries. Each case is replayed on its own copy of the seeded database; before it is applied, {@code ops lint}
 * runs on it twice, as an operator could before a deploy: on the files alone, and with {@code --database} (that
 * copy, so its table sizes) and {@code --old-queries} (the shared and the case's own previous-release queries).
 */
final class CorpusReplay implements AutoCloseable {
    private final Path corpus;
    private final String baseSchema;
    private final String sharedQueries;
    private final List<ReplayCase> cases;
    private final SeededPostgres postgres;

    record Result(String summary, String report, List<String> mismatches, LintComparison filesOnly, LintComparison withContext) {}

    private CorpusReplay(Path corpus, String baseSchema, String sharedQueries, List<ReplayCase> cases, SeededPostgres postgres) {
        this.corpus = corpus;
        this.baseSchema = baseSchema;
        this.sharedQueries = sharedQueries;
        this.cases = cases;
        this.postgres = postgres;
    }

    /** Loads the cases under {@code corpus} whose names match {@code only} (all when blank) and seeds the database. */
    static CorpusReplay start(Path corpus, String only) throws IOException {
        String baseSchema = Files.readString(corpus.resolve("base-schema.sql"));
        List<ReplayCase> cases = ReplayCase.load(corpus.resolve("cases"));
        if (!only.isBlank()) cases = cases.stream().filter(c -> c.name().matches(only)).toList();
        SeededPostgres postgres = SeededPostgres.start(baseSchema, Files.readString(corpus.resolve("seed.sql")));
        return new CorpusReplay(corpus, baseSchema, Files.readString(corpus.resolve("old-release.sql")), cases, postgres);
    }

    List<ReplayCase> cases() {
        return cases;
    }

    /** Replays every case, lints it both ways, and writes the full report (every case's line too) to {@code reportFile}. */
    Result run(Path scratch, Path reportFile, boolean withEvidence) throws SQLException, IOException {
        var replayer = new Replayer(postgres, sharedQueries);
        var filesOnly = new LintComparison("ops lint on the migration files alone");
        var withContext = new LintComparison("ops lint --database (the seeded database before the case) --old-queries (the previous release's SQL)");
        var mismatches = new ArrayList<String>();
        var evidence = new ArrayList<String>();
        int[] counts = new int[4];
        long started = System.nanoTime();
        for (ReplayCase c : cases) {
            Path oldQueries = LintBlackBox.oldQueries(c, sharedQueries, scratch);
            var contextFindings = new ArrayList<List<LintBlackBox.Finding>>();
            Replayer.Observation seen = replayer.replay(c, database -> contextFindings.add(LintBlackBox.lint(c, baseSchema,
                    scratch, "--database", postgres.url(database), "--old-queries", oldQueries.toString())));
            evidence.add("  " + c.name() + ": " + seen.show());
            if (seen.failure() != null || !seen.categories().equals(c.expected())) {
                mismatches.add(c.file() + " " + c.name() + ": labelled " + Category.show(c.expected()) + ", replayed " + seen.show());
            }
            counts[seen.categories().contains(Category.BREAKING) ? (seen.categories().size() == 2 ? 3 : 1)
                    : seen.categories().isEmpty() ? 0 : 2]++;
            var verdict = seen.failure() == null ? seen.categories() : c.expected();
            filesOnly.add(c, verdict, LintBlackBox.lint(c, baseSchema, scratch), seen.show());
            withContext.add(c, verdict, contextFindings.isEmpty() ? List.of() : contextFindings.getFirst(), seen.show());
        }
        String counted = String.format("%s: replayed %d cases in %d s: %d safe, %d breaking, %d locking, %d breaking and locking%n",
                corpus.getFileName(), cases.size(), (System.nanoTime() - started) / 1_000_000_000L, counts[0], counts[1], counts[2], counts[3]);
        String summary = counted + filesOnly.summary() + withContext.summary();
        String report = counted + filesOnly.report() + withContext.report();
        Files.writeString(reportFile, report + "\nmismatches:\n" + String.join("\n", mismatches)
                + "\n\nevery case with ops lint --database --old-queries (file, name, replayed verdict, codes flagged):\n"
                + withContext.details()
                + "\nevery case on the files alone:\n" + filesOnly.details()
                + (withEvidence ? "\nwhat PostgreSQL did in every case:\n" + String.join("\n", evidence) + "\n" : ""));
        return new Result(summary, report, mismatches, filesOnly, withContext);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
