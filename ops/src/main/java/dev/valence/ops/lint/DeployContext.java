package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the migration files cannot tell and an operator about to deploy can: how big the tables are (the database,
 * {@code --database}) and what the previous release's SQL uses ({@code --old-queries}). A finding whose every
 * harm one of these rules out is kept as an accepted note that says why; one the context does not settle stays as
 * it is. Without either, nothing changes: an unknown table size or usage is taken to be the harmful one.
 *
 * <ul>
 *   <li>A lock matters in proportion to the rows its statement rewrites or scans under it: on a table under
 *       {@code smallTableRows} rows the statement holds it for moments.</li>
 *   <li>A change breaks the previous release only through the objects that release's statements use: a column it
 *       never names (nor reads through {@code *}, a view or a function), a table, view, function or sequence it
 *       never names, a constraint name it never names. Defaults and identities matter only to its INSERTs that
 *       leave the column out.</li>
 * </ul>
 */
final class DeployContext {
    private static final Pattern WORD = Pattern.compile("[a-z_][a-z0-9_$]*");
    /** Locking rules that also, or only, work through every row: sized by the table they name. */
    private static final Set<Rule> ROW_WORK = Set.of(Rule.DML_WITHOUT_WHERE);
    /** The previous release's writes from now on pass through the new constraint (NOT VALID or not). */
    private static final Set<Rule> JUDGES_OLD_WRITES = Set.of(Rule.CONSTRAINT_ON_OLD_WRITES, Rule.DML_WITHOUT_WHERE, Rule.TRUNCATE);
    /**
     * Renames reach only what stores the old name as text: the previous release's SQL and function bodies (PL/pgSQL and
     * SQL functions are kept as source and planned at call time). Views, defaults, CHECKs, indexes, triggers, policies and
     * column types refer to what they use by oid, and follow a rename.
     */
    private static final Set<Operation.Kind> RENAMES = java.util.EnumSet.of(Operation.Kind.RENAME_COLUMN, Operation.Kind.RENAME_TABLE,
            Operation.Kind.RENAME_OBJECT, Operation.Kind.RENAME_CONSTRAINT, Operation.Kind.RENAME_INDEX);

    private final Optional<LiveCatalog> catalog;
    private final Optional<OldReleaseUsage> usage;
    private final long smallTableRows;
    /**
     * Per name, how many statements of the earlier migration files name it. A name in more than one (its definition and
     * something else: a view, a trigger's function, a default, a CHECK, an index) may be used by the previous release
     * without its SQL naming it (its INSERT fires the trigger, its SELECT reads the view), so it counts as used.
     */
    private final java.util.Map<String, Integer> schemaMentions = new java.util.HashMap<>();
    /** The names function bodies of earlier migrations mention: they resolve them by name at every call. */
    private final Set<String> bodyMentions = new HashSet<>();
    /** The names view definitions of earlier migrations mention: a query of the view reads them. */
    private final Set<String> viewMentions = new HashSet<>();
    /** Changes of which rows a table holds, which reach the previous release only where something reads them. */
    private static final Set<Operation.Kind> READS_ONLY = java.util.EnumSet.of(Operation.Kind.ATTACH_PARTITION, Operation.Kind.TRUNCATE);

    DeployContext(Optional<LiveCatalog> catalog, Optional<OldReleaseUsage> usage, long smallTableRows) {
        this.catalog = catalog;
        this.usage = usage;
        this.smallTableRows = smallTableRows;
    }

    static DeployContext none() {
        return new DeployContext(Optional.empty(), Optional.empty(), 0);
    }

    /** Counts the names {@code statements} (one migration file, already judged) mention, once per statement. */
    void recordSchema(List<SqlStatement> statements) {
        for (SqlStatement statement : statements) {
            Set<String> named = new HashSet<>();
            for (SqlToken token : statement.tokens()) {
                if (token.isIdentifier()) named.add(token.value());
                else if (token.kind() == SqlToken.Kind.STRING) named.add(SchemaModel.bare(token.value().toLowerCase(Locale.ROOT)));
            }
            named.forEach(name -> schemaMentions.merge(name, 1, Integer::sum));
            if (definesRoutine(statement)) recordBodies(statement);
            if (definesView(statement)) viewMentions.addAll(named);
        }
    }

    private static boolean definesRoutine(SqlStatement statement) {
        var cursor = new TokenCursor(statement.tokens());
        cursor.accept("create");
        cursor.accept("or", "replace");
        return cursor.peek().isWord("function") || cursor.peek().isWord("procedure");
    }

