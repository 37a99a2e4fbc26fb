package dev.valence.ops;

import dev.valence.runtime.db.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The embedded PostgreSQL of a data folder ({@code VALENCE_DATA_DIR}): the server a runtime is running
 * on it, found by its {@code postmaster.pid}, or else one started for this command and stopped after it.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final PostgresServer started;
    private final String description;

    private EmbeddedDatabase(DataSource dataSource, PostgresServer started, String description) {
        this.dataSource = dataSource;
        this.started = started;
        this.description = description;
    }

    /** @param create whether a folder without a cluster gets a new one (a restore) or is refused (a backup) */
    static EmbeddedDatabase open(Path dataDir, boolean create) {
        Path pgData = dataDir.resolve("postgres");
        if (!create && !Files.exists(pgData.resolve("PG_VERSION"))) {
            throw new OpsException(ExitCodes.ENVIRONMENT, "no embedded PostgreSQL in " + dataDir + " (no " + pgData.resolve("PG_VERSION")
                    + "); pass the VALENCE_DATA_DIR the runtime uses, or --database URL");
        }
        Integer runningPort = runningPort(pgData);
        if (runningPort != null) {
            var ds = new PGSimpleDataSource();
            ds.setUrl("jdbc:postgresql://localhost:" + runningPort + "/postgres");
            ds.setUser("postgres");
            ds.setPassword(PostgresServer.password(dataDir));
            ds.setConnectTimeout(5);
            return new EmbeddedDatabase(ds, null, "the embedded PostgreSQL running on port " + runningPort + " with data in " + dataDir);
        }
        try {
            var server = PostgresServer.start(dataDir, 0);
            var ds = new PGSimpleDataSource();
            ds.setUrl(server.jdbcUrl());
            ds.setUser("postgres");
            ds.setPassword(server.password());
            return new EmbeddedDatabase(ds, server, "the embedded PostgreSQL in " + dataDir + " (started for this command)");
        } catch (RuntimeException e) {
            throw new OpsException(ExitCodes.ENVIRONMENT, "cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The port in postmaster.pid (its fourth line) while the process it names is alive; null when no server runs there. */
    private static Integer runningPort(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) return null;
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) return null;
            long pid = Long.parseLong(lines.get(0).strip());
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return null;
            return Integer.parseInt(lines.get(3).strip());
        } catch (IOException | NumberFormatException e) {
            return null; // a stale or half-written file: starting the server sorts it out or says what is wrong
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        if (started != null) started.close();
    }
}
