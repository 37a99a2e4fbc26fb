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
            description = "A database (postgres://... or jdbc:postgresql://...) whose Flyway history files must still match.")
    String databaseUrl;

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
        try (AppliedChecksums applied = databaseUrl == null ? null : AppliedChecksums.connect(databaseUrl)) {
            List<Path> files = Linter.migrationFiles(inputs);
            List<Finding> findings = new Linter(Optional.ofNullable(applied)).lintFiles(files);
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
}
