package dev.valence.runtime;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/** What operators and other tools do to a database, done the way they do it: separate clients. */
final class SchemaFlips {
    private final String jdbcUrl;

    SchemaFlips(String databaseUrl) {
        this.jdbcUrl = TestDatabase.jdbcUrl(databaseUrl);
    }

    /** A separate Flyway client (not the runtime's) applying the app migrations plus the test-only contract one. */
    void applyTestContractMigration() {
        Flyway.configure().dataSource(jdbcUrl, "postgres", "")
                .schemas("app").defaultSchema("app").table("flyway_schema_history")
                .locations("classpath:db/migration/app", "classpath:db/test-migrations/contract")
                // a database migrated by a newer release has versions this client does not know: like an
                // operator's one-off client, it must not refuse them
                .ignoreMigrationPatterns("*:missing", "*:future")
                .load().migrate();
    }

    /**
     * A separate Flyway client applying the test-only contract migration that renames app.blobs' value
     * column while holding the table's ACCESS EXCLUSIVE lock; it waits for advisory lock 4901, which
     * the caller may hold to decide when the migration commits.
     */
    void applyBlobRenameUnderLock() {
        Flyway.configure().dataSource(jdbcUrl, "postgres", "")
                .schemas("app").defaultSchema("app").table("flyway_schema_history")
                .locations("classpath:db/migration/app", "classpath:db/test-migrations/blob-rename")
                .ignoreMigrationPatterns("*:missing", "*:future")
                .load().migrate();
    }

    /** A separate Flyway client applying the real migrations of both schemas. */
    void applyMigrations() {
        for (String schema : new String[] {"control", "app"}) {
            Flyway.configure().dataSource(jdbcUrl, "postgres", "")
                    .schemas(schema).defaultSchema(schema).table("flyway_schema_history")
                    .locations("classpath:db/migration/" + schema).load().migrate();
        }
    }

    /** An operator's repair of a contract recorded by mistake. */
    void removeContractRow(int version) {
        sql("DELETE FROM control.schema_contract WHERE version = " + version);
    }

    void sql(String statement) {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row. */
    java.util.List<String> strings(String query) {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var rows = connection.createStatement().executeQuery(query)) {
            var values = new java.util.ArrayList<String>();
            while (rows.next()) values.add(rows.getString(1));
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    String string(String query) {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var rows = connection.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    long count(String query) {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var rows = connection.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }
}
