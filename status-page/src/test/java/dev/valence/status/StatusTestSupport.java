package dev.valence.status;

import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** A real PostgreSQL (one per test run, a database per use) and a status page served on a random port. */
public final class StatusTestSupport {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger counter = new AtomicInteger();

    private StatusTestSupport() {}

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    /** A fresh database with the control migrations applied. */
    public static String newDatabase(String prefix) {
        String name = prefix + "_" + counter.incrementAndGet();
        try (var c = DriverManager.getConnection(jdbc("postgres"), "postgres", ""); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Flyway.configure().dataSource(jdbc(name), "postgres", "").schemas("control").defaultSchema("control").createSchemas(true)
                .locations("classpath:db/migration/control").load().migrate();
        return name;
    }

    public static String jdbc(String database) {
        return "jdbc:postgresql://localhost:" + postgres().getPort() + "/" + database;
    }

    public static DataSource dataSource(String database) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(jdbc(database));
        ds.setUser("postgres");
        return ds;
    }

    /** A served status page and what a test needs around it. */
    public record Served(StatusPage page, Vertx vertx, String database, String baseUrl, String teamToken, Path dataDir) implements AutoCloseable {
        @Override
        public void close() {
            page.close();
            vertx.close().await();
        }
    }

    public static Served serve(String prefix) {
        String database = newDatabase(prefix);
        return serveOn(database, dataSource(database), tempDir());
    }

    public static Served serveOn(String database, DataSource dataSource, Path dataDir) {
        return serve(database, dataSource, dataDir, true);
    }

    /** For a database that cannot be reached: no team token is made. */
    static Served serveOnWithoutToken(String database, DataSource dataSource, Path dataDir) {
        return serve(database, dataSource, dataDir, false);
    }

    private static Served serve(String database, DataSource dataSource, Path dataDir, boolean withToken) {
        var page = new StatusPage(dataSource, () -> dataSource.getConnection(),
                new StatusPage.Settings("https://status.example.com/", dataDir.resolve("status-snapshot.json"), 500));
        String token = withToken ? page.ensureTeamToken(dataDir).orElse(null) : null;
        Vertx vertx = Vertx.vertx();
        int port = page.serve(vertx, "127.0.0.1", 0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (page.keeper().view() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Served(page, vertx, database, "http://127.0.0.1:" + port, token, dataDir);
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("valence-status-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
