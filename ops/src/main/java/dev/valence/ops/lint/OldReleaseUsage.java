package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the previous release's SQL names: the statements it sends (captured from {@code pg_stat_statements}, or the
 * release's own SQL files), read with the linter's PostgreSQL lexer. Every identifier, and every string literal
 * (which is how {@code nextval('seq')} and {@code 'x'::regclass} name objects), counts as a use of whatever bears
 * that name, in whichever table: the lexer cannot tell which table a column belongs to, so it errs towards
 * "used", which keeps a finding rather than drop it. A {@code *} in a select list or RETURNING uses every column of
 * every table its statement names. Views and functions the release names use what their bodies name, as the
 * migrations defined them.
 */
final class OldReleaseUsage {
    private final Set<String> names = new HashSet<>();
    /** Tables named in a statement that selects or returns {@code *}. */
    private final Set<String> everyColumnOf = new HashSet<>();
    /** Per table the previous release inserts into: the column lists of its INSERTs, null for one without a list. */
    private final Map<String, List<Set<String>>> inserts = new HashMap<>();

    private String source = "--old-queries";

    /** Where the statements came from, as the option that gave them ("--old-release v1"), for the accepted notes. */
    String source() {
        return source;
    }

    void source(String source) {
        this.source = source;
    }

    /** Counts each of {@code words} as a name the release uses (lower-case, as unquoted identifiers are). */
    void addNames(java.util.Collection<String> words) {
        names.addAll(words);
    }

    /** The INSERT and UPDATE statements, kept whole: their values can be checked against a new constraint. */
    private final List<SqlStatement> writes = new ArrayList<>();

    /** Reads the statements of {@code sql}; throws {@link SqlSyntaxException} when a quote or comment never closes. */
    void add(String sql) {
        for (SqlStatement statement : SqlStatement.split(sql)) {
            add(statement.tokens());
            if (statement.tokens().getFirst().isWord("insert") || statement.tokens().getFirst().isWord("update")) writes.add(statement);
        }
    }

    /** The previous release's INSERT and UPDATE statements. */
    List<SqlStatement> writes() {
        return writes;
    }

    private void add(List<SqlToken> tokens) {
        Set<String> named = new HashSet<>();
        boolean star = false;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.isIdentifier() || token.kind() == SqlToken.Kind.STRING) {
                String value = token.value().toLowerCase(Locale.ROOT);
                if (token.isIdentifier()) named.add(token.value());
                names.add(token.isIdentifier() ? token.value() : value);
                // 'app.vals' or 'public.invoice_numbers' in a string names the object after the last dot
                if (token.kind() == SqlToken.Kind.STRING) names.add(SchemaModel.bare(value));
            } else if (token.kind() == SqlToken.Kind.OPERATOR && token.value().equals("*") && i > 0) {
                SqlToken before = tokens.get(i - 1);
                star |= before.isWord("select") || before.isWord("returning") || before.kind() == SqlToken.Kind.COMMA
                        || before.kind() == SqlToken.Kind.DOT || before.isWord("distinct") || before.isWord("all");
            }
            if (token.isWord("insert") && i + 2 < tokens.size() && tokens.get(i + 1).isWord("into")) insert(tokens, i + 2);
        }
        // COPY without a column list reads or writes every column in order
        if (!tokens.isEmpty() && tokens.getFirst().isWord("copy") && tokens.size() > 1 && tokens.get(1).isIdentifier()) {
            int i = qualifiedNameEnd(tokens, 1);
            if (i >= tokens.size() || tokens.get(i).kind() != SqlToken.Kind.LEFT_PAREN) everyColumnOf.add(tokens.get(i - 1).value());
        }
        if (star) everyColumnOf.addAll(named);
    }

    /** {@code INSERT INTO name [AS alias] [(columns)]}: records which columns it names (null: no list, so none). */
    private void insert(List<SqlToken> tokens, int at) {
        if (at >= tokens.size() || !tokens.get(at).isIdentifier()) return;
        int i = qualifiedNameEnd(tokens, at);
        String name = tokens.get(i - 1).value();
        if (i < tokens.size() && tokens.get(i).isWord("as")) i += 2;
        else if (i < tokens.size() && tokens.get(i).isIdentifier() && !tokens.get(i).isWord("values")
                && !tokens.get(i).isWord("select") && !tokens.get(i).isWord("default") && !tokens.get(i).isWord("overriding")
                && !tokens.get(i).isWord("with")) i++;
        Set<String> columns = null;
        if (i < tokens.size() && tokens.get(i).kind() == SqlToken.Kind.LEFT_PAREN) {
            columns = new HashSet<>();
            for (i++; i < tokens.size() && tokens.get(i).kind() != SqlToken.Kind.RIGHT_PAREN; i++) {
                if (tokens.get(i).isIdentifier()) columns.add(tokens.get(i).value());
            }
        }
        // INSERT INTO t VALUES (...) or SELECT ... without a column list fills the columns in order: it uses every one
        if (columns == null) everyColumnOf.add(name);
        inserts.computeIfAbsent(name, t -> new ArrayList<>()).add(columns);
    }

    /** Just past {@code name[.name...]} starting at {@code at}, an identifier. */
    private static int qualifiedNameEnd(List<SqlToken> tokens, int at) {
        int i = at + 1;
        while (i + 1 < tokens.size() && tokens.get(i).kind() == SqlToken.Kind.DOT && tokens.get(i + 1).isIdentifier()) i += 2;
        return i;
    }

    /** Adds what the views and functions the release names read, as {@code model} defines them, until nothing new. */
    void expandThrough(SchemaModel model) {
        boolean grew = true;
        Set<String> expanded = new HashSet<>();
        while (grew) {
            grew = false;
            for (String name : List.copyOf(names)) {
                if (expanded.contains(name)) continue;
                Optional<String> body = model.view(name).or(() -> model.function(name).map(SchemaModel.Function::body));
                if (body.isEmpty()) continue;
                expanded.add(name);
                try {
                    int before = names.size();
                    add(body.get());
                    grew |= names.size() > before;
                } catch (SqlSyntaxException e) {
                    // a body the lexer cannot read: whatever it names stays unknown, so count the view as reading everything
                    everyColumnOf.add(name);
                }
            }
        }
    }

    /** True if the previous release names {@code object} (bare names compared) anywhere. */
    boolean names(String object) {
        return names.contains(SchemaModel.bare(object));
    }

    /** True if the previous release may read or write {@code column} of {@code table}. */
    boolean usesColumn(String table, String column) {
        return names(table) && (names.contains(column) || everyColumnOf.contains(SchemaModel.bare(table)));
    }

    /** True if some INSERT of the previous release into {@code table} leaves {@code column} to its default. */
    boolean insertsOmitting(String table, String column) {
        return inserts.getOrDefault(SchemaModel.bare(table), List.of()).stream().anyMatch(list -> list == null || !list.contains(column));
    }
}
