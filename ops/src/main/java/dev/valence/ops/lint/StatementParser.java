package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for the PostgreSQL statements a migration linter must understand (CREATE,
 * DROP, ALTER, TRUNCATE, DELETE, UPDATE, DO and the maintenance commands); every other statement yields no
 * operation. It reads tokens from {@link SqlLexer}, so quoted text and comments can never look like code.
 */
final class StatementParser {
    private static final Set<String> STATEMENT_VERBS = Set.of("create", "drop", "alter", "truncate", "delete", "update", "with", "revoke", "grant");

    private StatementParser() {}

    static List<Operation> parse(SqlStatement statement) {
        List<Operation> operations = new ArrayList<>();
        parseInto(statement, new TokenCursor(statement.tokens()), operations);
        return operations;
    }

    private static void parseInto(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        if (cursor.accept("create")) create(statement, cursor, out);
        else if (cursor.accept("drop")) drop(statement, cursor, out);
        else if (cursor.accept("alter", "table")) new AlterTableParser(statement, out::add).parse(cursor);
        else if (cursor.accept("alter", "default", "privileges")) AccessStatements.defaultPrivileges(statement, cursor, out);
        else if (cursor.accept("alter")) ObjectStatements.alter(statement, cursor, out);
        else if (cursor.accept("truncate")) truncate(statement, cursor, out);
        else if (cursor.peek().isWord("with") || cursor.peek().isWord("delete") || cursor.peek().isWord("update")) dml(statement, cursor, out);
        else if (cursor.accept("do")) doBlock(statement, cursor, out);
        else if (cursor.accept("revoke")) AccessStatements.privileges(statement, cursor, false, out);
        else if (cursor.accept("grant")) AccessStatements.privileges(statement, cursor, true, out);
        else if (cursor.accept("set")) timeZone(statement, cursor, out);
        else ObjectStatements.maintenance(statement, cursor, out);
    }

    /** {@code SET [SESSION | LOCAL] TIME ZONE zone} or {@code SET ... timezone TO | = zone}: the zone, lower case. */
    private static void timeZone(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        cursor.acceptAny("session", "local");
        if (!cursor.accept("time", "zone") && !cursor.accept("timezone")) return;
        if (!cursor.accept("to") && cursor.peek().kind() == SqlToken.Kind.OPERATOR && cursor.peek().value().equals("=")) cursor.next();
        if (cursor.atEnd()) return;
        String zone = cursor.next().value().toLowerCase(java.util.Locale.ROOT);
        out.add(Operation.of(Operation.Kind.SESSION_TIME_ZONE, "", "", zone, statement));
    }

    private static void create(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        boolean replace = cursor.accept("or", "replace");
        cursor.acceptAny("global", "local");
        cursor.acceptAny("temp", "temporary", "unlogged");
        boolean unique = cursor.accept("unique");
        if (!unique && cursor.accept("table")) {
            createTable(statement, cursor, out);
        } else if (cursor.accept("index")) {
            boolean concurrently = cursor.accept("concurrently");
            cursor.accept("if", "not", "exists");
            boolean unnamed = cursor.peek().isWord("on") && !cursor.peek(1).isWord("on");
            String index = unnamed ? "" : cursor.qualifiedName();
            cursor.accept("on");
            boolean parentOnly = cursor.accept("only");
            String table = cursor.qualifiedName();
            if (cursor.accept("using")) cursor.next();
            List<String> columns = new ArrayList<>();
            boolean plain = cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN;
            for (TokenCursor item : cursor.groupItems()) {
                SqlToken first = item.next();
                if (!first.isIdentifier() || item.peek().kind() == SqlToken.Kind.LEFT_PAREN) plain = false;
                columns.add(first.display());
            }
            if (cursor.restHasWord("where")) plain = false;
            List<String> args = new ArrayList<>(List.of(unique ? "unique" : "", plain ? "plain" : "",
                    concurrently ? "concurrently" : parentOnly ? "only" : ""));
            args.addAll(columns);
            out.add(Operation.of(Operation.Kind.CREATE_INDEX, table, "", index, statement, args));
        } else if (!unique && AccessStatements.startsCreate(cursor)) {
            AccessStatements.create(statement, cursor, out);
        } else if (!unique) {
            ObjectStatements.create(statement, cursor, replace, out);
        }
    }

