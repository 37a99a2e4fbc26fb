package dev.valence.ops.lint;

/**
 * One schema or data change a statement makes, as the parser understood it. The parser only emits the
 * unsafe form of an operation ({@code CREATE INDEX} without {@code CONCURRENTLY}, a constraint without
 * {@code NOT VALID}, ...) plus the facts the rules need as context ({@link Kind#CREATES_TABLE},
 * {@link Kind#DEFINES_COLUMN}).
 *
 * @param target the table, index, type or schema as written ({@code app.vals})
 * @param column the column for column operations, else empty
 * @param detail what the rule's sentence needs beyond the names (a new name, a type, a function)
 */
record Operation(Kind kind, String target, String column, String detail, SqlStatement statement) {

    enum Kind {
        CREATES_TABLE, CREATES_INDEX_CONCURRENTLY, DEFINES_COLUMN,
        DROP_COLUMN, DROP_RELATION, RENAME_COLUMN, RENAME_TABLE, ALTER_COLUMN_TYPE,
        ADD_REQUIRED_COLUMN, SET_NOT_NULL, DROP_NOT_NULL, ADD_CONSTRAINT_VALIDATED, ADD_CONSTRAINT_WITH_INDEX,
        CREATE_INDEX, DROP_INDEX, RENAME_ENUM_VALUE, DROP_TYPE, SET_DEFAULT, DROP_DEFAULT,
        ADD_COLUMN_REWRITING_DEFAULT, DML_WITHOUT_WHERE, TRUNCATE
    }

    static Operation of(Kind kind, String target, String column, String detail, SqlStatement statement) {
        return new Operation(kind, target, column, detail, statement);
    }

    /** {@code app.vals.x}, or just the target when there is no column. */
    String qualifiedColumn() {
        return column.isEmpty() ? target : target + "." + column;
    }
}