    private static boolean definesView(SqlStatement statement) {
        var cursor = new TokenCursor(statement.tokens());
        cursor.accept("create");
        cursor.accept("or", "replace");
        cursor.accept("materialized");
        return cursor.peek().isWord("view");
    }

    private void recordBodies(SqlStatement statement) {
        for (SqlToken token : statement.tokens()) {
            if (token.kind() != SqlToken.Kind.STRING) continue;
            try {
                for (SqlToken inner : SqlLexer.tokenize(token.value())) {
                    if (inner.isIdentifier()) bodyMentions.add(inner.value());
                    else if (inner.kind() == SqlToken.Kind.STRING) bodyMentions.add(SchemaModel.bare(inner.value().toLowerCase(Locale.ROOT)));
                }
            } catch (SqlSyntaxException e) {
                // a string that is no SQL (a setting's value, say) names nothing
            }
        }
    }

    /** The database's rows, for the rules that ask them (how many rows a WHERE matches, whether a table holds any). */
    Optional<LiveRows> rows() {
        return catalog.map(LiveCatalog::rowsOf);
    }

    long smallTableRows() {
        return smallTableRows;
    }

    /** True if some earlier migration besides the one defining {@code name} names it: the schema itself may use it. */
    private boolean usedBySchema(String name) {
        return schemaMentions.getOrDefault(SchemaModel.bare(name), 0) > 1;
    }

    /** The findings, with those the context shows harmless turned into accepted notes saying why. */
    List<Finding> judge(List<Finding> findings, Function<Finding, Operation> operationOf, SchemaModel model) {
        if (catalog.isEmpty() && usage.isEmpty()) return findings;
        usage.ifPresent(u -> u.expandThrough(model));
        List<Finding> out = new ArrayList<>();
        for (Finding finding : findings) {
            Operation op = operationOf.apply(finding);
            out.add(op == null ? finding : judge(finding, op, model));
        }
        return out;
    }

    private Finding judge(Finding finding, Operation op, SchemaModel model) {
        Rule rule = finding.rule();
        boolean breaks = rule.breaksPreviousRelease() || JUDGES_OLD_WRITES.contains(rule);
        boolean locks = rule.locksHeavily() || ROW_WORK.contains(rule);
        if (!breaks && !locks) return finding;
        List<String> reasons = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        if (breaks) {
            Optional<String> settled = unused(rule, op, model).or(() -> rowsSettle(rule, op, model, unchecked));
            if (settled.isEmpty()) return noting(finding, unchecked);
            reasons.add(settled.get());
        }
        if (locks) {
            Optional<String> small = small(rule, op);
            if (small.isEmpty()) return noting(finding, unchecked);
            reasons.add(small.get());
        }
        return finding.withSeverity(Severity.INFO, finding.message() + "; accepted: " + String.join(", and ", reasons));
    }

    /** The finding as it was, saying why the rows were not asked when that was the reason it stays. */
    private static Finding noting(Finding finding, List<String> unchecked) {
        return unchecked.isEmpty() ? finding : finding.withSeverity(finding.severity(), finding.message() + "; " + String.join(", ", unchecked));
    }

