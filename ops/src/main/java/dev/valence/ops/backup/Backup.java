package dev.valence.ops.backup;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.postgresql.PGConnection;

/**
 * Writes a backup: a zip file (deflated) whose first entry is the {@link Manifest} and whose other
 * entries are one {@code COPY (SELECT ...) TO STDOUT} (text format; a query, so a partitioned table
 * is read through its parent) per table, all read in one read-only
 * REPEATABLE READ transaction, so the rows of every table are of the same instant. The file is made
 * 0600 under a temporary name and moved into place only when complete. The secret key is never read.
 */
public final class Backup {
    private Backup() {}

    public static Manifest write(Connection connection, Path out) {
        Path target = out.toAbsolutePath();
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Manifest manifest;
            try (var file = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16); var zip = new ZipOutputStream(file)) {
                zip.setLevel(Deflater.BEST_SPEED); // COPY text of ids and timestamps packs well even at the fastest level
                manifest = copy(connection, zip);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return manifest;
        } catch (IOException e) {
            throw new BackupException(false, "cannot write the backup to " + target + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new BackupException(false, "reading the database failed: " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the move already took it, or the disk is gone and the error above says so
                }
            }
        }
    }

    private static Manifest copy(Connection connection, ZipOutputStream zip) throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            var versions = Catalog.schemaVersions(connection);
            if (!versions.containsKey("app") || !versions.containsKey("control")) {
                throw new BackupException(true, "the database has no Valence schemas (control and app, with their Flyway history);"
                        + " check --database or --data-dir");
            }
            var tables = new ArrayList<Manifest.Table>();
            for (var table : Catalog.tables(connection)) tables.add(table.withRows(Catalog.count(connection, table)));
            var manifest = new Manifest(Manifest.FORMAT_VERSION, takenAt(connection), versions, tables, Catalog.sequences(connection));
            zip.putNextEntry(new ZipEntry(Manifest.ENTRY));
            zip.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            var copier = connection.unwrap(PGConnection.class).getCopyAPI();
            for (var table : tables) {
                zip.putNextEntry(new ZipEntry(table.entry()));
                long copied = copier.copyOut("COPY (SELECT " + table.columnList() + " FROM " + table.quoted() + ") TO STDOUT", new Unclosed(zip));
                zip.closeEntry();
                if (copied != table.rows()) {
                    throw new BackupException(false, "COPY of " + table.qualified() + " gave " + copied + " rows where the same snapshot counted "
                            + table.rows() + "; the backup was not written");
                }
            }
            connection.rollback(); // read only: nothing to keep
            return manifest;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static Instant takenAt(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT now()")) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        }
    }

    /** The zip stays open between entries, whatever the copier does with the stream it is given. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
