package dev.valence.runtime.store;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals the plaintext environment values an older release left (or older code still writes during a
 * rolling deploy) as soon as no instance of such code is live: sealing them earlier would hide them
 * from those instances' vals. Runs shortly after start and then every {@code intervalMs}; a database
 * that is down or a schema that does not match yet just means trying again next time.
 */
public final class EnvSealing implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EnvSealing.class);
    /** A heartbeat this recent means the instance runs (heartbeats come every few seconds). */
    private static final int LIVE_SECONDS = 30;

    private final EnvStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        var thread = new Thread(r, "valence-env-sealing");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean waitingLogged;
    /** Whether the stored values' key ids were compared with this instance's keys (once, after the database answered). */
    private volatile boolean keysChecked;

    private final long intervalMs;
    /** The sweep's schedule: an Error thrown by a sweep ends it (a scheduled task never runs again after one). */
    private volatile ScheduledFuture<?> sweeping;

    public EnvSealing(EnvStore store, long firstDelayMs, long intervalMs) {
        this.store = store;
        this.intervalMs = intervalMs;
        sweeping = timer.scheduleWithFixedDelay(this::sweep, firstDelayMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Whether sweeps are still scheduled (for the supervisor). */
    public boolean loopAlive() {
        return !sweeping.isDone() || timer.isShutdown();
    }

    /** Schedules the sweeps again after something ended them (the supervisor calls it). */
    public synchronized void restartLoop() {
        if (!sweeping.isDone() || timer.isShutdown()) return;
        sweeping = timer.scheduleWithFixedDelay(this::sweep, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    void sweep() {
        try {
            if (!keysChecked) {
                List<String> missing = store.keyIdsBeyond(store.keys().ids());
                if (!missing.isEmpty()) log.error("Environment values in the database were sealed with key(s) {}, which this instance does not"
                        + " have (it has {} from {}); their vals get an error until every instance is given the same VALENCE_SECRET_KEY"
                        + " or key file", missing, store.keys().ids(), store.keys().source());
                keysChecked = true;
            }
            if (!store.hasPlaintext()) return;
            if (store.plaintextReadersLive(LIVE_SECONDS)) {
                if (!waitingLogged) log.info("Plaintext environment values wait to be sealed until no instance below code level {} is live",
                        EnvStore.SEALED_SINCE_LEVEL);
                waitingLogged = true;
                return;
            }
            int sealed = store.sealPlaintext();
            if (sealed > 0) log.info("Sealed {} plaintext environment values (AES-GCM) and removed their plaintext", sealed);
        } catch (RuntimeException e) {
            log.debug("Sealing plaintext environment values failed; trying again later", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
