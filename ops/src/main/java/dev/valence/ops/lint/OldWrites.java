package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The previous release's own writes, checked by PostgreSQL against a new CHECK before it exists: an UPDATE's new values
 * are computed over the rows its WHERE matches (the CHECK with each column it sets replaced by its expression), an
 * INSERT's VALUES rows as written (columns it leaves out take their defaults). Only statements whose values are all in
 * their text are checked: one with a parameter ($1, ?) writes what only the running code knows.
 */
final class OldWrites {
    private OldWrites() {}

    /** An old statement writing a row the CHECK rejects (its excerpt), if PostgreSQL finds one. */
    static Optional<String> rejected(List<SqlStatement> writes, String table, String check, SchemaModel model, LiveRows rows) {
        List<SqlToken> checkTokens;
        try {
            checkTokens = SqlLexer.tokenize(check);
        } catch (SqlSyntaxException e) {
            return Optional.empty();
        }
        for (SqlStatement write : writes) {
            // $1 lexes as "$" (OTHER) and a number; JDBC's ? as an operator
            if (write.tokens().stream().anyMatch(t -> t.kind() == SqlToken.Kind.OTHER
                    || t.kind() == SqlToken.Kind.OPERATOR && t.value().contains("?"))) {
                continue;
            }
            var cursor = new TokenCursor(write.tokens());
            if (cursor.accept("update")) {
                Optional<String> probe = update(cursor, table, checkTokens);
                if (probe.isPresent() && rows.anyRow(table, probe.get()).found().orElse(false)) return Optional.of(write.excerpt());
            } else if (cursor.accept("insert", "into")) {
                Optional<String> probe = insert(cursor, table, checkTokens, model);
                if (probe.isPresent() && rows.holds(probe.get()).found().orElse(false)) return Optional.of(write.excerpt());
            }
        }
        return Optional.empty();
    }

    /** {@code UPDATE t [alias] SET c = e, ... WHERE w}: the condition "matched by w and the CHECK fails on the new values". */
    private static Optional<String> update(TokenCursor cursor, String table, List<SqlToken> check) {
        cursor.accept("only");
        if (!SchemaModel.bare(cursor.qualifiedName()).equals(SchemaModel.bare(table))) return Optional.empty();
        if (!cursor.peek().isWord("set")) return Optional.empty();
        cursor.next();
        Map<String, String> set = new HashMap<>();
        String column = null;
        var expression = new StringBuilder();
        int depth = 0;
        while (!cursor.atEnd() && !(depth == 0 && (cursor.peek().isWord("where") || cursor.peek().isWord("returning") || cursor.peek().isWord("from")))) {
            SqlToken token = cursor.next();
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            if (column == null) {
                if (!token.isIdentifier()) return Optional.empty();
                column = token.value();
                if (!cursor.peek().value().equals("=")) return Optional.empty();
                cursor.next();
            } else if (depth == 0 && token.kind() == SqlToken.Kind.COMMA) {
                set.put(column, expression.toString());
                column = null;
                expression.setLength(0);
            } else {
                ColumnDefinition.appendRendered(expression, token);
            }
        }
        if (column != null) set.put(column, expression.toString());
        if (cursor.peek().isWord("from")) return Optional.empty();
        var where = new StringBuilder();
        if (cursor.accept("where")) {
            while (!cursor.atEnd() && !cursor.peek().isWord("returning")) ColumnDefinition.appendRendered(where, cursor.next());
        }
        String rejects = "NOT (" + substituted(check, set) + ")";
        return Optional.of(where.isEmpty() ? rejects : "(" + where + ") AND " + rejects);
    }

    /** {@code INSERT INTO t (c, ...) VALUES (v, ...), ...}: "some row of the VALUES fails the CHECK", on the values alone. */
    private static Optional<String> insert(TokenCursor cursor, String table, List<SqlToken> check, SchemaModel model) {
        if (!SchemaModel.bare(cursor.qualifiedName()).equals(SchemaModel.bare(table))) return Optional.empty();
        if (cursor.peek().kind() != SqlToken.Kind.LEFT_PAREN) return Optional.empty();
        List<String> columns = new ArrayList<>();
        for (TokenCursor item : cursor.groupItems()) columns.add(item.next().value());
        if (!cursor.accept("values")) return Optional.empty();
        List<String> failing = new ArrayList<>();
        while (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) {
            List<TokenCursor> values = cursor.groupItems();
            if (values.size() != columns.size()) return Optional.empty();
            Map<String, String> row = new HashMap<>();
            for (String known : model.columnsOf(table)) {
                String fallback = model.column(table, known).map(SchemaModel.Column::defaultExpression).orElse("");
                row.put(known, fallback.isEmpty() ? "NULL" : fallback);
            }
            for (int i = 0; i < columns.size(); i++) {
                var value = new StringBuilder();
                for (SqlToken token : values.get(i).rest()) ColumnDefinition.appendRendered(value, token);
                if (value.toString().equals("default")) continue;
                row.put(columns.get(i), value.toString());
            }
            failing.add("NOT (" + substituted(check, row) + ")");
            if (cursor.peek().kind() == SqlToken.Kind.COMMA) cursor.next();
        }
        return failing.isEmpty() ? Optional.empty() : Optional.of(String.join(" OR ", failing));
    }

    /** The CHECK with each column named in {@code values} replaced by its parenthesised expression. */
    private static String substituted(List<SqlToken> check, Map<String, String> values) {
        var text = new StringBuilder();
        for (int i = 0; i < check.size(); i++) {
            SqlToken token = check.get(i);
            boolean qualified = i > 0 && check.get(i - 1).kind() == SqlToken.Kind.DOT;
            if (token.isIdentifier() && !qualified && values.containsKey(token.value())
                    && !(i + 1 < check.size() && check.get(i + 1).kind() == SqlToken.Kind.LEFT_PAREN)) {
                if (!text.isEmpty() && Character.isLetterOrDigit(text.charAt(text.length() - 1))) text.append(' ');
                text.append('(').append(values.get(token.value())).append(')');
            } else {
                ColumnDefinition.appendRendered(text, token);
            }
        }
        return text.toString();
    }
}
