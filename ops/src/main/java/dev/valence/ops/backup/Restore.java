package dev.valence.ops.backup;

import dev.valence.runtime.secrets.EnvCipher;
import dev.valence.runtime.secrets.SecretKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.PGConnection;

/**
 * Restores a backup into an empty database: checks the file and the target first, migrates the
 * target to exactly the backup's schema versions, then in one transaction replaces what the
 * migrations seeded, copies every table back, sets every sequence, and (given a key) checks that
 * the key opens the sealed environment values, so a failure leaves nothing half restored.
 */
public final class Restore {
    /** Rows a fresh migration writes by itself: an empty database may hold these, and the backup's replace them. */
    static final Set<String> SEEDED_BY_MIGRATIONS = Set.of("app.flyway_schema_history", "control.flyway_schema_history",
            "control.schema_contract", "control.status_pages", "control.components", "control.component_status_history");

    /** What the restore did, for the operator's summary. */
    public record Result(Manifest manifest, Map<String, String> migratedFrom, KeyCheck keyCheck) {}

    /** Whether the given key opens one sealed value of every key id in the backup; {@code sealedValues} 0 when there are none. */
    public record KeyCheck(boolean checked, long sealedValues, List<String> keyIds) {}

    private final DataSource dataSource;
    private final Function<String, FluentConfiguration> flyway;

    /** @param flyway the Flyway configuration of a schema (control or app) on {@code dataSource} */
    public Restore(DataSource dataSource, Function<String, FluentConfiguration> flyway) {
        this.dataSource = dataSource;
        this.flyway = flyway;
    }

    /** @param keys the key the runtimes will use, to check before committing; null to restore without checking */
    public Result from(Path file, SecretKeys keys) {
        try (var zip = new ZipFile(file.toFile())) {
            var manifestEntry = zip.getEntry(Manifest.ENTRY);
            if (manifestEntry == null) throw new BackupException(true, file + " holds no " + Manifest.ENTRY + "; it is not a Valence backup");
            Manifest manifest;
            try (InputStream in = zip.getInputStream(manifestEntry)) {
                manifest = Manifest.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString());
            }
            for (var table : manifest.tables()) {
                if (zip.getEntry(table.entry()) == null) {
                    throw new BackupException(true, file + " lacks the rows of " + table.qualified() + " that its manifest lists; it is damaged");
                }
            }
            Map<String, String> before;
            try (var connection = dataSource.getConnection()) {
                before = Catalog.schemaVersions(connection);
                requireEmpty(connection);
            }
            requireMigrationsKnown(manifest, before);
            for (String schema : Catalog.SCHEMAS) {
                if (!manifest.schemaVersions().get(schema).equals(before.get(schema))) {
                    flyway.apply(schema).target(manifest.schemaVersions().get(schema)).load().migrate();
                }
            }
            try (var connection = dataSource.getConnection()) {
                var keyCheck = load(connection, zip, manifest, keys);
                return new Result(manifest, before, keyCheck);
            }
        } catch (ZipException e) {
            throw new BackupException(true, file + " is not a readable backup (" + e.getMessage() + "); it is damaged or not a Valence backup", e);
        } catch (IOException e) {
            throw new BackupException(false, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new BackupException(false, "restoring into the database failed, and its transaction was rolled back (the schemas may be"
                    + " migrated, but hold no restored rows): " + e.getMessage(), e);
        }
    }

    private static void requireEmpty(Connection connection) throws SQLException {
        var full = new ArrayList<String>();
        try (var statement = connection.prepareStatement("""
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (?) ORDER BY 1""")) {
            statement.setArray(1, connection.createArrayOf("text", Catalog.SCHEMAS.toArray()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    String table = rows.getString(1);
                    if (!SEEDED_BY_MIGRATIONS.contains(table) && !Catalog.EPHEMERAL.contains(table)) full.add(table);
                }
            }
        }
        full.removeIf(table -> !hasRows(connection, table));
        if (!full.isEmpty()) {
            throw new BackupException(true, "the target database is not empty: " + String.join(", ", full.subList(0, Math.min(5, full.size())))
                    + (full.size() > 5 ? " and " + (full.size() - 5) + " more tables" : "") + " hold rows. A restore never mixes a backup"
                    + " with other data: restore into a fresh database (a new --data-dir, or an empty database by --database)");
        }
    }

