package dev.valence.runtime;

import dev.valence.runtime.db.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL for the whole test run; each test class gets a database of its own.
 */
public final class TestDatabase {
    private static PostgresServer server;
    private static final AtomicInteger counter = new AtomicInteger();

    private TestDatabase() {}

    public static synchronized PostgresServer server() {
        if (server == null) {
            try {
                server = PostgresServer.start(Files.createTempDirectory("valence-test-pg"), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    /** Creates an empty database and returns its postgres:// URL. */
    public static String newDatabase(String prefix) {
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + counter.incrementAndGet();
        try (var connection = DriverManager.getConnection(server().jdbcUrl(), "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return "postgres://postgres@localhost:" + server().port() + "/" + name;
    }

    public static String jdbcUrl(String databaseUrl) {
        return "jdbc:postgresql://localhost:" + server().port() + databaseUrl.substring(databaseUrl.lastIndexOf('/'));
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
