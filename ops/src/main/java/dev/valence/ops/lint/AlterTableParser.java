package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** The operations of one {@code ALTER TABLE}: renames, SET SCHEMA, and each comma-separated action. */
final class AlterTableParser {
    /**
     * Actions that take at most SHARE UPDATE EXCLUSIVE (ALTER TABLE's notes), so they leave writes running: VALIDATE,
     * SET STATISTICS, storage parameters, ATTACH PARTITION (on the parent), DETACH ... CONCURRENTLY.
     */
    private static final Set<String> WEAK_LOCK_ACTIONS = Set.of("validate", "statistics", "parameters", "attach", "detach");

    private final SqlStatement statement;
    private final Consumer<Operation> out;
    private String table = "";
    private boolean strongLock;

    AlterTableParser(SqlStatement statement, Consumer<Operation> out) {
        this.statement = statement;
        this.out = out;
    }

    /** Parses from just after {@code ALTER TABLE}. */
    void parse(TokenCursor cursor) {
        cursor.accept("if", "exists");
        cursor.accept("only");
        table = cursor.qualifiedName();
        if (cursor.peek().kind() == SqlToken.Kind.OPERATOR && cursor.peek().value().equals("*")) cursor.next();
        if (cursor.accept("rename")) {
            rename(cursor);
        } else if (cursor.accept("set", "schema")) {
            String bareName = table.substring(table.lastIndexOf('.') + 1);
            emit(Operation.Kind.RENAME_TABLE, "", cursor.next().display() + "." + bareName);
        } else {
            for (TokenCursor action : cursor.splitRestAtCommas()) {
                String weak = action(action);
                if (!WEAK_LOCK_ACTIONS.contains(weak)) strongLock = true;
            }
            if (strongLock) emit(Operation.Kind.WRITE_LOCK, "", "");
        }
    }

    private void rename(TokenCursor cursor) {
        if (cursor.accept("to")) {
            String newName = cursor.next().display();
            String schema = table.contains(".") ? table.substring(0, table.lastIndexOf('.') + 1) : "";
            emit(Operation.Kind.RENAME_TABLE, "", schema + newName);
        } else if (cursor.accept("constraint")) {
            String name = cursor.next().display();
            cursor.accept("to");
            emit(Operation.Kind.RENAME_CONSTRAINT, name, cursor.next().display());
        } else {
            cursor.accept("column");
            String column = cursor.next().display();
            cursor.accept("to");
            emit(Operation.Kind.RENAME_COLUMN, column, cursor.next().display());
        }
    }

