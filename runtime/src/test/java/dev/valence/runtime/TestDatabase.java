package dev.valence.runtime;

import dev.valence.runtime.db.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run; each test class gets a database of its own.
 *
 * <p>By default that PostgreSQL is an embedded one started here. When {@value #EXTERNAL_VARIABLE}
 * holds the postgres:// URL of an already-migrated database (what {@code ops compat-test} sets to run
 * an older release's tests against the newer schema), that database's server is used instead, and
 * {@link #migratedDatabase} clones that database as a template rather than migrating.
 */
public final class TestDatabase {
    /** The postgres:// URL of an already-migrated database to run against instead of an embedded one. */
    public static final String EXTERNAL_VARIABLE = "VALENCE_TEST_DATABASE_URL";

    private static EmbeddedPostgres server;
    private static final AtomicInteger counter = new AtomicInteger();
    private static final Optional<External> external = External.fromEnv(System.getenv(EXTERNAL_VARIABLE));

    private TestDatabase() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // a throwaway cluster shared by the test classes, made by the library as it comes (commits need not
                // wait for the disk; no passwords, so tests connect as postgres with none); tests of the runtime's
                // own embedded server (durable, password-protected) start that one
                server = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("valence-test-pg"))
                        .setCleanDataDirectory(true).start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    /** Whether the tests run against an external, already-migrated database ({@value #EXTERNAL_VARIABLE}). */
    public static boolean external() {
        return external.isPresent();
    }

    /** Creates an empty database and returns its postgres:// URL. */
    public static String newDatabase(String prefix) {
        return create(prefix, "");
    }

    /**
     * A database the runtime can start on: empty by default (the runtime migrates it), or, with
     * {@value #EXTERNAL_VARIABLE}, a clone of the already-migrated database, which must not be migrated again.
     */
    public static String migratedDatabase(String prefix) {
        return external.map(e -> create(prefix, " TEMPLATE " + e.database())).orElseGet(() -> newDatabase(prefix));
    }

    private static String create(String prefix, String template) {
        // the process id too: test classes run in more than one JVM, which share an external server
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
        try (var connection = DriverManager.getConnection(serverJdbcUrl("postgres"), user(), password());
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + template);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + template, e);
        }
        return external.map(e -> e.urlFor(name)).orElseGet(() -> "postgres://postgres@localhost:" + server().getPort() + "/" + name);
    }

    /** A data source on a database made by this class, as its owner. */
    public static javax.sql.DataSource dataSource(String databaseUrl) {
        var source = new org.postgresql.ds.PGSimpleDataSource();
        source.setURL(jdbcUrl(databaseUrl));
        source.setUser(user());
        source.setPassword(password());
        return source;
    }

    public static String jdbcUrl(String databaseUrl) {
        return serverJdbcUrl(databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1));
    }

    private static String serverJdbcUrl(String database) {
        return external.map(e -> e.jdbcUrl(database)).orElseGet(() -> "jdbc:postgresql://localhost:" + server().getPort() + "/" + database);
    }

    private static String user() {
        return external.map(External::user).orElse("postgres");
    }

    private static String password() {
        return external.map(External::password).orElse("");
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The external server, and the migrated database on it that serves as the template. */
    private record External(URI uri, String database, String user, String password) {
        static Optional<External> fromEnv(String url) {
            if (url == null || url.isBlank()) return Optional.empty();
            if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
                throw new IllegalArgumentException(EXTERNAL_VARIABLE + " must be a postgres:// URL of a migrated database, got '"
                        + DatabaseUrl.redact(url) + "'");
            }
            URI uri = URI.create(url.trim());
            String user = "postgres";
            String password = "";
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : "";
            }
            return Optional.of(new External(uri, uri.getPath().substring(1), user, password));
        }

        String jdbcUrl(String name) {
            return "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + name
                    + "?user=" + user + (password.isEmpty() ? "" : "&password=" + password);
        }

        String urlFor(String name) {
            return uri.getScheme() + "://" + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@") + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + name;
        }
    }
}
