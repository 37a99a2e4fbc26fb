package dev.valence.ops.lint;

import java.util.List;

/**
 * One schema or data change a statement makes, as the parser understood it, plus the facts the rules need as
 * context ({@link Kind#CREATES_TABLE}, {@link Kind#DEFINES_COLUMN}, a CHECK's expression, a function's body):
 * the checker both judges an operation and records it in the {@link SchemaModel}, so later statements are
 * judged against the schema as PostgreSQL would find it.
 *
 * @param target the table, index, type or schema as written ({@code app.vals})
 * @param column the column for column operations, else empty
 * @param detail what the rule's sentence needs beyond the names (a new name, a type, a function)
 * @param args further facts, per kind (a constraint's columns, a function's language and body, ...)
 * @param definition the column definition for {@link Kind#DEFINES_COLUMN}, else null
 */
record Operation(Kind kind, String target, String column, String detail, SqlStatement statement, List<String> args,
                 ColumnDefinition definition) {

    enum Kind {
        CREATES_TABLE, DEFINES_COLUMN, ADDS_COLUMN,
        DROP_COLUMN, DROP_RELATION, RENAME_COLUMN, RENAME_TABLE, ALTER_COLUMN_TYPE,
        ADD_REQUIRED_COLUMN, SET_NOT_NULL, DROP_NOT_NULL, ADD_CHECK, ADD_FOREIGN_KEY, ADD_UNIQUE,
        DROP_CONSTRAINT, RENAME_CONSTRAINT, VALIDATE_CONSTRAINT, WRITE_LOCK,
        CREATE_INDEX, DROP_INDEX, RENAME_INDEX, RENAME_OBJECT, DROP_OBJECT, RENAME_ENUM_VALUE, DROP_TYPE,
        SET_DEFAULT, DROP_DEFAULT, DROP_IDENTITY, DML_WITHOUT_WHERE, DML_WITH_WHERE, TRUNCATE, REBUILD,
        CREATE_VIEW, CREATE_FUNCTION, CREATE_TRIGGER, CREATE_DOMAIN, DOMAIN_ADD_CHECK,
        CREATE_PARTITIONED, CREATE_PARTITION, ATTACH_PARTITION, DETACH_PARTITION,
        REVOKE, OWNER_CHANGE, ROW_SECURITY, CREATE_POLICY, DROP_POLICY, PUBLICATION, REPLICA_IDENTITY,
        IDENTITY_CHANGE, SEQUENCE_CHANGE, DROP_EXPRESSION, CREATE_RULE, REMOVE_RULE, REMOVE_TRIGGER, ENABLE_TRIGGER, VIEW_OPTION,
        FUNCTION_CHANGE, INHERITANCE, GRANT, SESSION_TIME_ZONE
    }

    static Operation of(Kind kind, String target, String column, String detail, SqlStatement statement) {
        return new Operation(kind, target, column, detail, statement, List.of(), null);
    }

    static Operation of(Kind kind, String target, String column, String detail, SqlStatement statement, List<String> args) {
        return new Operation(kind, target, column, detail, statement, List.copyOf(args), null);
    }

    static Operation column(Kind kind, String table, ColumnDefinition definition, SqlStatement statement) {
        return new Operation(kind, table, definition.name(), definition.type(), statement, List.of(), definition);
    }

    /** {@code app.vals.x}, or just the target when there is no column. */
    String qualifiedColumn() {
        return column.isEmpty() ? target : target + "." + column;
    }

    String arg(int index) {
        return index < args.size() ? args.get(index) : "";
    }
}