    /** Parses one action; returns a key naming it when it takes only a weak lock, else empty. */
    private String action(TokenCursor cursor) {
        if (cursor.accept("add")) {
            add(cursor);
        } else if (cursor.accept("drop")) {
            if (cursor.accept("constraint")) {
                cursor.accept("if", "exists");
                emit(Operation.Kind.DROP_CONSTRAINT, cursor.next().display(), "");
                return "";
            }
            cursor.accept("column");
            cursor.accept("if", "exists");
            emit(Operation.Kind.DROP_COLUMN, cursor.next().display(), "");
        } else if (cursor.accept("alter")) {
            cursor.accept("column");
            return alterColumn(cursor.next().display(), cursor);
        } else if (cursor.accept("validate", "constraint")) {
            emit(Operation.Kind.VALIDATE_CONSTRAINT, cursor.next().display(), "");
            return "validate";
        } else if (cursor.accept("enable", "row", "level", "security")) {
            emit(Operation.Kind.ROW_SECURITY, "", "enable");
        } else if (cursor.accept("force", "row", "level", "security")) {
            emit(Operation.Kind.ROW_SECURITY, "", "force");
        } else if (cursor.accept("disable", "row", "level", "security")) {
            emit(Operation.Kind.ROW_SECURITY, "", "disable");
        } else if (cursor.accept("no", "force", "row", "level", "security")) {
            emit(Operation.Kind.ROW_SECURITY, "", "no force");
        } else if (cursor.accept("replica", "identity")) {
            String kind = cursor.accept("using", "index") ? "index" : cursor.next().value();
            emit(Operation.Kind.REPLICA_IDENTITY, "", kind, kind.equals("index") ? List.of(cursor.next().display()) : List.of());
        } else if (cursor.accept("owner", "to")) {
            emit(Operation.Kind.OWNER_CHANGE, "", cursor.next().display(), List.of("table"));
        } else if (cursor.accept("disable", "trigger")) {
            emit(Operation.Kind.REMOVE_TRIGGER, "", cursor.next().display(), List.of("disables"));
        } else if (cursor.accept("enable")) {
            cursor.acceptAny("replica", "always");
            if (cursor.accept("trigger")) emit(Operation.Kind.ENABLE_TRIGGER, "", cursor.next().display());
        } else if (cursor.accept("no", "inherit")) {
            emit(Operation.Kind.INHERITANCE, "", cursor.qualifiedName(), List.of("no"));
        } else if (cursor.accept("inherit")) {
            emit(Operation.Kind.INHERITANCE, "", cursor.qualifiedName(), List.of(""));
        } else if (cursor.accept("disable", "rule")) {
            emit(Operation.Kind.REMOVE_RULE, "", cursor.next().display(), List.of("disables"));
        } else if (cursor.accept("set", "unlogged") || cursor.accept("set", "logged")) {
            emit(Operation.Kind.REBUILD, "", "changes the persistence (SET LOGGED or UNLOGGED) of");
        } else if (cursor.accept("set", "tablespace") || cursor.accept("set", "access", "method")) {
            emit(Operation.Kind.REBUILD, "", "moves (SET TABLESPACE or ACCESS METHOD) every row of");
        } else if (cursor.peek().isWord("set") || cursor.peek().isWord("reset")) {
            return cursor.peek(1).kind() == SqlToken.Kind.LEFT_PAREN ? "parameters" : "";
        } else if (cursor.accept("attach", "partition")) {
            String child = cursor.qualifiedName();
            emit(Operation.Kind.ATTACH_PARTITION, "", child);
            return "attach";
        } else if (cursor.accept("detach", "partition")) {
            String child = cursor.qualifiedName();
            emit(Operation.Kind.DETACH_PARTITION, "", child);
            return "detach";
        }
        return "";
    }

    private void add(TokenCursor cursor) {
        if (List.of("constraint", "check", "foreign", "unique", "primary", "exclude").contains(cursor.peek().value())
                && cursor.peek().kind() == SqlToken.Kind.WORD) {
            addConstraint(cursor);
            return;
        }
        cursor.accept("column");
        cursor.accept("if", "not", "exists");
        out.accept(Operation.column(Operation.Kind.ADDS_COLUMN, table, ColumnDefinition.parse(cursor), statement));
    }

    /** A table constraint of CREATE TABLE, recorded as if added to the new table by ALTER TABLE. */
    void tableConstraint(String newTable, TokenCursor cursor) {
        table = newTable;
        addConstraint(cursor);
    }

    private void addConstraint(TokenCursor cursor) {
        String name = cursor.accept("constraint") ? cursor.next().display() : "";
        boolean notValid = cursor.restHasPair("not", "valid");
        if (cursor.accept("check")) {
            emit(Operation.Kind.ADD_CHECK, name, "", List.of(notValid ? "not valid" : "", groupText(cursor)));
        } else if (cursor.accept("foreign", "key")) {
            List<String> args = new ArrayList<>(List.of(notValid ? "not valid" : ""));
            List<String> columns = identifiers(cursor);
            cursor.accept("references");
            args.add(cursor.qualifiedName());
            args.addAll(columns);
            emit(Operation.Kind.ADD_FOREIGN_KEY, name, "", args);
        } else {
            String kind = cursor.accept("unique") ? "UNIQUE" : cursor.accept("primary", "key") ? "PRIMARY KEY"
                    : cursor.accept("exclude") ? "EXCLUDE" : "";
            if (kind.isEmpty()) return;
            cursor.accept("nulls", "not", "distinct");
            cursor.accept("nulls", "distinct");
            List<String> args = new ArrayList<>(List.of(kind, cursor.accept("using", "index") ? cursor.next().display() : ""));
            if (args.get(1).isEmpty() && !kind.equals("EXCLUDE")) args.addAll(identifiers(cursor));
            emit(Operation.Kind.ADD_UNIQUE, name, "", args);
        }
    }

