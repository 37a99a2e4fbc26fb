package dev.valence.ops.lintreplay;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real embedded PostgreSQL holding one seeded template database (the base schema and its rows); every case
 * gets its own {@code CREATE DATABASE … TEMPLATE} copy, so a case never sees another's leftovers and the
 * rows are seeded once per run. Durability is switched off: nothing here needs to survive a crash, and the
 * copies are written several hundred times.
 */
final class SeededPostgres implements AutoCloseable {
    static final String TEMPLATE = "replay_template";

    private final EmbeddedPostgres postgres;
    private final AtomicInteger copies = new AtomicInteger();

    private SeededPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static SeededPostgres start(String schemaSql, String seedSql) {
        try {
            var postgres = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "50")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            var seeded = new SeededPostgres(postgres);
            seeded.execute("postgres", "CREATE DATABASE " + TEMPLATE);
            try (Connection c = seeded.connect(TEMPLATE); var s = c.createStatement()) {
                for (String statement : SqlScript.statements(schemaSql + "\n;\n" + seedSql)) {
                    s.execute(statement);
                }
                s.execute("VACUUM ANALYZE");
            }
            return seeded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("seeding the replay template failed: " + e.getMessage(), e);
        }
    }

    /** A fresh copy of the seeded template; returns its name. */
    String copy() {
        String name = "replay_case_" + copies.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE + " STRATEGY FILE_COPY");
        return name;
    }

    void drop(String database) {
        execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    /** The address {@code ops lint --database} takes for {@code database}. */
    String url(String database) {
        return "postgres://postgres@localhost:" + postgres.getPort() + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database, "postgres", "");
    }

    private void execute(String database, String sql) {
        try (Connection c = connect(database); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
