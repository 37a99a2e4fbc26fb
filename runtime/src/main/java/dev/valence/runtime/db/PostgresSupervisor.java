package dev.valence.runtime.db;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Verdict;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL running: notices when its postmaster dies (the process is gone) or
 * stops answering (several failed checks in a row, then it is killed), and starts it again on the
 * same port and data folder, waiting {@code firstBackoffMs} before the first attempt and twice as
 * long after each failed one, up to {@code maxBackoffMs}. It never gives up: a database that can
 * start again (space freed, a folder mounted back) comes back without anyone; but once it has been
 * down longer than {@code downLimitMs}, {@link #livenessProblem()} says so, /healthz fails, and
 * whatever watches liveness restarts the whole process.
 *
 * <p>It logs one line per change (lost, each failed attempt, restarted) and tells the schema guard
 * what is true, so the 503s say "being restarted (attempt N)" rather than "back by itself".
 */
public final class PostgresSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresSupervisor.class);

    /**
     * @param checkIntervalMs how often the postmaster's process is looked at
     * @param probeIntervalMs how often a connection is tried ({@code SELECT 1}); {@code failedProbes} failures in a row mean hung
     */
    public record Settings(long checkIntervalMs, long probeIntervalMs, int failedProbes, long firstBackoffMs, long maxBackoffMs,
                           long downLimitMs) {
        public static Settings defaults(long downLimitMs) {
            return new Settings(250, 2_000, 3, 500, 30_000, downLimitMs);
        }
    }

    private final PostgresServer server;
    private final SchemaGuard guard;
    private final Settings settings;
    private final Thread thread;
    private volatile boolean running = true;
    /** Set while the postmaster is down: when it went, the attempt under way and the last failure. */
    private volatile Outage outage;

    private record Outage(long sinceNs, int attempt, String lastError, boolean pastLimit) {
        long downMs() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNs);
        }
    }

    public PostgresSupervisor(PostgresServer server, SchemaGuard guard, Settings settings) {
        this.server = server;
        this.guard = guard;
        this.settings = settings;
        guard.explainUnreachable(this::sentence);
        this.thread = Thread.ofPlatform().daemon().name("valence-postgres-supervisor").start(this::loop);
    }

    /** What the 503s say while the guard cannot connect. */
    private String sentence(String error) {
        Outage o = outage;
        if (o == null) return Verdict.cannotReach("localhost:" + server.port(), error, guard.retryMs());
        if (o.pastLimit()) return Verdict.embeddedNotRestarting(o.downMs(), o.attempt() - 1, o.lastError(), settings.maxBackoffMs());
        return Verdict.embeddedRestarting(o.attempt());
    }

    /** Present once the embedded database has been down longer than the bound: the process should be restarted. */
    public Optional<String> livenessProblem() {
        Outage o = outage;
        return o != null && o.pastLimit() ? Optional.of(sentence("")) : Optional.empty();
    }

    private void loop() {
        int failedProbes = 0;
        long nextProbeNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.probeIntervalMs());
        while (running) {
            sleep(settings.checkIntervalMs());
            if (!running || server.stopping()) return;
            try {
                if (!server.isRunning()) {
                    recover("its process (pid " + server.pid() + ") exited");
                    failedProbes = 0;
                } else if (System.nanoTime() >= nextProbeNs) {
                    nextProbeNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.probeIntervalMs());
                    Optional<String> failure = probe();
                    failedProbes = failure.isPresent() ? failedProbes + 1 : 0;
                    if (failedProbes >= settings.failedProbes()) {
                        server.kill();
                        recover("it stopped answering (" + failedProbes + " checks failed, last: " + failure.get() + "), so it was killed");
                        failedProbes = 0;
                    }
                }
            } catch (RuntimeException e) {
                log.error("Watching the embedded PostgreSQL failed; still watching", e);
            }
        }
    }

    /** Restarts the postmaster until it runs again (or this supervisor closes), backing off between attempts. */
    private void recover(String why) {
        long backoffMs = settings.firstBackoffMs();
        outage = new Outage(System.nanoTime(), 1, why, false);
        log.warn("Embedded PostgreSQL on port {} stopped: {}; restarting it in {} ms (attempt 1)", server.port(), why, backoffMs);
        tellGuard();
        long nextAttemptNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        while (running && !server.stopping()) {
            Outage o = outage;
            long limitNs = o.sinceNs() + TimeUnit.MILLISECONDS.toNanos(settings.downLimitMs());
            if (!o.pastLimit() && limitNs <= nextAttemptNs) {
                // the bound passes while waiting for the next attempt: /healthz starts failing now, and says so once
                sleepUntil(limitNs);
                if (!running || server.stopping()) return;
                outage = new Outage(o.sinceNs(), o.attempt(), o.lastError(), true);
                log.error("Embedded PostgreSQL has been down for {} ms ({} restart attempt(s) failed, last: {}); /healthz now fails;"
                        + " attempt {} in {} ms (its log: {})", o.downMs(), o.attempt() - 1, o.lastError(), o.attempt(),
                        Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextAttemptNs - System.nanoTime())), server.logFile());
                tellGuard();
                continue;
            }
            sleepUntil(nextAttemptNs);
            if (!running || server.stopping()) return;
            Optional<String> failure = server.restart();
            if (failure.isEmpty()) {
                outage = null;
                log.info("Embedded PostgreSQL restarted on port {} (pid {}, attempt {}, down {} ms)", server.port(), server.pid(),
                        o.attempt(), o.downMs());
                guard.recheck();
                return;
            }
            backoffMs = Math.min(backoffMs * 2, settings.maxBackoffMs());
            nextAttemptNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
            outage = new Outage(o.sinceNs(), o.attempt() + 1, failure.get(), o.pastLimit());
            log.warn("Embedded PostgreSQL restart attempt {} failed ({}); attempt {} in {} ms", o.attempt(), failure.get(),
                    o.attempt() + 1, backoffMs);
            tellGuard();
        }
    }

    private void tellGuard() {
        guard.report(Verdict.unreachableBecause(guard.build(), sentence(""), Instant.now()));
    }

    /** One connection and {@code SELECT 1}; a server that is starting, stopping or full counts as answering. */
    private Optional<String> probe() {
        var properties = new Properties();
        properties.setProperty("user", PostgresServer.SUPERUSER);
        properties.setProperty("password", server.password());
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "3");
        properties.setProperty("loginTimeout", "3");
        try (var connection = DriverManager.getConnection(server.jdbcUrl(), properties);
             var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return Optional.empty();
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.equals("53300") || state.equals("57P03")) return Optional.empty();
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void sleepUntil(long nanoTime) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanoTime - System.nanoTime());
        if (ms > 0) sleep(ms);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
