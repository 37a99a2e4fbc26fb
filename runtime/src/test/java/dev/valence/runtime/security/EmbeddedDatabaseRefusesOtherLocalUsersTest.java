package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.db.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL answers only whoever holds the generated password: another local account
 * can neither log in without it over TCP nor find a Unix socket, and a data folder made by an older
 * release (which trusted every local user) is upgraded in place with its rows kept.
 */
class EmbeddedDatabaseRefusesOtherLocalUsersTest {

    @Test
    void a_new_data_folder_requires_the_generated_password_kept_owner_only_and_opens_no_socket() throws Exception {
        Path dataDir = TestDatabase.tempDir("valence-pg-auth");
        try (var server = PostgresServer.start(dataDir, 0)) {
            Path passwordFile = dataDir.resolve("postgres.password");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));

            assertAsksForPassword(server.port());

            try (var connection = connect(server.port(), password(dataDir)); var statement = connection.createStatement()) {
                assertEquals("", show(statement, "unix_socket_directories"));
                assertEquals("localhost", show(statement, "listen_addresses"));
                assertEquals("scram-sha-256", show(statement, "password_encryption"));
                var rules = statement.executeQuery("SELECT type, address, auth_method FROM pg_hba_file_rules ORDER BY line_number");
                int count = 0;
                while (rules.next()) {
                    count++;
                    assertEquals("host", rules.getString(1));
                    assertTrue(rules.getString(2).equals("127.0.0.1") || rules.getString(2).equals("::1"), rules.getString(2));
                    assertEquals("scram-sha-256", rules.getString(3));
                }
                assertEquals(2, count);
            }
        }
        String hba = Files.readString(dataDir.resolve("postgres/pg_hba.conf"));
        assertFalse(hba.lines().anyMatch(line -> !line.startsWith("#") && line.contains("trust")), hba);
    }

    @Test
    void a_data_folder_from_the_release_that_trusted_everyone_is_upgraded_in_place_with_its_rows() throws Exception {
        Path dataDir = TestDatabase.tempDir("valence-pg-upgrade");
        // what the previous release left: the library's cluster as it comes (initdb -A trust), no password file
        try (var old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres")).setCleanDataDirectory(false).start();
             var connection = old.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written by the old release')");
        }
        assertFalse(Files.exists(dataDir.resolve("postgres.password")));

        try (var server = PostgresServer.start(dataDir, 0)) {
            assertAsksForPassword(server.port());
            try (var connection = connect(server.port(), password(dataDir)); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT note FROM kept")) {
                assertTrue(rows.next());
                assertEquals("written by the old release", rows.getString(1));
            }
        }
        // and the next start is an ordinary one
        try (var server = PostgresServer.start(dataDir, 0)) {
            assertAsksForPassword(server.port());
            connect(server.port(), password(dataDir)).close();
        }
    }

    /** Without a password the server asks for SCRAM, which the driver cannot answer (it used to let anyone in). */
    private static void assertAsksForPassword(int port) {
        var refused = assertThrows(SQLException.class, () -> connect(port, null).close());
        assertEquals("The server requested SCRAM-based authentication, but no password was provided.", refused.getMessage());
        var wrong = assertThrows(SQLException.class, () -> connect(port, "guess").close());
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage()); // password authentication failed
    }

    private static Connection connect(int port, String password) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    private static String password(Path dataDir) throws java.io.IOException {
        return Files.readString(dataDir.resolve("postgres.password")).strip();
    }

    private static String show(java.sql.Statement statement, String setting) throws SQLException {
        try (var rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