    /**
     * Why the previous release's writes pass, if the rows show it: no row violates the new CHECK, holds NULL where NOT
     * NULL comes, or holds a value the narrower type cannot; a TRUNCATE of an empty table; a sequence change that leaves
     * its numbers clear of every stored one and of its limit. The rows the previous release wrote are the evidence of what
     * it writes; a value it would write that no row holds yet is not seen (README, "what is knowingly not caught").
     */
    private Optional<String> rowsSettle(Rule rule, Operation op, SchemaModel model, List<String> unchecked) {
        if (catalog.isEmpty()) return Optional.empty();
        LiveRows rows = catalog.get().rowsOf();
        String table = op.target();
        String bareTable = SchemaModel.bare(table);
        LiveRows.Answer answer;
        String passes;
        switch (op.kind()) {
            case ADD_CHECK -> {
                if (oldWriteRejected(table, op.arg(1), model, rows, unchecked)) return Optional.empty();
                answer = rows.anyRow(table, "NOT (" + op.arg(1) + ")");
                passes = "no row of " + bareTable + " violates it in the database, so the values the previous release has written pass it";
            }
            case SET_NOT_NULL -> {
                if (usage.isPresent() && usage.get().insertsOmitting(table, op.column())
                        && model.column(table, op.column()).map(c -> c.defaultExpression().isEmpty()).orElse(true)) return Optional.empty();
                if (oldWriteRejected(table, LiveCatalog.quote(op.column()) + " IS NOT NULL", model, rows, unchecked)) return Optional.empty();
                answer = rows.anyRow(table, LiveCatalog.quote(op.column()) + " IS NULL");
                passes = "no row of " + bareTable + " holds NULL in " + op.column() + " in the database, so the previous release has written none";
            }
            case ALTER_COLUMN_TYPE -> {
                String oldType = op.arg(0);
                if (rule != Rule.ALTER_COLUMN_TYPE || !op.arg(1).equals("plain") || !SchemaModel.isNarrowingInFamily(oldType, op.detail())) {
                    return Optional.empty();
                }
                String column = LiveCatalog.quote(op.column());
                String fits = "(" + column + "::" + op.detail() + ")::" + oldType + " IS NOT DISTINCT FROM " + column;
                if (oldWriteRejected(table, fits, model, rows, unchecked)) return Optional.empty();
                answer = rows.anyRow(table, "NOT (" + fits + ")");
                passes = "every value of " + op.qualifiedColumn() + " in the database fits " + op.detail()
                        + ", so the values the previous release has written do";
            }
            case TRUNCATE -> {
                answer = rows.hasRows(table);
                passes = bareTable + " holds no rows in the database, so TRUNCATE takes nothing the previous release reads";
            }
            case SEQUENCE_CHANGE -> {
                return SequenceHeadroom.settle(rows, op);
            }
            default -> {
                return Optional.empty();
            }
        }
        if (answer.found().isEmpty() && !answer.skipped().isEmpty()) unchecked.add(answer.skipped());
        return answer.found().filter(found -> !found).map(found -> passes);
    }

    /**
     * True (and why, in {@code notes}) if PostgreSQL finds that one of the previous release's own INSERTs or UPDATEs, as
     * written in its SQL, would write a row failing {@code condition}: its writes fail, whatever the stored rows say.
     */
    private boolean oldWriteRejected(String table, String condition, SchemaModel model, LiveRows rows, List<String> notes) {
        if (usage.isEmpty()) return false;
        Optional<String> rejected = OldWrites.rejected(usage.get().writes(), table, condition, model, rows);
        rejected.ifPresent(statement -> notes.add("the previous release's " + statement + " writes a row it rejects"));
        return rejected.isPresent();
    }

    /** Why the lock does not matter, if the database shows every table it works through is small. */
    private Optional<String> small(Rule rule, Operation op) {
        if (catalog.isEmpty()) return Optional.empty();
        List<String> tables = new ArrayList<>(List.of(op.target()));
        if (rule == Rule.PARTITION_SCAN) tables.add(op.detail());
        // counted rows, not the table's size: they are what stays locked
        if (rule == Rule.DATA_CHANGE) return Optional.empty();
        if (op.kind() == Operation.Kind.ADD_FOREIGN_KEY) tables.add(op.arg(1));
        List<String> sizes = new ArrayList<>();
        for (String table : tables) {
            OptionalLong rows = catalog.get().rows(table);
            if (rows.isEmpty() || rows.getAsLong() >= smallTableRows) return Optional.empty();
            sizes.add(table + " holds " + (rows.getAsLong() == 1 ? "1 row" : "about " + rows.getAsLong() + " rows"));
        }
        return Optional.of(String.join(" and ", sizes) + " in the database (under " + smallTableRows
                + ", --small-table-rows), so the lock is held for moments");
    }

    /** Why the change cannot reach the previous release, if its SQL shows it never uses what changes. */
    private Optional<String> unused(Rule rule, Operation op, SchemaModel model) {
        if (usage.isEmpty()) return Optional.empty();
        OldReleaseUsage used = usage.get();
        String table = op.target();
        String column = op.column();
        String never = "the previous release's SQL (" + used.source() + ") never ";
        // a schema's objects are reached through search_path without its name, an extension's functions and types without
        // the extension's; privileges and row security bind the role the release connects as, which its SQL does not show
        if (op.detail().equals("schema") || op.detail().equals("extension") || op.arg(0).equals("schema") || op.arg(0).equals("extension")) {
            return Optional.empty();
        }
        Optional<String> unused = unusedBySql(op, used, never, model);
        String object = COLUMN_KINDS.contains(op.kind()) || op.kind() == Operation.Kind.RENAME_CONSTRAINT ? column : table;
        if (RENAMES.contains(op.kind())) return unused.filter(reason -> !bodyMentions.contains(SchemaModel.bare(object)));
        if (READS_ONLY.contains(op.kind())) {
            // what changes is only which rows there are: the schema reaches them through views and function bodies alone
            return unused.filter(reason -> !bodyMentions.contains(SchemaModel.bare(table)) && !viewMentions.contains(SchemaModel.bare(table)));
        }
        return unused.filter(reason -> !usedBySchema(object));
    }

