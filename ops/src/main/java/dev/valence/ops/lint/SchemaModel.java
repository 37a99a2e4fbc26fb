package dev.valence.ops.lint;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Column types learned from the migrations linted so far, to tell a safe widening from a rewrite. */
final class SchemaModel {
    private static final Pattern VARCHAR = Pattern.compile("varchar(?:\\((\\d+)\\))?");
    private final Map<String, String> typeByColumn = new HashMap<>();

    void define(String qualifiedColumn, String type) {
        typeByColumn.put(qualifiedColumn, type);
    }

    Optional<String> type(String qualifiedColumn) {
        return Optional.ofNullable(typeByColumn.get(qualifiedColumn));
    }

    /**
     * True when PostgreSQL changes {@code oldType} to {@code newType} without rewriting or rechecking
     * rows: varchar(n) or text to text, to unbounded varchar, or to varchar(m) with m >= n.
     */
    static boolean isBinaryCoercibleWidening(String oldType, String newType) {
        Matcher oldVarchar = VARCHAR.matcher(oldType);
        Matcher newVarchar = VARCHAR.matcher(newType);
        boolean oldIsText = oldType.equals("text");
        if (newType.equals("text")) return oldIsText || oldVarchar.matches();
        if (!newVarchar.matches()) return false;
        if (newVarchar.group(1) == null) return oldIsText || oldVarchar.matches();
        if (!oldVarchar.matches() || oldVarchar.group(1) == null) return false;
        return Integer.parseInt(newVarchar.group(1)) >= Integer.parseInt(oldVarchar.group(1));
    }
}
