package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The schema the migrations linted so far built: columns (type, NOT NULL, DEFAULT), CHECK constraints and their
 * validity, unique indexes and constraints, foreign keys, functions (language, volatility, body), views, domains
 * and partitioned tables. Rules whose verdict depends on the schema before a statement read it here, so a
 * statement is judged against what PostgreSQL would find, not against a pattern. Names are kept without their
 * schema: migrations of one database rarely reuse a table name across schemas, and a wrong match only makes
 * the linter fall back to its conservative verdict.
 */
final class SchemaModel {
    private static final Pattern VARCHAR = Pattern.compile("varchar(?:\\((\\d+)\\))?");
    private static final Pattern PRECISION_TYPES =
            Pattern.compile("(timestamp|time|interval|varbit|bitvarying)(?:\\((\\d+)\\))?(withtimezone|withouttimezone)?");
    private static final Pattern NUMERIC = Pattern.compile("(?:numeric|decimal)(?:\\((\\d+)(?:,(\\d+))?\\))?");

    record Column(String type, boolean notNull, String defaultExpression) {}

    /** A CHECK constraint; {@code columns} are the table's columns its expression names. */
    record Check(String name, String expression, Set<String> columns, boolean valid) {}

    /** A unique index or constraint; {@code plain} when it has neither a predicate nor an expression key. */
    record UniqueKey(String table, List<String> columns, boolean plain, boolean constraint) {}

    record Function(String language, char volatility, String body, String returns) {}

    record Domain(String base, boolean constrained) {}

    private final Map<String, Column> columns = new HashMap<>();
    private final Map<String, List<Check>> checks = new HashMap<>();
    private final Map<String, UniqueKey> uniques = new HashMap<>();
    private final Map<String, UniqueKey> otherIndexes = new HashMap<>();
    private final Set<String> foreignKeys = new HashSet<>();
    private final Map<String, Function> functions = new HashMap<>();
    private final Map<String, Set<String>> signatures = new HashMap<>();
    private final Map<String, String> views = new HashMap<>();
    private final Map<String, Domain> domains = new HashMap<>();
    private final Map<String, String> partitionKeys = new HashMap<>();
    private final Set<String> withDefaultPartition = new HashSet<>();
    private final TableFacts facts = new TableFacts();

    TableFacts facts() {
        return facts;
    }

    /** Every table with a known column. */
    Set<String> tables() {
        Set<String> names = new HashSet<>();
        for (String key : columns.keySet()) names.add(key.substring(0, key.indexOf('.')));
        names.removeAll(views.keySet());
        return names;
    }

