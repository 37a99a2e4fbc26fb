package dev.valence.runtime.announce;

import dev.valence.runtime.guard.Reason;
import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.SchemaState;
import dev.valence.runtime.guard.Transition;
import dev.valence.runtime.guard.Verdict;
import dev.valence.status.AutomaticIncidents;
import dev.valence.status.ComponentStatus;
import dev.valence.status.Impact;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an automatic incident when this instance's schema verdict leaves compatible, and resolves it
 * once no live instance (fresh heartbeat) reports the cause any more and an instance running compatible
 * code is ready; in between it says that it is waiting for one. Runs on its own thread so the
 * guard is never slowed by the status page; a reconciler repeats the resolution check every few
 * seconds, which also covers instances that died while affected.
 */
public final class StatusAnnouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusAnnouncer.class);
    static final String KEY_PREFIX = "schema:";
    private static final long LIVE_SECONDS = 10;
    static final String WAITING = "The instances running incompatible code have stopped; waiting for an instance running compatible"
            + " code to answer. HTTP vals stay unavailable until one does.";

    private final AutomaticIncidents incidents;
    private final SchemaGuard guard;
    private final DataSource dataSource;
    private final String instanceId;
    private final ScheduledExecutorService worker;
    private final long reconcileMs;
    private volatile java.util.concurrent.ScheduledFuture<?> reconciling;

    public StatusAnnouncer(AutomaticIncidents incidents, SchemaGuard guard, DataSource dataSource, String instanceId, long reconcileMs) {
        this.incidents = incidents;
        this.guard = guard;
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("valence-announcer").unstarted(r));
        guard.onTransition(t -> {
            try {
                worker.execute(() -> announce(t));
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // stopped: the guard outlives the announcer while the database stops, and says nothing more to announce
            }
        });
        this.reconcileMs = reconcileMs;
        this.reconciling = worker.scheduleWithFixedDelay(this::reconcile, reconcileMs, reconcileMs, TimeUnit.MILLISECONDS);
    }

    /** Whether the reconciler still repeats (an error thrown by one cancels the rest): the supervisor asks. */
    public boolean loopAlive() {
        return worker.isShutdown() || !reconciling.isDone();
    }

    /** Schedules the reconciler again after an error cancelled it; does nothing while it repeats. */
    public synchronized void restartLoop() {
        if (loopAlive()) return;
        log.error("The status announcer stopped on {}",
                reconciling.state() == java.util.concurrent.Future.State.FAILED ? reconciling.exceptionNow() : reconciling.state());
        reconciling = worker.scheduleWithFixedDelay(this::reconcile, reconcileMs, reconcileMs, TimeUnit.MILLISECONDS);
    }

    private void announce(Transition t) {
        try {
            Verdict to = t.to();
            if (!to.compatible() && to.reason() != Reason.STARTING && to.reason() != Reason.DATABASE_UNREACHABLE) {
                var cause = cause(to);
                incidents.open(cause).ifPresent(id -> log.warn("Opened incident {} on the status page: {}", id, cause.name()));
            }
            reconcile();
        } catch (RuntimeException e) {
            log.warn("Could not update the status page after the schema verdict changed: {}", e.getMessage());
        }
    }

    /** Reconciles as a running instance: this instance's own verdict counts. */
    void reconcile() {
        reconcile(false);
    }

    /**
     * Resolves every open schema incident once no live instance reports its cause and an instance running
     * compatible code is ready (this one, or another by its heartbeat). When the affected instances are gone
     * but none that is compatible answers yet, it says exactly that in an update and keeps the incident open.
     * {@code leaving}: this instance is stopping (its heartbeat row is gone), so its own verdict no longer counts.
     */
    void reconcile(boolean leaving) {
        try {
            for (String key : incidents.openKeys()) {
                if (!key.startsWith(KEY_PREFIX)) continue;
                String reason = key.substring(KEY_PREFIX.length());
                Verdict mine = guard.current();
                boolean affectedHere = !leaving && !mine.compatible() && mine.reason().code().equals(reason);
                if (affectedHere || liveInstancesReporting(reason) > 0) continue;
                Optional<String> ready = !leaving && mine.compatible()
                        ? Optional.of("instance " + instanceId + " (build " + guard.build().buildId() + ", level " + guard.build().codeLevel()
                                + ") runs compatible code and is answering: " + mine.message())
                        : liveCompatibleInstance();
                if (ready.isEmpty()) {
                    if (incidents.update(key, WAITING)) log.info("Status page incident for {}: {}", reason, WAITING);
                    continue;
                }
                if (incidents.resolve(key, "Resolved: " + ready.get() + ". No instance running incompatible code is live; HTTP vals"
                        + " are answering normally and held cron, script and email work is running.", restored())) {
                    log.info("Resolved the status page incident for {}", reason);
                }
            }
        } catch (RuntimeException e) {
            log.debug("Status reconciliation skipped: {}", e.getMessage());
        }
    }

    private long liveInstancesReporting(String reason) {
        try (var c = dataSource.getConnection();
             var s = c.prepareStatement("""
                     SELECT count(*) FROM control.instances
                     WHERE reason_code = ? AND instance_id <> ? AND last_seen_at > now() - make_interval(secs => ?)""")) {
            s.setString(1, reason);
            s.setString(2, instanceId);
            s.setLong(3, LIVE_SECONDS);
            try (var rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Another live instance whose heartbeat says compatible, described for the incident's last update. */
    private Optional<String> liveCompatibleInstance() {
        try (var c = dataSource.getConnection();
             var s = c.prepareStatement("""
                     SELECT instance_id, build_id, code_level FROM control.instances
                     WHERE verdict = 'compatible' AND instance_id <> ? AND last_seen_at > now() - make_interval(secs => ?)
                     ORDER BY last_seen_at DESC, instance_id LIMIT 1""")) {
            s.setString(1, instanceId);
            s.setLong(2, LIVE_SECONDS);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) return Optional.empty();
                return Optional.of("instance " + rows.getString(1) + " (build " + rows.getString(2) + ", level " + rows.getInt(3)
                        + ") runs compatible code and is answering");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The incident for an incompatible verdict, in plain words. */
    static AutomaticIncidents.Cause cause(Verdict v) {
        SchemaState s = v.state();
        int level = v.build().codeLevel();
        String body = switch (v.reason()) {
            case SCHEMA_TOO_NEW -> "A database migration (app v" + s.floorVersion() + ") needs code level " + s.floor()
                    + "; instances running level " + level + " are answering 503. Cron, script and email work is held and will run"
                    + " once they are replaced or the migration is rolled back.";
            case SCHEMA_TOO_OLD -> "The database schema (app v" + s.schemaVersion() + ") is older than instances running level " + level
                    + " need (app v" + v.build().codeMinimum() + "); they are answering 503 until the migrations are applied.";
            case FAILED_MIGRATION -> "Database migration app v" + s.failedVersion() + " (" + s.failedDescription() + ") failed;"
                    + " instances are answering 503 until it is repaired.";
            default -> v.message();
        };
        String name = switch (v.reason()) {
            case SCHEMA_TOO_NEW -> "HTTP vals unavailable: database migration ahead of running code";
            case SCHEMA_TOO_OLD -> "HTTP vals unavailable: database migrations pending";
            case FAILED_MIGRATION -> "HTTP vals unavailable: a database migration failed";
            default -> "HTTP vals unavailable";
        };
        var components = new LinkedHashMap<String, ComponentStatus>();
        components.put("http_vals", ComponentStatus.MAJOR_OUTAGE);
        components.put("authoring_api", ComponentStatus.MAJOR_OUTAGE);
        components.put("cron_vals", ComponentStatus.DEGRADED_PERFORMANCE);
        components.put("script_vals", ComponentStatus.DEGRADED_PERFORMANCE);
        components.put("email_vals", ComponentStatus.DEGRADED_PERFORMANCE);
        return new AutomaticIncidents.Cause(KEY_PREFIX + v.reason().code(), name, Impact.MAJOR, body, components);
    }

    private static Map<String, ComponentStatus> restored() {
        var components = new LinkedHashMap<String, ComponentStatus>();
        for (String key : new String[] {"http_vals", "authoring_api", "cron_vals", "script_vals", "email_vals"}) {
            components.put(key, ComponentStatus.OPERATIONAL);
        }
        return components;
    }

    /**
     * Stops the worker, then reconciles once more as a leaving instance (the heartbeat, stopped before this,
     * has removed its row): when the last affected instance stops, the incident says what is true now.
     */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS)) log.debug("The announcer's last task is still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // only an affected instance's leaving changes what is true; with the database gone, asking would only delay the stop
        Verdict mine = guard.current();
        if (!mine.compatible() && mine.reason() != Reason.STARTING && mine.reason() != Reason.DATABASE_UNREACHABLE) reconcile(true);
    }
}
