package dev.valence.runtime.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this instance's row in {@code control.instances} every few seconds: who it is, what build
 * and code level it runs, and its verdict. It only touches {@code control}, so it keeps beating while
 * {@code app} is mismatched: that is how operators and the migrate interlock see old code still live.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final String instanceId;
    private final String host;
    private final Instant startedAt = Instant.now();
    private final DataSource dataSource;
    private final SchemaGuard guard;
    private final ScheduledExecutorService timer;
    private final long intervalMs;
    private volatile java.util.concurrent.ScheduledFuture<?> beating;
    private volatile boolean failing;

    public Heartbeat(String instanceId, DataSource dataSource, SchemaGuard guard, long intervalMs) {
        this.instanceId = instanceId;
        this.host = hostName();
        this.dataSource = dataSource;
        this.guard = guard;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("valence-heartbeat").unstarted(r));
        this.intervalMs = intervalMs;
        this.beating = timer.scheduleWithFixedDelay(this::beat, 0, intervalMs, TimeUnit.MILLISECONDS);
        guard.onTransition(t -> { // a new verdict is visible at once
            try {
                timer.execute(this::beat);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // stopped (its row is gone): the guard outlives it while the database stops
            }
        });
    }

    /** Whether the beat still repeats (an error thrown by one cancels the rest): the supervisor asks. */
    public boolean loopAlive() {
        return timer.isShutdown() || !beating.isDone();
    }

    /** Schedules the beat again after an error cancelled it; does nothing while it repeats. */
    public synchronized void restartLoop() {
        if (loopAlive()) return;
        log.error("The heartbeat stopped on {}", beating.state() == java.util.concurrent.Future.State.FAILED ? beating.exceptionNow() : beating.state());
        beating = timer.scheduleWithFixedDelay(this::beat, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    public String instanceId() {
        return instanceId;
    }

    void beat() {
        Verdict verdict = guard.current();
        // every column on conflict: a replica restarted under the same id after a crash (no clean stop removed its row)
        // runs other code, and ops migrate and ops migrate --undo judge live code by code_level and code_minimum
        try (var connection = dataSource.getConnection();
             var upsert = connection.prepareStatement("""
                     INSERT INTO control.instances (instance_id, host, build_id, code_level, code_minimum, verdict, reason_code, started_at, last_seen_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())
                     ON CONFLICT (instance_id) DO UPDATE SET verdict = excluded.verdict, reason_code = excluded.reason_code,
                         last_seen_at = now(), build_id = excluded.build_id, host = excluded.host, code_level = excluded.code_level,
                         code_minimum = excluded.code_minimum, started_at = excluded.started_at""")) {
            upsert.setString(1, instanceId);
            upsert.setString(2, host);
            upsert.setString(3, guard.build().buildId());
            upsert.setInt(4, guard.build().codeLevel());
            upsert.setInt(5, guard.build().codeMinimum());
            upsert.setString(6, verdict.compatible() ? "compatible" : "incompatible");
            upsert.setString(7, verdict.compatible() ? null : verdict.reason().code());
            upsert.setTimestamp(8, Timestamp.from(startedAt));
            upsert.executeUpdate();
            if (failing) log.info("Heartbeat written again");
            failing = false;
        } catch (Exception e) {
            if (!failing) log.warn("Could not write the heartbeat of {} (will keep trying): {}", instanceId, e.getMessage());
            failing = true;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** Stops beating and removes this instance's row, so nobody waits for a stopped instance. */
    @Override
    public void close() {
        timer.shutdownNow();
        try (var connection = dataSource.getConnection();
             var delete = connection.prepareStatement("DELETE FROM control.instances WHERE instance_id = ?")) {
            delete.setString(1, instanceId);
            delete.executeUpdate();
        } catch (Exception e) {
            log.debug("Could not remove the heartbeat row of {}: {}", instanceId, e.getMessage());
        }
    }
}
