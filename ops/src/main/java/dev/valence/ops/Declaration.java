package dev.valence.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an {@code app} migration declares about itself in its {@code INSERT INTO control.schema_contract}
 * row: expand (older code keeps working) or contract (code below {@code minCodeLevel} breaks). Read
 * from the file, so the gates know it before the migration runs.
 */
record Declaration(Kind kind, int minCodeLevel) {
    enum Kind {
        EXPAND("expand"), CONTRACT("contract");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }
    }

    private static final Pattern INSERT = Pattern.compile(
            "INSERT\\s+INTO\\s+control\\.schema_contract\\s*\\(([^)]*)\\)\\s*VALUES\\s*\\(", Pattern.CASE_INSENSITIVE);
    private static final Pattern VALUE = Pattern.compile("\\G\\s*('(?:[^']|'')*'|[^,'\\s()]+)\\s*([,)])");

    /** The declaration in a migration's SQL, or empty when it has none the gates can read. */
    static Optional<Declaration> in(String sql) {
        var insert = INSERT.matcher(sql);
        if (!insert.find()) return Optional.empty();
        List<String> columns = List.of(insert.group(1).trim().toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
        var values = new ArrayList<String>();
        var value = VALUE.matcher(sql).region(insert.end(), sql.length());
        while (value.find()) {
            String v = value.group(1);
            values.add(v.startsWith("'") ? v.substring(1, v.length() - 1).replace("''", "'") : v);
            if (value.group(2).equals(")")) break;
        }
        int kindAt = columns.indexOf("kind");
        int levelAt = columns.indexOf("min_code_level");
        if (kindAt < 0 || levelAt < 0 || Math.max(kindAt, levelAt) >= values.size()) return Optional.empty();
        try {
            var kind = Kind.valueOf(values.get(kindAt).toUpperCase(Locale.ROOT));
            return Optional.of(new Declaration(kind, Integer.parseInt(values.get(levelAt))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    boolean isContract() {
        return kind == Kind.CONTRACT;
    }
}
