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
    private static final Set<Rule> JUDGES_OLD_WRITES = Set.of(Rule.CONSTRAINT_ON_OLD_WRITES, Rule.DML_WITHOUT_WHERE);

    private final Optional<LiveCatalog> catalog;
    private final Optional<OldReleaseUsage> usage;
    private final long smallTableRows;
    /**
     * Per name, how many statements of the earlier migration files name it. A name in more than one (its definition and
     * something else: a view, a trigger's function, a default, a CHECK, an index) may be used by the previous release
     * without its SQL naming it (its INSERT fires the trigger, its SELECT reads the view), so it counts as used.
     */
    private final java.util.Map<String, Integer> schemaMentions = new java.util.HashMap<>();

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
        }
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
        if (breaks) {
            Optional<String> unused = unused(rule, op, model);
            if (unused.isEmpty()) return finding;
            reasons.add(unused.get());
        }
        if (locks) {
            Optional<String> small = small(rule, op);
            if (small.isEmpty()) return finding;
            reasons.add(small.get());
        }
        return finding.withSeverity(Severity.INFO, finding.message() + "; accepted: " + String.join(", and ", reasons));
    }

    /** Why the lock does not matter, if the database shows every table it works through is small. */
    private Optional<String> small(Rule rule, Operation op) {
        if (catalog.isEmpty()) return Optional.empty();
        List<String> tables = new ArrayList<>(List.of(op.target()));
        if (rule == Rule.PARTITION_SCAN) tables.add(op.detail());
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
        String never = "the previous release's SQL (--old-queries) never ";
        // a schema's objects are reached through search_path without its name, an extension's functions and types without
        // the extension's; privileges and row security bind the role the release connects as, which its SQL does not show
        if (op.detail().equals("schema") || op.detail().equals("extension") || op.arg(0).equals("schema") || op.arg(0).equals("extension")) {
            return Optional.empty();
        }
        Optional<String> unused = unusedBySql(op, used, never, model);
        String object = COLUMN_KINDS.contains(op.kind()) || op.kind() == Operation.Kind.RENAME_CONSTRAINT ? column : table;
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
            case DROP_RELATION, RENAME_TABLE, DML_WITHOUT_WHERE, ADD_REQUIRED_COLUMN, REPLICA_IDENTITY, CREATE_RULE, REMOVE_RULE,
                 REMOVE_TRIGGER, ENABLE_TRIGGER, CREATE_TRIGGER, VIEW_OPTION, CREATE_VIEW, RENAME_OBJECT, DROP_OBJECT, FUNCTION_CHANGE,
                 CREATE_FUNCTION ->
                    table.contains(":") || used.names(table) ? Optional.empty() : Optional.of(never + "names " + table);
            case INHERITANCE, DETACH_PARTITION -> used.names(table) || used.names(op.detail()) ? Optional.empty()
                    : Optional.of(never + "names " + table + " nor " + op.detail());
            case RENAME_CONSTRAINT -> used.names(column) ? Optional.empty() : Optional.of(never + "names constraint " + column);
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