    static String bare(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String columnKey(String table, String column) {
        return bare(table) + "." + column;
    }

    void define(String table, ColumnDefinition column) {
        columns.put(columnKey(table, column.name()), new Column(column.type(), column.notNull(), column.defaultExpression()));
    }

    Optional<Column> column(String table, String column) {
        return Optional.ofNullable(columns.get(columnKey(table, column)));
    }

    Set<String> columnsOf(String table) {
        Set<String> names = new HashSet<>();
        String prefix = bare(table) + ".";
        for (String key : columns.keySet()) if (key.startsWith(prefix)) names.add(key.substring(prefix.length()));
        return names;
    }

    void retype(String table, String column, String type) {
        column(table, column).ifPresent(c -> columns.put(columnKey(table, column), new Column(type, c.notNull(), c.defaultExpression())));
    }

    void setNotNull(String table, String column, boolean notNull) {
        column(table, column).ifPresent(c -> columns.put(columnKey(table, column), new Column(c.type(), notNull, c.defaultExpression())));
    }

    void setDefault(String table, String column, String expression) {
        column(table, column).ifPresent(c -> columns.put(columnKey(table, column), new Column(c.type(), c.notNull(), expression)));
    }

    void renameColumn(String table, String column, String newName) {
        Column c = columns.remove(columnKey(table, column));
        if (c != null) columns.put(columnKey(table, newName), c);
    }

    void addCheck(String table, Check check) {
        checks.computeIfAbsent(bare(table), t -> new ArrayList<>()).add(check);
    }

    List<Check> checks(String table) {
        return checks.getOrDefault(bare(table), List.of());
    }

    /** Marks a constraint valid; true if it was a known CHECK. */
    boolean validate(String table, String name) {
        List<Check> list = checks.getOrDefault(bare(table), new ArrayList<>());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                Check c = list.get(i);
                list.set(i, new Check(c.name(), c.expression(), c.columns(), true));
                return true;
            }
        }
        return false;
    }

    void dropConstraint(String table, String name) {
        checks.getOrDefault(bare(table), new ArrayList<>()).removeIf(c -> c.name().equals(name));
        uniques.remove(bare(name));
    }

    void addUnique(String name, UniqueKey key) {
        uniques.put(bare(name), key);
    }

    /** A non-unique index; its key is kept to tell which columns it covers. */
    void addIndex(String name, UniqueKey key) {
        otherIndexes.put(bare(name), key);
    }

    /** True if an index (unique or not) of the table has the column in its key. */
    boolean indexed(String table, String column) {
        return Stream.concat(uniques.values().stream(), otherIndexes.values().stream())
                .anyMatch(k -> k.table().equals(bare(table)) && k.columns().contains(column));
    }

    Optional<UniqueKey> unique(String name) {
        return Optional.ofNullable(uniques.get(bare(name)));
    }

    boolean isKnownIndex(String name) {
        return uniques.containsKey(bare(name)) || otherIndexes.containsKey(bare(name));
    }

    void dropIndex(String name) {
        uniques.remove(bare(name));
        otherIndexes.remove(bare(name));
    }

    void renameIndex(String name, String newName) {
        UniqueKey key = uniques.remove(bare(name));
        if (key != null) uniques.put(bare(newName), key);
        UniqueKey other = otherIndexes.remove(bare(name));
        if (other != null) otherIndexes.put(bare(newName), other);
    }

    /** True if another plain unique index or constraint of the table has exactly these columns: ON CONFLICT still infers it. */
    boolean hasOtherPlainUnique(String exceptName, UniqueKey key) {
        return uniques.entrySet().stream().anyMatch(e -> !e.getKey().equals(bare(exceptName)) && e.getValue().plain()
                && e.getValue().table().equals(key.table()) && Set.copyOf(e.getValue().columns()).equals(Set.copyOf(key.columns())));
    }

    void addForeignKey(String table, List<String> columns, String referenced) {
        foreignKeys.add(foreignKeySignature(table, columns, referenced));
    }

    /** Foreign keys are remembered even once dropped: the previous release's writes obeyed them while they stood. */
    boolean hadForeignKey(String table, List<String> columns, String referenced) {
        return foreignKeys.contains(foreignKeySignature(table, columns, referenced));
    }

    private static String foreignKeySignature(String table, List<String> columns, String referenced) {
        return bare(table) + columns + "->" + bare(referenced);
    }

    /** Records that a function of this name takes these argument types (comma-separated, as PostgreSQL identifies it). */
    void addSignature(String name, String argumentTypes) {
        signatures.computeIfAbsent(bare(name), n -> new HashSet<>()).add(argumentTypes);
    }

    /** True if a function of this name with these argument types was created (defaults, marked "=", do not count). */
    boolean hasSignature(String name, String argumentTypes) {
        return signatures.getOrDefault(bare(name), Set.of()).stream().anyMatch(s -> s.replace("=", "").equals(argumentTypes.replace("=", "")));
    }

    /** The argument types of every function of this name, each a comma-separated list with "=" after a defaulted one. */
    Set<String> signatures(String name) {
        return signatures.getOrDefault(bare(name), Set.of());
    }

    void defineFunction(String name, Function function) {
        functions.put(bare(name), function);
    }

    Optional<Function> function(String name) {
        return Optional.ofNullable(functions.get(bare(name)));
    }

    void defineView(String name, String body) {
        views.put(bare(name), body);
    }

    Optional<String> view(String name) {
        return Optional.ofNullable(views.get(bare(name)));
    }

    void defineDomain(String name, Domain domain) {
        domains.put(bare(name), domain);
    }

    Optional<Domain> domain(String name) {
        return Optional.ofNullable(domains.get(bare(name)));
    }

    /** True if a column of an existing table has the domain as its type. */
    boolean domainInUse(String name) {
        return columns.values().stream().anyMatch(c -> c.type().equals(bare(name)) || c.type().equals(name));
    }

    void definePartitioned(String table, String keyColumn) {
        partitionKeys.put(bare(table), keyColumn);
    }

    Optional<String> partitionKey(String table) {
        return Optional.ofNullable(partitionKeys.get(bare(table)));
    }

    void addDefaultPartition(String parent) {
        withDefaultPartition.add(bare(parent));
    }

    boolean hasDefaultPartition(String parent) {
        return withDefaultPartition.contains(bare(parent));
    }

    /**
     * True when PostgreSQL changes {@code oldType} to {@code newType} without rewriting the table: the cast is binary
     * coercible (pg_cast method 'b': varchar and text) or the type's length coercion is a no-op by its support
     * function (varchar(n) to a wider varchar, numeric(p,s) to numeric(q,s) with q >= p or to unconstrained numeric).
     */
    static boolean isBinaryCoercibleWidening(String oldType, String newType) {
        Matcher oldVarchar = VARCHAR.matcher(oldType);
        Matcher newVarchar = VARCHAR.matcher(newType);
        boolean oldIsText = oldType.equals("text");
        if (newType.equals("text")) return oldIsText || oldVarchar.matches();
        Matcher oldNumeric = NUMERIC.matcher(oldType.replace(" ", ""));
        Matcher newNumeric = NUMERIC.matcher(newType.replace(" ", ""));
        if (oldNumeric.matches() && newNumeric.matches()) return numericWidening(oldNumeric, newNumeric);
        Matcher oldTime = PRECISION_TYPES.matcher(oldType.replace(" ", ""));
        Matcher newTime = PRECISION_TYPES.matcher(newType.replace(" ", ""));
        if (oldTime.matches() && newTime.matches() && oldTime.group(1).equals(newTime.group(1))
                && Objects.equals(oldTime.group(3), newTime.group(3))) {
            // timestamp(p), time(p), interval(p), bit varying(n): a wider or removed limit is a no-op by the type's support function
            return newTime.group(2) == null || oldTime.group(2) != null && Integer.parseInt(newTime.group(2)) >= Integer.parseInt(oldTime.group(2));
        }
        if (!newVarchar.matches()) return false;
        if (newVarchar.group(1) == null) return oldIsText || oldVarchar.matches();
        if (!oldVarchar.matches() || oldVarchar.group(1) == null) return false;
        return Integer.parseInt(newVarchar.group(1)) >= Integer.parseInt(oldVarchar.group(1));
    }

    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");

    /**
     * True when {@code newType} holds fewer values of the same kind, written the same way: text or varchar to a shorter
     * varchar, a narrower integer, numeric with less precision at the same scale. Then a value that fits reads back as it
     * was, and the rows tell whether every stored one fits.
     */
    static boolean isNarrowingInFamily(String oldType, String newType) {
        String from = oldType.replace(" ", "").replace("charactervarying", "varchar");
        String to = newType.replace(" ", "").replace("charactervarying", "varchar");
        if ((from.equals("text") || VARCHAR.matcher(from).matches()) && VARCHAR.matcher(to).matches()) return true;
        String fromInt = INTEGER_ALIASES.getOrDefault(from, from);
        String toInt = INTEGER_ALIASES.getOrDefault(to, to);
        if (INTEGERS.contains(fromInt) && INTEGERS.contains(toInt)) return INTEGERS.indexOf(toInt) < INTEGERS.indexOf(fromInt);
        Matcher oldNumeric = NUMERIC.matcher(from);
        Matcher newNumeric = NUMERIC.matcher(to);
        if (!oldNumeric.matches() || !newNumeric.matches() || newNumeric.group(1) == null) return false;
        String oldScale = oldNumeric.group(2) == null ? "0" : oldNumeric.group(2);
        String newScale = newNumeric.group(2) == null ? "0" : newNumeric.group(2);
        // an unconstrained numeric keeps each value's own scale, which numeric(p,s) would change
        return oldNumeric.group(1) != null && oldScale.equals(newScale);
    }

    private static final Map<String, String> INTEGER_ALIASES = Map.of("int", "integer", "int4", "integer", "int8", "bigint",
            "int2", "smallint", "serial", "integer", "bigserial", "bigint", "smallserial", "smallint");

    private static boolean numericWidening(Matcher oldNumeric, Matcher newNumeric) {
        if (newNumeric.group(1) == null) return true;
        if (oldNumeric.group(1) == null) return false;
        int oldScale = oldNumeric.group(2) == null ? 0 : Integer.parseInt(oldNumeric.group(2));
        int newScale = newNumeric.group(2) == null ? 0 : Integer.parseInt(newNumeric.group(2));
        return newScale == oldScale && Integer.parseInt(newNumeric.group(1)) >= Integer.parseInt(oldNumeric.group(1));
    }
}
