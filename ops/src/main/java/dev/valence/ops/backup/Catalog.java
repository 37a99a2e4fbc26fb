package dev.valence.ops.backup;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a backup holds, read from PostgreSQL's catalog: the tables of Valence's schemas in foreign-key order, and their sequences. */
final class Catalog {
    static final List<String> SCHEMAS = List.of("control", "app");
    /** Heartbeats say which instances run now; restored, they would claim dead instances are live. */
    static final Set<String> EPHEMERAL = Set.of("control.instances");

    private Catalog() {}

    /**
     * Tables (a partitioned table once, through its parent, not again through each partition), each after
     * the tables it references.
     */
    static List<Manifest.Table> tables(Connection connection) throws SQLException {
        var columns = new LinkedHashMap<String, List<String>>();
        try (var statement = connection.prepareStatement("""
                SELECT n.nspname || '.' || c.relname, a.attname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY (?)
                ORDER BY n.nspname, c.relname, a.attnum""")) {
            statement.setArray(1, connection.createArrayOf("text", SCHEMAS.toArray()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (EPHEMERAL.contains(rows.getString(1))) continue;
                    columns.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        var references = new HashMap<String, Set<String>>();
        try (var statement = connection.prepareStatement("""
                SELECT cn.nspname || '.' || c.relname, fn.nspname || '.' || f.relname
                FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
                JOIN pg_class f ON f.oid = k.confrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
                WHERE k.contype = 'f' AND cn.nspname = ANY (?)""")) {
            statement.setArray(1, connection.createArrayOf("text", SCHEMAS.toArray()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) references.computeIfAbsent(rows.getString(1), t -> new LinkedHashSet<>()).add(rows.getString(2));
            }
        }
        var ordered = new LinkedHashSet<String>();
        for (String table : columns.keySet()) visit(table, references, columns.keySet(), ordered, new LinkedHashSet<>());
        var tables = new ArrayList<Manifest.Table>();
        for (String table : ordered) {
            int dot = table.indexOf('.');
            tables.add(new Manifest.Table(table.substring(0, dot), table.substring(dot + 1), columns.get(table), -1));
        }
        return tables;
    }

    private static void visit(String table, Map<String, Set<String>> references, Set<String> known, Set<String> ordered, Set<String> path) {
        if (ordered.contains(table) || !path.add(table)) return; // a cycle (or a self-reference) cannot be ordered further
        for (String referenced : references.getOrDefault(table, Set.of())) {
            if (known.contains(referenced)) visit(referenced, references, known, ordered, path);
        }
        path.remove(table);
        ordered.add(table);
    }

    /** Every sequence of Valence's schemas with its value now: ids handed out after a restore never repeat one in the backup. */
    static List<Manifest.Sequence> sequences(Connection connection) throws SQLException {
        var names = new ArrayList<String[]>();
        try (var statement = connection.prepareStatement("""
                SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'S' AND n.nspname = ANY (?) ORDER BY 1, 2""")) {
            statement.setArray(1, connection.createArrayOf("text", SCHEMAS.toArray()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) names.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        var sequences = new ArrayList<Manifest.Sequence>();
        for (String[] name : names) {
            try (var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT last_value, is_called FROM " + quoted(name[0], name[1]))) {
                rows.next();
                sequences.add(new Manifest.Sequence(name[0], name[1], rows.getLong(1), rows.getBoolean(2)));
            }
        }
        return sequences;
    }

    /** The applied version of each schema's Flyway history (absent when the schema has none yet). */
    static Map<String, String> schemaVersions(Connection connection) throws SQLException {
        var versions = new LinkedHashMap<String, String>();
        for (String schema : SCHEMAS) {
            if (!exists(connection, schema, "flyway_schema_history")) continue;
            try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                    "SELECT version FROM " + quoted(schema, "flyway_schema_history")
                            + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
                if (rows.next()) versions.put(schema, rows.getString(1));
            }
        }
        return versions;
    }

    static boolean exists(Connection connection, String schema, String table) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, quoted(schema, table));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    static long count(Connection connection, Manifest.Table table) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT count(*) FROM " + table.quoted())) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static String quoted(String schema, String name) {
        return identifier(schema) + "." + identifier(name);
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
