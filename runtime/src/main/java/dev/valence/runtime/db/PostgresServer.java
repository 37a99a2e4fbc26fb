package dev.valence.runtime.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL used when no {@code DATABASE_URL} is configured: binaries from a Maven
 * artifact, data in a folder that survives restarts. PostgreSQL outlives a JVM killed hard, so it is
 * stopped in a shutdown hook as well as by {@link #close()}.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Thread shutdownHook;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.shutdownHook = new Thread(this::stopQuietly, "valence-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts PostgreSQL on {@code dataDir/postgres}, creating the cluster on first use; port 0 picks a free one. */
    public static PostgresServer start(Path dataDir, int port) {
        Path pgData = dataDir.resolve("postgres");
        long startedNs = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            var builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on");
            if (port > 0) builder.setPort(port);
            var postgres = builder.start();
            log.info("Embedded PostgreSQL started on port {} with data in {} ({} ms)",
                    postgres.getPort(), pgData, (System.nanoTime() - startedNs) / 1_000_000);
            return new PostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + pgData
                    + ": " + e.getMessage() + ". Set DATABASE_URL to use another PostgreSQL server, or"
                    + " VALENCE_DATA_DIR to use another data folder.", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    private void stopQuietly() {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Stopping the embedded PostgreSQL failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            return; // the hook itself stops the server
        }
        stopQuietly();
    }
}
