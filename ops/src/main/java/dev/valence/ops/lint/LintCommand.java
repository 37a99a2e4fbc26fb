package dev.valence.ops.lint;

import dev.valence.ops.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./valence ops lint [FILES|DIRS...]}: refuse migrations that break the previous release or lock heavily. */
@Command(name = "lint", mixinStandardHelpOptions = true, subcommands = ExplainCommand.class,
        description = {"Lint SQL migrations: breaking and heavily locking operations, expand/contract declarations,",
                "and (with --database) applied migrations that changed. Exit 1 on any error (or warning with --strict).",
                "With --database, locking findings on tables under --small-table-rows rows become accepted notes;",
                "with --old-queries (or --old-release), breaking findings on objects the previous release's SQL never uses do too.",
                "Rule details: ops lint explain CODE."})
public final class LintCommand implements Callable<Integer> {
    static final Path DEFAULT_MIGRATIONS = Path.of("migrations/src/main/resources/db/migration");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILES|DIRS", arity = "0..*",
            description = "SQL files or directories to lint (default: ${DEFAULT-VALUE}).")
    List<Path> inputs = List.of(DEFAULT_MIGRATIONS);

    @Option(names = "--format", paramLabel = "human|json", defaultValue = "human",
            description = "Output format: human (default) or json.")
    String format;

    @Option(names = "--strict", description = "Fail on warnings too.")
    boolean strict;

    @Option(names = "--database", paramLabel = "URL",
            description = {"The database the migrations will run on (postgres://... or jdbc:postgresql://...): applied files must",
                    "still match its Flyway history, and its table sizes (pg_class.reltuples) tell which locks are short."})
    String databaseUrl;

    @Option(names = "--small-table-rows", paramLabel = "ROWS", defaultValue = "${env:LINT_SMALL_TABLE_ROWS:-10000}",
            description = "With --database: a table with fewer rows is locked only for moments (default: $LINT_SMALL_TABLE_ROWS or ${DEFAULT-VALUE}).")
    long smallTableRows;

    @Option(names = "--old-queries", paramLabel = "FILE|DIR",
            description = {"SQL the previous release sends (its .sql files, or statements captured from pg_stat_statements),",
                    "a file or a directory of .sql files (repeat the option for more): breaking findings on objects it never uses are accepted.",
                    "Without it every object counts as used."})
    List<Path> oldQueries;

    @Option(names = "--old-release", paramLabel = "REF",
            description = {"The previous release as a git revision (tag, branch, commit) of the repository the migrations are in:",
                    "its SQL files and the SQL in its source files' string literals, as they were at REF, count as --old-queries."})
    String oldRelease;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        FindingFormat findingFormat;
        try {
            findingFormat = FindingFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("--format must be human or json, got '" + format + "'");
            return ExitCodes.USAGE;
        }
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                err.println("lint: " + input + " does not exist; run from the repository root or name the migration files");
                return ExitCodes.ENVIRONMENT;
            }
        }
        if (smallTableRows < 0) {
            err.println("--small-table-rows must be 0 or more, got " + smallTableRows);
            return ExitCodes.USAGE;
        }
        Optional<OldReleaseUsage> usage;
        try {
            usage = oldQueries == null && oldRelease == null ? Optional.empty()
                    : Optional.of(readOldQueries(oldQueries == null ? List.of() : oldQueries));
            if (oldRelease != null) {
                OldRelease.read(inputs.getFirst(), oldRelease, usage.get());
                usage.get().source((oldQueries == null ? "" : "--old-queries and ") + "--old-release " + oldRelease);
            }
        } catch (SqlSyntaxException e) {
            err.println("lint: --old-queries: " + e.getMessage() + "; pass the previous release's SQL as complete statements");
            return ExitCodes.USAGE;
        } catch (OldRelease.OldReleaseException e) {
            err.println("lint: --old-release: " + e.getMessage() + (e.badRevision
                    ? "; name a tag, branch or commit of that repository (git tag lists the releases)"
                    : "; run ops lint on migrations inside the release's git checkout, or pass --old-queries instead"));
            return e.badRevision ? ExitCodes.USAGE : ExitCodes.ENVIRONMENT;
        } catch (IOException e) {
            err.println("lint: --old-queries: cannot read " + e.getMessage() + "; check the path and its permissions");
            return ExitCodes.ENVIRONMENT;
        }
        try (AppliedChecksums applied = databaseUrl == null ? null : AppliedChecksums.connect(databaseUrl);
             LiveCatalog catalog = databaseUrl == null ? null : LiveCatalog.connect(databaseUrl, smallTableRows)) {
            List<Path> files = Linter.migrationFiles(inputs);
            var context = new DeployContext(Optional.ofNullable(catalog), usage, smallTableRows);
            List<Finding> findings = new Linter(Optional.ofNullable(applied), context).lintFiles(files);
            spec.commandLine().getOut().print(findingFormat.render(findings, files.size()));
            spec.commandLine().getOut().flush();
            boolean refused = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR
                    || (strict && f.severity() == Severity.WARNING));
            return refused ? ExitCodes.REFUSED : ExitCodes.OK;
        } catch (SQLException e) {
            err.println("lint: cannot read Flyway history from --database: " + e.getMessage() + " (SQLSTATE " + e.getSQLState()
                    + "); check the URL and that the database is up");
            return ExitCodes.ENVIRONMENT;
        } catch (IOException e) {
            err.println("lint: cannot read " + e.getMessage() + "; check the path and its permissions");
            return ExitCodes.ENVIRONMENT;
        } catch (IllegalArgumentException e) {
            err.println("lint: " + e.getMessage().replace("DATABASE_URL", "--database"));
            return ExitCodes.USAGE;
        }
    }

    /** Every statement of the files named, and of the .sql files under the directories named. */
    private static OldReleaseUsage readOldQueries(List<Path> inputs) throws IOException {
        var usage = new OldReleaseUsage();
        for (Path input : inputs) {
            if (!Files.exists(input)) throw new java.nio.file.NoSuchFileException(input.toString());
            List<Path> files;
            try (var walk = Files.walk(input)) {
                files = walk.filter(p -> Files.isRegularFile(p) && (p.equals(input) || p.toString().endsWith(".sql"))).sorted().toList();
            }
            for (Path file : files) {
                try {
                    usage.add(Files.readString(file));
                } catch (SqlSyntaxException e) {
                    throw new SqlSyntaxException(e.line(), file + " line " + e.line() + ": " + e.getMessage());
                }
            }
        }
        return usage;
    }
}