    private static void createTable(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        cursor.accept("if", "not", "exists");
        String table = cursor.qualifiedName();
        out.add(Operation.of(Operation.Kind.CREATES_TABLE, table, "", "", statement));
        if (cursor.accept("partition", "of")) {
            String parent = cursor.qualifiedName();
            out.add(Operation.of(Operation.Kind.CREATE_PARTITION, parent, "", table, statement,
                    List.of(cursor.restHasWord("default") ? "default" : "")));
            return;
        }
        if (cursor.peek().kind() != SqlToken.Kind.LEFT_PAREN) return;
        for (TokenCursor item : cursor.groupItems()) tableItem(statement, table, item, out);
        if (cursor.accept("partition", "by")) {
            cursor.next();
            List<String> key = AlterTableParser.identifiers(cursor);
            out.add(Operation.of(Operation.Kind.CREATE_PARTITIONED, table, "", key.isEmpty() ? "" : key.getFirst(), statement));
        }
    }

    /** One item of CREATE TABLE's parenthesised list: a column (with its inline constraints) or a table constraint. */
    private static void tableItem(SqlStatement statement, String table, TokenCursor item, List<Operation> out) {
        if (item.peek().isWord("like")) return;
        if (item.peek().kind() == SqlToken.Kind.WORD && Set.of("constraint", "check", "unique", "primary", "foreign",
                "exclude").contains(item.peek().value())) {
            new AlterTableParser(statement, out::add).tableConstraint(table, item);
            return;
        }
        ColumnDefinition column = ColumnDefinition.parse(item);
        out.add(Operation.column(Operation.Kind.DEFINES_COLUMN, table, column, statement));
    }

    private static void drop(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        if (AccessStatements.startsDrop(cursor)) {
            AccessStatements.drop(statement, cursor, out);
            return;
        }
        String relation = cursor.accept("table") ? "table" : cursor.accept("schema") ? "schema" : cursor.accept("view") ? "view"
                : cursor.accept("materialized", "view") ? "materialized view" : "";
        Operation.Kind kind = Operation.Kind.DROP_RELATION;
        String detail = relation;
        if (relation.isEmpty() && cursor.accept("index")) {
            detail = cursor.accept("concurrently") ? "concurrently" : "";
            kind = Operation.Kind.DROP_INDEX;
        } else if (relation.isEmpty() && (cursor.accept("type") || cursor.accept("domain"))) {
            kind = Operation.Kind.DROP_TYPE;
        } else if (relation.isEmpty() && (cursor.peek().isWord("function") || cursor.peek().isWord("procedure")
                || cursor.peek().isWord("sequence") || cursor.peek().isWord("extension"))) {
            detail = cursor.next().value();
            kind = Operation.Kind.DROP_OBJECT;
        } else if (relation.isEmpty()) {
            return;
        }
        cursor.accept("if", "exists");
        for (TokenCursor name : cursor.splitRestAtCommas()) {
            out.add(Operation.of(kind, name.qualifiedName(), "", detail, statement));
        }
    }

    private static void truncate(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        cursor.accept("table");
        for (TokenCursor name : cursor.splitRestAtCommas()) {
            name.accept("only");
            out.add(Operation.of(Operation.Kind.TRUNCATE, name.qualifiedName(), "", "", statement));
        }
    }

