package dev.valence.ops.lint;

import dev.valence.runtime.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.internal.resolver.ChecksumCalculator;
import org.flywaydb.core.internal.resource.StringResource;

/**
 * Rule VL004: a migration already applied must not change. Reads each schema's Flyway history once and
 * compares the recorded checksum with the file's, computed by Flyway's own {@link ChecksumCalculator}.
 */
final class AppliedChecksums implements AutoCloseable {
    private final Connection connection;
    private final Map<String, Map<String, Integer>> checksumByVersionBySchema = new HashMap<>();

    private AppliedChecksums(Connection connection) {
        this.connection = connection;
    }

    /** Connects to {@code url} (postgres://... or jdbc:postgresql://...); throws SQLException when it cannot. */
    static AppliedChecksums connect(String url) throws SQLException {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        var properties = new Properties();
        if (parsed.user() != null) properties.setProperty("user", parsed.user());
        if (parsed.password() != null) properties.setProperty("password", parsed.password());
        return new AppliedChecksums(DriverManager.getConnection(parsed.jdbcUrl(), properties));
    }

    static int checksumOf(String sql) {
        return ChecksumCalculator.calculate(new StringResource(sql));
    }

    Optional<Finding> check(MigrationFile file, String sql) throws SQLException {
        if (file.schema().isEmpty() || file.version() < 0) return Optional.empty();
        Integer applied = history(file.schema()).get(Integer.toString(file.version()));
        int current = checksumOf(sql);
        if (applied == null || applied == current) return Optional.empty();
        String message = file.schema() + " v" + file.version() + " was applied with checksum " + applied
                + " but the file now has checksum " + current + ": the database has what ran, the file says something else";
        return Optional.of(Finding.ofFile(Rule.APPLIED_MIGRATION_CHANGED, file.display(), message, Rule.APPLIED_MIGRATION_CHANGED.fix()));
    }

    /** True if the database's Flyway history records {@code file}'s migration as applied. */
    boolean isApplied(MigrationFile file) throws SQLException {
        if (file.schema().isEmpty() || file.version() < 0 || file.isUndo()) return false;
        return history(file.schema()).containsKey(Integer.toString(file.version()));
    }

    private Map<String, Integer> history(String schema) throws SQLException {
        Map<String, Integer> cached = checksumByVersionBySchema.get(schema);
        if (cached != null) return cached;
        Map<String, Integer> rows = new HashMap<>();
        try (var exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, schema + ".flyway_schema_history");
            try (var result = exists.executeQuery()) {
                result.next();
                if (!result.getBoolean(1)) return rows;
            }
        }
        String query = "SELECT version, checksum FROM " + schema + ".flyway_schema_history WHERE version IS NOT NULL AND success";
        try (var statement = connection.createStatement(); var result = statement.executeQuery(query)) {
            while (result.next()) {
                int checksum = result.getInt(2);
                if (!result.wasNull()) rows.put(normalVersion(result.getString(1)), checksum);
            }
        }
        checksumByVersionBySchema.put(schema, rows);
        return rows;
    }

    /** Flyway writes "1" for V1 and "01" for V01; both are version 1. */
    private static String normalVersion(String version) {
        return version.matches("[0-9]{1,9}") ? Integer.toString(Integer.parseInt(version)) : version;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