    private static final Set<Operation.Kind> COLUMN_KINDS = java.util.EnumSet.of(Operation.Kind.DROP_COLUMN, Operation.Kind.RENAME_COLUMN,
            Operation.Kind.ALTER_COLUMN_TYPE, Operation.Kind.DROP_NOT_NULL, Operation.Kind.DROP_EXPRESSION, Operation.Kind.SET_NOT_NULL,
            Operation.Kind.DROP_IDENTITY, Operation.Kind.IDENTITY_CHANGE, Operation.Kind.SET_DEFAULT, Operation.Kind.DROP_DEFAULT);

    private Optional<String> unusedBySql(Operation op, OldReleaseUsage used, String never, SchemaModel model) {
        String table = op.target();
        String column = op.column();
        return switch (op.kind()) {
            case DROP_COLUMN, RENAME_COLUMN, ALTER_COLUMN_TYPE, DROP_NOT_NULL, DROP_EXPRESSION ->
                    used.usesColumn(table, column) ? Optional.empty() : Optional.of(never + "names " + op.qualifiedColumn());
            case SET_NOT_NULL, DROP_IDENTITY, IDENTITY_CHANGE ->
                    used.usesColumn(table, column) || used.insertsOmitting(table, column) ? Optional.empty()
                            : Optional.of(never + "names " + op.qualifiedColumn() + " nor inserts into " + table + " without it");
            case SET_DEFAULT, DROP_DEFAULT -> used.insertsOmitting(table, column) ? Optional.empty()
                    : Optional.of(never + "inserts into " + table + " without naming " + column + ", so its default is never used");
            case DROP_RELATION, RENAME_TABLE, DML_WITHOUT_WHERE, TRUNCATE, ADD_REQUIRED_COLUMN, REPLICA_IDENTITY, CREATE_RULE, REMOVE_RULE,
                 REMOVE_TRIGGER, ENABLE_TRIGGER, CREATE_TRIGGER, VIEW_OPTION, CREATE_VIEW, RENAME_OBJECT, DROP_OBJECT, FUNCTION_CHANGE,
                 CREATE_FUNCTION ->
                    table.contains(":") || used.names(table) ? Optional.empty() : Optional.of(never + "names " + table);
            case INHERITANCE, DETACH_PARTITION -> used.names(table) || used.names(op.detail()) ? Optional.empty()
                    : Optional.of(never + "names " + table + " nor " + op.detail());
            case RENAME_CONSTRAINT -> used.names(column) ? Optional.empty() : Optional.of(never + "names constraint " + column);
            // the rows join the parent's answers; queries of the attached table itself answer as before
            case ATTACH_PARTITION -> used.names(table) ? Optional.empty() : Optional.of(never + "names " + table);
            case RENAME_INDEX -> used.names(table) ? Optional.empty() : Optional.of(never + "names " + table);
            case ADD_CHECK -> {
                Set<String> columns = checkColumns(table, op.arg(1), model);
                yield !used.names(table) || columns.stream().noneMatch(c -> used.usesColumn(table, c))
                        ? Optional.of(never + "names " + table + (used.names(table) ? "'s columns " + String.join(", ", columns) : ""))
                        : Optional.empty();
            }
            case ADD_UNIQUE -> {
                List<String> columns = op.args().subList(Math.min(2, op.args().size()), op.args().size());
                yield !columns.isEmpty() && columns.stream().noneMatch(c -> used.usesColumn(table, c))
                        ? Optional.of(never + "names " + table + "." + String.join(", ", columns)) : Optional.empty();
            }
            // a foreign key also refuses the previous release's deletes of referenced rows
            case ADD_FOREIGN_KEY -> used.names(table) || used.names(op.arg(1)) ? Optional.empty()
                    : Optional.of(never + "names " + table + " nor " + op.arg(1));
            default -> Optional.empty();
        };
    }

    /** The columns of {@code table} a CHECK expression names (every word, when the table's columns are unknown). */
    private static Set<String> checkColumns(String table, String expression, SchemaModel model) {
        Set<String> columns = new HashSet<>();
        Set<String> known = model.columnsOf(table);
        Matcher words = WORD.matcher(expression.toLowerCase(Locale.ROOT));
        while (words.find()) {
            if (known.isEmpty() || known.contains(words.group())) columns.add(words.group());
        }
        return columns;
    }
}
