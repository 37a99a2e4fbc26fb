package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one file's operations into findings. Operations on a table created earlier in the same file
 * are exempt: neither the previous release nor any row depends on a table that did not exist.
 */
final class RuleChecker {
    private final String file;
    private final SchemaModel model;
    private final Set<String> createdTables = new HashSet<>();
    private final Set<String> createdIndexes = new HashSet<>();
    private final List<Finding> findings = new ArrayList<>();

    RuleChecker(String file, SchemaModel model) {
        this.file = file;
        this.model = model;
    }

    List<Finding> check(List<Operation> operations) {
        for (Operation operation : operations) check(operation);
        return findings;
    }

    private void check(Operation op) {
        String column = op.qualifiedColumn();
        switch (op.kind()) {
            case CREATES_TABLE -> createdTables.add(op.target());
            case DEFINES_COLUMN -> model.define(column, op.detail());
            case DROP_COLUMN -> report(Rule.DROP_COLUMN, op, column);
            case DROP_RELATION -> report(Rule.DROP_RELATION, op, op.detail(), op.target());
            case RENAME_COLUMN -> report(Rule.RENAME_COLUMN, op, column, op.detail());
            case RENAME_TABLE -> report(Rule.RENAME_TABLE, op, op.target(), op.detail());
            case ALTER_COLUMN_TYPE -> {
                boolean widening = model.type(column).filter(old -> SchemaModel.isBinaryCoercibleWidening(old, op.detail())).isPresent();
                if (!widening) report(Rule.ALTER_COLUMN_TYPE, op, column, op.detail());
                model.define(column, op.detail());
            }
            case ADD_REQUIRED_COLUMN -> report(Rule.ADD_REQUIRED_COLUMN, op, column);
            case SET_NOT_NULL -> report(Rule.SET_NOT_NULL, op, column);
            case DROP_NOT_NULL -> report(Rule.DROP_NOT_NULL, op, column);
            case ADD_CONSTRAINT_VALIDATED -> report(Rule.CONSTRAINT_WITHOUT_NOT_VALID, op, op.detail(), op.target());
            case ADD_CONSTRAINT_WITH_INDEX -> report(Rule.CONSTRAINT_BUILDING_INDEX, op, op.detail(), op.target());
            case CREATE_INDEX -> {
                createdIndexes.add(bareName(op.detail()));
                report(Rule.CREATE_INDEX_LOCKING, op, op.detail().isEmpty() ? "" : op.detail() + " ", op.target());
            }
            case DROP_INDEX -> {
                if (!createdIndexes.contains(bareName(op.target()))) report(Rule.DROP_INDEX_LOCKING, op, op.target());
            }
            case RENAME_ENUM_VALUE -> report(Rule.RENAME_ENUM_VALUE, op, op.column(), op.target(), op.detail());
            case DROP_TYPE -> report(Rule.DROP_TYPE, op, op.target());
            case SET_DEFAULT -> report(Rule.SET_DEFAULT, op, column);
            case DROP_DEFAULT -> report(Rule.DROP_DEFAULT, op, column);
            case ADD_COLUMN_REWRITING_DEFAULT -> report(Rule.REWRITING_DEFAULT, op, column, op.detail());
            case DML_WITHOUT_WHERE -> report(Rule.DML_WITHOUT_WHERE, op, op.detail(), op.target());
            case TRUNCATE -> report(Rule.TRUNCATE, op, op.target());
        }
    }

    private void report(Rule rule, Operation op, Object... arguments) {
        boolean onNewTable = op.kind() != Operation.Kind.DROP_INDEX && op.kind() != Operation.Kind.DROP_TYPE
                && createdTables.contains(op.target());
        if (!onNewTable) findings.add(Finding.of(rule, file, op.statement(), rule.sentence(arguments)));
    }

    private static String bareName(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
