package dev.valence.ops.bench;

import dev.valence.runtime.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/** What the soak reads from the database the replicas share: table and index sizes, and run records per val. */
final class SoakDatabase {
    /** One table's bytes on disk: the table itself (with its TOAST) and its indexes. */
    record Size(long tableBytes, long indexBytes) {}

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    SoakDatabase(String url) {
        var parsed = DatabaseUrl.parse(url);
        dataSource.setUrl(parsed.jdbcUrl());
        if (parsed.user() != null) dataSource.setUser(parsed.user());
        if (parsed.password() != null) dataSource.setPassword(parsed.password());
        dataSource.setConnectTimeout(5);
    }

    /** Every table outside PostgreSQL's own schemas, by schema-qualified name. */
    Map<String, Size> sizes() throws SQLException {
        var out = new LinkedHashMap<String, Size>();
        try (Connection c = dataSource.getConnection(); var s = c.createStatement(); var rows = s.executeQuery("""
                SELECT n.nspname || '.' || c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                ORDER BY 1""")) {
            while (rows.next()) out.put(rows.getString(1), new Size(rows.getLong(2), rows.getLong(3)));
        }
        return out;
    }

    /** Runs recorded for admin's val {@code name}: rows of their own plus the members of silent-run groups. */
    long runs(String name) throws SQLException {
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement("""
                SELECT (SELECT count(*) FROM app.runs r WHERE r.val_id = v.id)
                     + (SELECT coalesce(sum(cardinality(g.ids)), 0) FROM app.run_groups g WHERE g.val_id = v.id)
                FROM app.vals v JOIN app.users u ON u.id = v.owner_id WHERE u.name = 'admin' AND v.name = ?""")) {
            s.setString(1, name);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) throw new SQLException("No val admin/" + name + " in the database");
                return rows.getLong(1);
            }
        }
    }

    /** Cron runs of admin's val {@code name}: how many, and how many distinct minutes they started in (equal when no tick ran twice). */
    long[] cronTicks(String name) throws SQLException {
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement("""
                SELECT count(*), count(DISTINCT date_trunc('minute', r.started_at))
                FROM app.runs r JOIN app.vals v ON v.id = r.val_id JOIN app.users u ON u.id = v.owner_id
                WHERE u.name = 'admin' AND v.name = ? AND r.trigger = 'cron'""")) {
            s.setString(1, name);
            try (var rows = s.executeQuery()) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        }
    }
}
