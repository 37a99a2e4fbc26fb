package dev.valence.ops.lint;

import dev.valence.runtime.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * What the database the migration is about to run on knows better than its migration files: how many rows each
 * table holds. A lock that rewrites or scans a table matters in proportion to its rows; the migration files cannot
 * say whether a table holds ten rows or ten million. Read from {@code pg_class.reltuples} (the planner's estimate,
 * kept by autovacuum and ANALYZE), and where a table was never analyzed ({@code reltuples} is -1) by counting its
 * rows up to one past the threshold, which reads at most that many. Facts about the rows themselves (does any violate a
 * new CHECK, how many does a WHERE match) are asked through {@link LiveRows}.
 */
final class LiveCatalog implements AutoCloseable {
    private final Connection connection;
    private final long countUpTo;
    /** Bare relation name to schema-qualified name and estimated rows; a name in several schemas keeps the largest. */
    private final Map<String, Relation> relations = new HashMap<>();
    private final Map<String, OptionalLong> counted = new HashMap<>();
    private final LiveRows liveRows;

    private record Relation(String schema, String name, char kind, double estimate) {}

    private LiveCatalog(Connection connection, long countUpTo) {
        this.connection = connection;
        this.countUpTo = countUpTo;
        this.liveRows = new LiveRows(connection, this);
    }

    /** Connects to {@code url} and reads every user relation's estimate once; {@code countUpTo} bounds exact counts. */
    static LiveCatalog connect(String url, long countUpTo) throws SQLException {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        var properties = new Properties();
        if (parsed.user() != null) properties.setProperty("user", parsed.user());
        if (parsed.password() != null) properties.setProperty("password", parsed.password());
        var catalog = new LiveCatalog(DriverManager.getConnection(parsed.jdbcUrl(), properties), countUpTo);
        catalog.read();
        return catalog;
    }

    private void read() throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("""
                SELECT n.nspname, c.relname, c.relkind, c.reltuples
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'""")) {
            while (rows.next()) {
                var relation = new Relation(rows.getString(1), rows.getString(2), rows.getString(3).charAt(0), rows.getDouble(4));
                relations.merge(relation.name(), relation, (a, b) -> a.estimate() >= b.estimate() ? a : b);
            }
        }
    }

    /**
     * About how many rows {@code name} (a table, or an index, which has one entry per row of its table) holds; empty
     * when the database has no such relation or cannot tell (an index never analyzed, a relation in several schemas
     * where one was never analyzed).
     */
    OptionalLong rows(String name) {
        Relation relation = relations.get(SchemaModel.bare(name));
        if (relation == null) return OptionalLong.empty();
        if (relation.estimate() >= 0) return OptionalLong.of(Math.round(relation.estimate()));
        if (relation.kind() == 'i' || relation.kind() == 'I') return OptionalLong.empty();
        return counted.computeIfAbsent(relation.name(), n -> count(relation));
    }

    /** {@code "schema"."name"} of the relation the database has under {@code name}'s bare name, if any. */
    Optional<String> qualified(String name) {
        Relation relation = relations.get(SchemaModel.bare(name));
        return relation == null ? Optional.empty() : Optional.of(quote(relation.schema()) + "." + quote(relation.name()));
    }

    /** What the rows themselves say, asked on this connection. */
    LiveRows rowsOf() {
        return liveRows;
    }

    /** Rows counted up to {@code countUpTo + 1}: a partitioned table or one never analyzed has no estimate. */
    private OptionalLong count(Relation relation) {
        String qualified = quote(relation.schema()) + "." + quote(relation.name());
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                "SELECT count(*) FROM (SELECT 1 FROM " + qualified + " LIMIT " + (countUpTo + 1) + ") r")) {
            rows.next();
            return OptionalLong.of(rows.getLong(1));
        } catch (SQLException e) {
            // no SELECT privilege, say: then the size is unknown and the finding stays as it is
            return OptionalLong.empty();
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