    private static boolean hasRows(Connection connection, String table) {
        int dot = table.indexOf('.');
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM " + Catalog.quoted(table.substring(0, dot), table.substring(dot + 1)) + ")")) {
            rows.next();
            return rows.getBoolean(1);
        } catch (SQLException e) {
            throw new BackupException(false, "cannot read " + table + " in the target database: " + e.getMessage(), e);
        }
    }

    private void requireMigrationsKnown(Manifest manifest, Map<String, String> before) {
        for (String schema : Catalog.SCHEMAS) {
            String wanted = manifest.schemaVersions().get(schema);
            if (wanted == null) throw new BackupException(true, "the backup names no " + schema + " schema version; it is damaged");
            String current = before.get(schema);
            if (current != null && MigrationVersion.fromVersion(current).isNewerThan(wanted)) {
                throw new BackupException(true, "the target database's " + schema + " schema is at v" + current + ", newer than the backup's v"
                        + wanted + "; restore into a fresh database");
            }
            boolean known = java.util.Arrays.stream(flyway.apply(schema).load().info().all())
                    .anyMatch(m -> m.getVersion() != null && m.getVersion().equals(MigrationVersion.fromVersion(wanted)));
            if (!known) {
                throw new BackupException(true, "the backup was taken at " + schema + " v" + wanted + ", a migration this build does not have;"
                        + " restore it with the build that took it or a newer one");
            }
        }
    }

    private static KeyCheck load(Connection connection, ZipFile zip, Manifest manifest, SecretKeys keys) throws SQLException, IOException {
        connection.setAutoCommit(false);
        try {
            try (var statement = connection.createStatement()) {
                var missing = manifest.tables().stream().filter(t -> !tableExists(connection, t)).map(Manifest.Table::qualified).toList();
                if (!missing.isEmpty()) {
                    throw new BackupException(true, "the backup holds " + String.join(", ", missing) + ", which the migrations to "
                            + manifest.schemaVersions() + " did not create; it is damaged or was taken with other migrations");
                }
                statement.execute("TRUNCATE " + String.join(", ", manifest.tables().stream().map(Manifest.Table::quoted).toList()));
            }
            var copier = connection.unwrap(PGConnection.class).getCopyAPI();
            for (var table : manifest.tables()) {
                long copied;
                try (InputStream in = zip.getInputStream(zip.getEntry(table.entry()))) {
                    copied = copier.copyIn("COPY " + table.quoted() + " (" + table.columnList() + ") FROM STDIN", in, 1 << 16);
                }
                if (copied != table.rows()) {
                    throw new BackupException(true, "the backup's " + table.qualified() + " holds " + copied + " rows where its manifest says "
                            + table.rows() + "; it is damaged, and nothing was restored");
                }
            }
            try (var setval = connection.prepareStatement("SELECT setval(?::regclass, ?, ?)")) {
                for (var sequence : manifest.sequences()) {
                    setval.setString(1, Catalog.quoted(sequence.schema(), sequence.name()));
                    setval.setLong(2, sequence.lastValue());
                    setval.setBoolean(3, sequence.isCalled());
                    setval.execute();
                }
            }
            var keyCheck = checkKey(connection, keys);
            connection.commit();
            return keyCheck;
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private static boolean tableExists(Connection connection, Manifest.Table table) {
        try {
            return Catalog.exists(connection, table.schema(), table.name());
        } catch (SQLException e) {
            throw new BackupException(false, "cannot read the target database's catalog: " + e.getMessage(), e);
        }
    }

    /** One sealed value of each key id is opened with {@code keys}; a wrong key stops the restore before its commit. */
    private static KeyCheck checkKey(Connection connection, SecretKeys keys) throws SQLException {
        if (!Catalog.exists(connection, "app", "env_secrets")) return new KeyCheck(keys != null, 0, List.of());
        var samples = new LinkedHashMap<String, Object[]>();
        long total = 0;
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                "SELECT user_id, key, key_id, sealed, count(*) OVER () FROM app.env_secrets ORDER BY key_id, user_id, key")) {
            while (rows.next()) {
                total = rows.getLong(5);
                samples.putIfAbsent(rows.getString(3), new Object[] {rows.getLong(1), rows.getString(2), rows.getBytes(4)});
            }
        }
        var ids = List.copyOf(samples.keySet());
        if (keys == null) return new KeyCheck(false, total, ids);
        var cipher = new EnvCipher(keys);
        for (var sample : samples.entrySet()) {
            Object[] row = sample.getValue();
            try {
                cipher.open((Long) row[0], (String) row[1], new EnvCipher.Sealed(sample.getKey(), (byte[]) row[2]));
            } catch (EnvCipher.Unreadable e) {
                throw new BackupException(true, "the key given (" + keys.source() + ", key " + String.join(", ", keys.ids())
                        + ") does not open the backup's environment values, sealed with key " + String.join(", ", ids) + ": " + e.getMessage()
                        + ". Nothing was restored. Pass the key file or VALENCE_SECRET_KEY kept with this backup, or neither to restore"
                        + " without checking (the values then stay unreadable until the runtimes get that key)", e);
            }
        }
        return new KeyCheck(true, total, ids);
    }
}