    /** DELETE or UPDATE, possibly after WITH queries; flagged when there is no top-level WHERE. */
    private static void dml(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        boolean withQueries = cursor.peek().isWord("with");
        if (cursor.accept("with")) {
            cursor.accept("recursive");
            while (!cursor.atEnd() && !cursor.peek().isWord("delete") && !cursor.peek().isWord("update")
                    && !cursor.peek().isWord("insert") && !cursor.peek().isWord("select")) {
                cursor.next();
                cursor.skipGroup();
            }
        }
        String verb = cursor.accept("delete", "from") ? "deletes" : cursor.accept("update") ? "updates" : "";
        if (verb.isEmpty()) return;
        cursor.accept("only");
        String table = cursor.qualifiedName();
        if (!cursor.restHasWord("where")) {
            out.add(Operation.of(Operation.Kind.DML_WITHOUT_WHERE, table, "", verb, statement));
            return;
        }
        // a WITH query or WHERE CURRENT OF cannot be counted on its own; what else the WHERE matches is the database's to say
        if (withQueries || cursor.restHasPair("current", "of")) return;
        out.add(dmlWithWhere(statement, cursor, table, verb));
    }

    /** The target's alias, the FROM / USING list, the WHERE condition and (UPDATE) the columns set, for counting the rows. */
    private static Operation dmlWithWhere(SqlStatement statement, TokenCursor cursor, String table, String verb) {
        Set<String> clauses = Set.of("set", "where", "using", "from", "returning");
        String alias = "";
        if (cursor.accept("as")) alias = cursor.next().display();
        else if (cursor.peek().kind() == SqlToken.Kind.QUOTED_IDENTIFIER
                || cursor.peek().kind() == SqlToken.Kind.WORD && !clauses.contains(cursor.peek().value())) alias = cursor.next().display();
        List<String> setColumns = new ArrayList<>();
        if (cursor.accept("set")) {
            boolean target = true;
            while (!cursor.atEnd() && !cursor.peek().isWord("from") && !cursor.peek().isWord("where") && !cursor.peek().isWord("returning")) {
                if (target && cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) {
                    for (TokenCursor item : cursor.groupItems()) setColumns.add(item.next().value());
                } else if (target) {
                    setColumns.add(cursor.next().value());
                } else if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) {
                    cursor.skipGroup();
                    continue;
                } else if (cursor.next().kind() == SqlToken.Kind.COMMA) {
                    target = true;
                    continue;
                }
                target = false;
            }
        }
        var from = new StringBuilder();
        if (cursor.accept("from") || cursor.accept("using")) {
            while (!cursor.atEnd() && !cursor.peek().isWord("where")) {
                if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) appendGroup(from, cursor);
                else ColumnDefinition.appendRendered(from, cursor.next());
            }
        }
        var where = new StringBuilder();
        cursor.accept("where");
        while (!cursor.atEnd() && !cursor.peek().isWord("returning")) {
            if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) appendGroup(where, cursor);
            else ColumnDefinition.appendRendered(where, cursor.next());
        }
        List<String> args = new ArrayList<>(List.of(alias, from.toString(), where.toString(), ""));
        args.addAll(setColumns);
        return Operation.of(Operation.Kind.DML_WITH_WHERE, table, "", verb, statement, args);
    }

    /** Appends the parenthesised group the cursor is on, rendered, and moves past it. */
    private static void appendGroup(StringBuilder text, TokenCursor cursor) {
        int depth = 0;
        do {
            SqlToken token = cursor.next();
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            else if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            ColumnDefinition.appendRendered(text, token);
        } while (depth > 0 && !cursor.atEnd());
    }

    /** A DO block runs its body at once, so its SQL statements count as the migration's own. */
    private static void doBlock(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        cursor.accept("language", "plpgsql");
        if (cursor.peek().kind() != SqlToken.Kind.STRING) return;
        for (SqlStatement inner : SqlStatement.split(cursor.next().value())) {
            var innerCursor = new TokenCursor(inner.tokens());
            while (!innerCursor.atEnd() && !(innerCursor.peek().kind() == SqlToken.Kind.WORD
                    && STATEMENT_VERBS.contains(innerCursor.peek().value()))) innerCursor.next();
            parseInto(statement, innerCursor, out);
        }
    }
}