    /** The identifiers of a parenthesised column list such as {@code (account_id, slug)}. */
    static List<String> identifiers(TokenCursor cursor) {
        List<String> names = new ArrayList<>();
        if (cursor.peek().kind() != SqlToken.Kind.LEFT_PAREN) return names;
        for (TokenCursor item : cursor.groupItems()) names.add(item.next().display());
        return names;
    }

    /** The parenthesised group the cursor is on, rendered as text without its outer parentheses. */
    static String groupText(TokenCursor cursor) {
        var text = new StringBuilder();
        if (cursor.peek().kind() != SqlToken.Kind.LEFT_PAREN) return "";
        int depth = 0;
        do {
            SqlToken token = cursor.next();
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            if (depth > 0 && !(depth == 1 && token.kind() == SqlToken.Kind.LEFT_PAREN)) ColumnDefinition.appendRendered(text, token);
        } while (depth > 0 && !cursor.atEnd());
        return text.toString();
    }

    private String alterColumn(String column, TokenCursor cursor) {
        if (cursor.accept("type") || cursor.accept("set", "data", "type")) {
            var type = new StringBuilder();
            while (!cursor.atEnd()) ColumnDefinition.appendRendered(type, cursor.next());
            emit(Operation.Kind.ALTER_COLUMN_TYPE, column, type.toString().replace("character varying", "varchar"));
        } else if (cursor.accept("set", "not", "null")) {
            emit(Operation.Kind.SET_NOT_NULL, column, "");
        } else if (cursor.accept("drop", "not", "null")) {
            emit(Operation.Kind.DROP_NOT_NULL, column, "");
        } else if (cursor.accept("set", "default")) {
            var expression = new StringBuilder();
            while (!cursor.atEnd()) ColumnDefinition.appendRendered(expression, cursor.next());
            emit(Operation.Kind.SET_DEFAULT, column, expression.toString());
        } else if (cursor.accept("drop", "default")) {
            emit(Operation.Kind.DROP_DEFAULT, column, "");
        } else if (cursor.accept("drop", "identity")) {
            emit(Operation.Kind.DROP_IDENTITY, column, "");
        } else if (cursor.accept("set", "generated")) {
            emit(Operation.Kind.IDENTITY_CHANGE, column, cursor.accept("always") ? "always" : "by default");
            List<String> risks = SequenceOptions.risks(cursor);
            if (!risks.isEmpty()) emit(Operation.Kind.SEQUENCE_CHANGE, column, String.join(", ", risks));
        } else if (cursor.accept("add", "generated")) {
            emit(Operation.Kind.IDENTITY_CHANGE, column, cursor.accept("always") ? "add always" : "add by default");
        } else if (cursor.accept("drop", "expression")) {
            emit(Operation.Kind.DROP_EXPRESSION, column, "");
        } else if (cursor.peek().isWord("restart") || cursor.peek().isWord("set") && Set.of("increment", "maxvalue", "minvalue",
                "cycle", "no", "start", "cache").contains(cursor.peek(1).value())) {
            List<String> risks = SequenceOptions.risks(cursor);
            if (!risks.isEmpty()) emit(Operation.Kind.SEQUENCE_CHANGE, column, String.join(", ", risks));
        } else if (cursor.accept("set", "expression")) {
            emit(Operation.Kind.REBUILD, "", "recomputes generated column " + column + " (SET EXPRESSION) of");
        } else if (cursor.accept("set", "statistics")) {
            return "statistics";
        }
        return "";
    }

    private void emit(Operation.Kind kind, String column, String detail) {
        out.accept(Operation.of(kind, table, column, detail, statement));
    }

    private void emit(Operation.Kind kind, String column, String detail, List<String> args) {
        out.accept(Operation.of(kind, table, column, detail, statement, args));
    }
}
