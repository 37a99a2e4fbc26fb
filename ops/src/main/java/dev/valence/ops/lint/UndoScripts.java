package dev.valence.ops.lint;

import java.util.List;

/**
 * Rule VL005 on undo scripts ({@code U<n>__*.sql}): only app migrations are undone, and the rows that record
 * a migration are ops migrate --undo's to remove, in the same transaction as the script.
 */
final class UndoScripts {
    private static final List<String> RECORDS = List.of("control.schema_contract", "app.flyway_schema_history");

    private UndoScripts() {}

    static void check(MigrationFile file, List<SqlStatement> statements, List<Finding> findings) {
        if (file.place() == MigrationFile.Place.CONTROL) {
            findings.add(Finding.ofFile(Rule.UNDO_SCRIPT, file.display(), file.name() + ": control is expand-only, so its migrations"
                    + " are never undone", "remove it; change control only by adding to it in a new migration"));
            return;
        }
        for (SqlStatement statement : statements) {
            String target = written(statement);
            if (RECORDS.contains(target)) {
                findings.add(Finding.of(Rule.UNDO_SCRIPT, file.display(), statement, "the undo script of app v" + file.undoOf()
                        + " writes " + target + ", whose row for app v" + file.undoOf() + " ops migrate --undo removes itself, in the"
                        + " same transaction"));
            }
        }
    }

    /** The table an INSERT, UPDATE or DELETE writes, or "". */
    private static String written(SqlStatement statement) {
        var cursor = new TokenCursor(statement.tokens());
        if (cursor.accept("insert", "into") || cursor.accept("delete", "from") || cursor.accept("update")) {
            return cursor.qualifiedName();
        }
        return "";
    }
}
