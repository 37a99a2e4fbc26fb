package dev.valence.runtime.packages;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Packages and locks in PostgreSQL, shared by every instance and owner: files by the sha256 of their
 * bytes (a file two versions or packages share is stored once), package versions with their
 * package.json and file list, and each val version's lock. Nothing is written to local disk.
 */
public final class PackageStore {
    /** A package version as stored: its integrity, package.json and the paths of its files. */
    public record StoredPackage(String name, String version, String integrity, JsonObject manifest, SortedSet<String> paths, long unpackedBytes) {
        public StoredPackage {
            paths = Collections.unmodifiableSortedSet(new TreeSet<>(paths));
        }
    }

    /** A val version's lock and the hash of the imports it was resolved for. */
    public record StoredLock(int version, byte[] importsSha256, Lock lock) {}

    private final DataSource dataSource;

    public PackageStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<StoredPackage> find(String name, String version) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT integrity, manifest::text, unpacked_bytes,"
                     + " ARRAY(SELECT path FROM app.package_version_files f WHERE f.name = v.name AND f.version = v.version)"
                     + " FROM app.package_versions v WHERE name = ? AND version = ?")) {
            statement.setString(1, name);
            statement.setString(2, version);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                var paths = new TreeSet<String>();
                Collections.addAll(paths, (String[]) rows.getArray(4).getArray());
                return Optional.of(new StoredPackage(name, version, rows.getString(1), new JsonObject(rows.getString(2)), paths, rows.getLong(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read package " + name + "@" + version, e);
        }
    }

    /** Stores a package version's files (those already stored by content are kept as they are) in one transaction. */
    public StoredPackage save(String name, String version, String integrity, SortedMap<String, byte[]> files) {
        JsonObject manifest = new JsonObject(new String(files.get("package.json"), StandardCharsets.UTF_8));
        long unpackedBytes = files.values().stream().mapToLong(bytes -> bytes.length).sum();
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insert(connection, name, version, integrity, manifest, unpackedBytes, files);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store package " + name + "@" + version, e);
        }
        return new StoredPackage(name, version, integrity, manifest, new TreeSet<>(files.keySet()), unpackedBytes);
    }

    private static void insert(Connection connection, String name, String version, String integrity, JsonObject manifest,
                               long unpackedBytes, SortedMap<String, byte[]> files) throws SQLException {
        try (var versionRow = connection.prepareStatement("INSERT INTO app.package_versions (name, version, integrity, manifest, unpacked_bytes)"
                + " VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT (name, version) DO NOTHING")) {
            versionRow.setString(1, name);
            versionRow.setString(2, version);
            versionRow.setString(3, integrity);
            versionRow.setString(4, manifest.encode());
            versionRow.setLong(5, unpackedBytes);
            if (versionRow.executeUpdate() == 0) {
                return; // another save stored it first: same name and version, same integrity-checked bytes
            }
        }
        try (var fileRow = connection.prepareStatement("INSERT INTO app.package_files (sha256, size_bytes, content) VALUES (?, ?, ?)"
                + " ON CONFLICT (sha256) DO NOTHING");
             var pathRow = connection.prepareStatement("INSERT INTO app.package_version_files (name, version, path, sha256) VALUES (?, ?, ?, ?)")) {
            for (var file : files.entrySet()) {
                byte[] hash = sha256(file.getValue());
                fileRow.setBytes(1, hash);
                fileRow.setInt(2, file.getValue().length);
                fileRow.setBytes(3, file.getValue());
                fileRow.addBatch();
                pathRow.setString(1, name);
                pathRow.setString(2, version);
                pathRow.setString(3, file.getKey());
                pathRow.setBytes(4, hash);
                pathRow.addBatch();
            }
            fileRow.executeBatch();
            pathRow.executeBatch();
        }
    }

    /** One file of a stored package version, by its path inside the package. */
    public Optional<byte[]> file(String name, String version, String path) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT c.content FROM app.package_version_files f"
                     + " JOIN app.package_files c ON c.sha256 = f.sha256 WHERE f.name = ? AND f.version = ? AND f.path = ?")) {
            statement.setString(1, name);
            statement.setString(2, version);
            statement.setString(3, path);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + path + " of package " + name + "@" + version, e);
        }
    }

    /** Each file of a stored package version by its path inside the package, to the sha256 of its content. */
    public SortedMap<String, byte[]> fileHashes(String name, String version) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT path, sha256 FROM app.package_version_files WHERE name = ? AND version = ?")) {
            statement.setString(1, name);
            statement.setString(2, version);
            var hashes = new java.util.TreeMap<String, byte[]>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    hashes.put(rows.getString(1), rows.getBytes(2));
                }
            }
            return hashes;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the files of package " + name + "@" + version, e);
        }
    }

    /** A stored file's content by the sha256 of that content. */
    public Optional<byte[]> content(byte[] sha256) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT content FROM app.package_files WHERE sha256 = ?")) {
            statement.setBytes(1, sha256);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the package file " + hex(sha256), e);
        }
    }

    /** The lock of one val version, if it has package imports. */
    public Optional<StoredLock> lock(long valId, int version) {
        return readLock("SELECT version, imports_sha256, lock_json FROM app.val_version_locks WHERE val_id = ? AND version = ?", valId, version);
    }

    /** The newest lock of a version before {@code version}, which a save whose imports did not change reuses. */
    public Optional<StoredLock> previousLock(long valId, int version) {
        return readLock("SELECT version, imports_sha256, lock_json FROM app.val_version_locks WHERE val_id = ? AND version < ?"
                + " ORDER BY version DESC LIMIT 1", valId, version);
    }

    private Optional<StoredLock> readLock(String sql, long valId, int version) {
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(sql)) {
            statement.setLong(1, valId);
            statement.setInt(2, version);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new StoredLock(rows.getInt(1), rows.getBytes(2), Lock.fromJson(rows.getString(3))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the package lock of val " + valId + " v" + version, e);
        }
    }

    public void saveLock(long valId, int version, byte[] importsSha256, Lock lock) {
        try (var connection = dataSource.getConnection()) {
            saveLock(connection, valId, version, importsSha256, lock);
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the package lock of val " + valId + " v" + version, e);
        }
    }

    /** Stores the lock on {@code connection}, in whatever transaction it is in (a save writes it with the version). */
    public void saveLock(java.sql.Connection connection, long valId, int version, byte[] importsSha256, Lock lock) throws SQLException {
        try (var statement = connection.prepareStatement("INSERT INTO app.val_version_locks (val_id, version, imports_sha256, lock_json)"
                + " VALUES (?, ?, ?, ?)")) {
            statement.setLong(1, valId);
            statement.setInt(2, version);
            statement.setBytes(3, importsSha256);
            statement.setString(4, lock.toJson());
            statement.executeUpdate();
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
