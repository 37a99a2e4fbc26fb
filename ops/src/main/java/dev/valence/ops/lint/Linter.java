package dev.valence.ops.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lints migration files: split each into statements, parse them into operations, apply the statement
 * rules, then Valence's expand/contract and undo-script rules, then (with a database) the applied-checksum rule.
 */
final class Linter {
    private final Optional<AppliedChecksums> applied;
    private final DeployContext context;
    private final SchemaModel model = new SchemaModel();

    Linter(Optional<AppliedChecksums> applied) {
        this(applied, DeployContext.none());
    }

    /** {@code context}: what the database and the previous release's SQL say, to settle findings the files cannot. */
    Linter(Optional<AppliedChecksums> applied, DeployContext context) {
        this.applied = applied;
        this.context = context;
    }

    /** The .sql files named, or found under the directories named, in version order within each directory. */
    static List<Path> migrationFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.isDirectory(input)) {
                files.add(input);
                continue;
            }
            try (Stream<Path> walk = Files.walk(input)) {
                walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".sql"))
                        .sorted(Comparator.comparing((Path p) -> p.getParent().toString())
                                .thenComparingLong(p -> MigrationFile.of(p).order())
                                .thenComparing(Path::toString))
                        .forEach(files::add);
            }
        }
        return files;
    }

    List<Finding> lintFiles(List<Path> files) throws IOException, SQLException {
        List<Finding> findings = new ArrayList<>();
        for (Path path : files) {
            String sql = Files.readString(path, StandardCharsets.UTF_8);
            MigrationFile file = MigrationFile.of(path);
            // an applied migration already changed the rows: asking them what it would do answers nothing
            boolean pending = applied.isEmpty() || !applied.get().isApplied(file);
            findings.addAll(lint(file, sql, pending));
            if (file.isUndo() && !Files.exists(path.resolveSibling(file.migrationName()))) {
                findings.add(Finding.ofFile(Rule.UNDO_SCRIPT, file.display(), file.name() + " has no " + file.migrationName()
                        + " beside it, so ops migrate --undo " + file.undoOf() + " would never find it",
                        "name it U<version>__<the description of its migration>.sql, in the same directory as the migration"));
            }
            if (applied.isPresent()) applied.get().check(file, sql).ifPresent(findings::add);
        }
        return findings;
    }

    /** The findings for one file's text; {@code file} tells its place (app, control or elsewhere). */
    List<Finding> lint(MigrationFile file, String sql) {
        return lint(file, sql, true);
    }

    /** {@code pending}: the migration has not run on the database yet, so its rows tell what it would do. */
    List<Finding> lint(MigrationFile file, String sql, boolean pending) {
        List<SqlStatement> statements;
        try {
            statements = SqlStatement.split(sql);
        } catch (SqlSyntaxException e) {
            return List.of(new Finding(Rule.UNREADABLE_SQL, Severity.ERROR, file.display(), e.line(), "",
                    Rule.UNREADABLE_SQL.sentence(e.getMessage()), Rule.UNREADABLE_SQL.fix()));
        }
        List<Finding> findings = new ArrayList<>();
        Optional<Declaration> declaration = file.mustDeclare() ? Declaration.check(file, statements, findings) : Optional.empty();
        List<Operation> operations = new ArrayList<>();
        for (SqlStatement statement : statements) operations.addAll(StatementParser.parse(statement));
        var checker = new RuleChecker(file.display(), model, runsInOneTransaction(statements),
                pending ? context.rows() : Optional.empty(), context.smallTableRows());
        List<Finding> ruleFindings = context.judge(checker.check(operations), checker::operationOf, model);
        context.recordSchema(statements);
        if (file.isUndo()) UndoScripts.check(file, statements, findings);
        findings.addAll(ProjectRules.apply(file, declaration, ruleFindings));
        findings.sort(Comparator.comparingInt(Finding::line));
        return findings;
    }

    /**
     * Flyway runs a migration in one transaction unless a statement refuses to run inside one (CREATE INDEX
     * CONCURRENTLY and its kin, VACUUM); then each statement commits, and its locks go, on its own.
     */
    private static boolean runsInOneTransaction(List<SqlStatement> statements) {
        return statements.stream().noneMatch(s -> s.tokens().getFirst().isWord("vacuum")
                || (s.tokens().stream().anyMatch(t -> t.isWord("concurrently")) && !s.tokens().getFirst().isWord("refresh")));
    }

    /** Lints SQL text as if it were the file at {@code path}; for tests and for one-off checks. */
    static List<Finding> lintText(String path, String sql) {
        return new Linter(Optional.empty()).lint(MigrationFile.of(Path.of(path)), sql);
    }
}
