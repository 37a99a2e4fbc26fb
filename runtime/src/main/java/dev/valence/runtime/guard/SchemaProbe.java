package dev.valence.runtime.guard;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads the schema state. It must work against any schema, old or new, so it only touches Flyway's
 * history of {@code app} and {@code control.schema_contract}, and treats a missing table as "nothing
 * applied yet". Public so the deploy gates judge with the guard's own reading.
 */
public final class SchemaProbe {
    private SchemaProbe() {}

    /**
     * Reads the history and the contract in one snapshot (a REPEATABLE READ transaction, rolled back):
     * read by separate statements, a migration committing between them showed its contract row beside
     * the history from before it, and the guard's sentence named a floor the schema did not have yet.
     */
    public static SchemaState read(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) return readInSnapshot(connection); // the caller's transaction decides
        int isolation = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            return readInSnapshot(connection);
        } finally {
            connection.rollback();
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(true);
        }
    }

    private static SchemaState readInSnapshot(Connection connection) throws SQLException {
        boolean hasHistory;
        boolean hasContract;
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("""
                     SELECT to_regclass('app.flyway_schema_history') IS NOT NULL,
                            to_regclass('control.schema_contract') IS NOT NULL""")) {
            rows.next();
            hasHistory = rows.getBoolean(1);
            hasContract = rows.getBoolean(2);
        }
        int schemaVersion = 0;
        String failedVersion = null;
        String failedDescription = null;
        if (hasHistory) {
            try (var statement = connection.createStatement();
                 var rows = statement.executeQuery("""
                         SELECT coalesce(max(split_part(version, '.', 1)::int) FILTER (WHERE success), 0),
                                (SELECT version FROM app.flyway_schema_history WHERE NOT success ORDER BY installed_rank LIMIT 1),
                                (SELECT description FROM app.flyway_schema_history WHERE NOT success ORDER BY installed_rank LIMIT 1)
                         FROM app.flyway_schema_history WHERE version ~ '^[0-9]+(\\.[0-9]+)*$'""")) {
                rows.next();
                schemaVersion = rows.getInt(1);
                failedVersion = rows.getString(2);
                failedDescription = rows.getString(3);
            }
        }
        int floor = 0;
        int floorVersion = 0;
        if (hasContract) {
            try (var statement = connection.createStatement();
                 var rows = statement.executeQuery("""
                         SELECT min_code_level, version FROM control.schema_contract
                         ORDER BY min_code_level DESC, version DESC LIMIT 1""")) {
                if (rows.next() && rows.getInt(1) > 0) { // expand-only history has no floor and no floor version
                    floor = rows.getInt(1);
                    floorVersion = rows.getInt(2);
                }
            }
        }
        return new SchemaState(schemaVersion, floor, floorVersion, failedVersion, failedDescription);
    }
}
