package dev.valence.ops.lint;

import java.util.List;
import java.util.function.Consumer;

/** The operations of one {@code ALTER TABLE}: renames, SET SCHEMA, and each comma-separated action. */
final class AlterTableParser {
    private final SqlStatement statement;
    private final Consumer<Operation> out;
    private String table = "";

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
            for (TokenCursor action : cursor.splitRestAtCommas()) action(action);
        }
    }

    private void rename(TokenCursor cursor) {
        if (cursor.accept("to")) {
            String newName = cursor.next().display();
            String schema = table.contains(".") ? table.substring(0, table.lastIndexOf('.') + 1) : "";
            emit(Operation.Kind.RENAME_TABLE, "", schema + newName);
        } else if (!cursor.accept("constraint")) {
            cursor.accept("column");
            String column = cursor.next().display();
            cursor.accept("to");
            emit(Operation.Kind.RENAME_COLUMN, column, cursor.next().display());
        }
    }

    private void action(TokenCursor cursor) {
        if (cursor.accept("add")) {
            add(cursor);
        } else if (cursor.accept("drop")) {
            if (cursor.accept("constraint")) return;
            cursor.accept("column");
            cursor.accept("if", "exists");
            emit(Operation.Kind.DROP_COLUMN, cursor.next().display(), "");
        } else if (cursor.accept("alter")) {
            cursor.accept("column");
            alterColumn(cursor.next().display(), cursor);
        }
    }

    private void add(TokenCursor cursor) {
        if (List.of("constraint", "check", "foreign", "unique", "primary", "exclude").contains(cursor.peek().value())
                && cursor.peek().kind() == SqlToken.Kind.WORD) {
            addConstraint(cursor);
            return;
        }
        cursor.accept("column");
        cursor.accept("if", "not", "exists");
        ColumnDefinition column = ColumnDefinition.parse(cursor);
        emit(Operation.Kind.DEFINES_COLUMN, column.name(), column.type());
        if (column.required()) emit(Operation.Kind.ADD_REQUIRED_COLUMN, column.name(), "");
        if (!column.rewritingDefault().isEmpty()) emit(Operation.Kind.ADD_COLUMN_REWRITING_DEFAULT, column.name(), column.rewritingDefault());
    }

    private void addConstraint(TokenCursor cursor) {
        String name = cursor.accept("constraint") ? " " + cursor.next().display() : "";
        if (cursor.accept("check")) {
            validatedUnlessNotValid(cursor, "CHECK constraint" + name);
        } else if (cursor.accept("foreign", "key")) {
            validatedUnlessNotValid(cursor, "FOREIGN KEY constraint" + name);
        } else if (cursor.accept("unique")) {
            indexedUnlessUsingIndex(cursor, "UNIQUE constraint" + name);
        } else if (cursor.accept("primary", "key")) {
            indexedUnlessUsingIndex(cursor, "PRIMARY KEY constraint" + name);
        }
    }

    private void validatedUnlessNotValid(TokenCursor cursor, String constraint) {
        if (!cursor.restHasPair("not", "valid")) emit(Operation.Kind.ADD_CONSTRAINT_VALIDATED, "", constraint);
    }

    private void indexedUnlessUsingIndex(TokenCursor cursor, String constraint) {
        if (!cursor.accept("using", "index")) emit(Operation.Kind.ADD_CONSTRAINT_WITH_INDEX, "", constraint);
    }

    private void alterColumn(String column, TokenCursor cursor) {
        if (cursor.accept("type") || cursor.accept("set", "data", "type")) {
            var type = new StringBuilder();
            while (!cursor.atEnd()) ColumnDefinition.appendRendered(type, cursor.next());
            emit(Operation.Kind.ALTER_COLUMN_TYPE, column, type.toString().replace("character varying", "varchar"));
        } else if (cursor.accept("set", "not", "null")) {
            emit(Operation.Kind.SET_NOT_NULL, column, "");
        } else if (cursor.accept("drop", "not", "null")) {
            emit(Operation.Kind.DROP_NOT_NULL, column, "");
        } else if (cursor.accept("set", "default")) {
            emit(Operation.Kind.SET_DEFAULT, column, "");
        } else if (cursor.accept("drop", "default")) {
            emit(Operation.Kind.DROP_DEFAULT, column, "");
        }
    }

    private void emit(Operation.Kind kind, String column, String detail) {
        out.accept(Operation.of(kind, table, column, detail, statement));
    }
}
