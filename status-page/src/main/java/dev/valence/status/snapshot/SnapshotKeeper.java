package dev.valence.status.snapshot;

import dev.valence.status.model.Snapshot;
import dev.valence.status.store.StatusStore;
import dev.valence.foundation.listen.ListenLoop;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the page's snapshot current and survives the database going away: it reloads on every
 * change (LISTEN {@code valence_status}, pushed by triggers) and at least every few seconds, writes
 * each good snapshot to a file, and when the database cannot be reached keeps serving the last good
 * one (from memory, or from the file after a restart), flagged stale with its "as of" time.
 */
public final class SnapshotKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotKeeper.class);
    public static final String CHANNEL = "valence_status";

    /** The snapshot to serve and whether it is stale (the database could not be read). */
    public record View(Snapshot snapshot, boolean stale) {}

    private final StatusStore store;
    private final ListenLoop.Connector connections;
    private final SnapshotFile file;
    private final long pollMs;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile View view;
    private volatile boolean reloadRequested = true;
    private final ListenLoop loop;
    private long nextPollNs;

    /** {@code connections} opens a new, unpooled connection for listening. */
    public SnapshotKeeper(StatusStore store, ListenLoop.Connector connections, java.nio.file.Path snapshotFile, long pollMs) {
        this.store = store;
        this.connections = connections;
        this.file = new SnapshotFile(snapshotFile);
        this.pollMs = pollMs;
        this.view = file.read().map(s -> new View(s, true)).orElse(null);
        this.loop = new ListenLoop("valence-status-snapshot", connections, () -> List.of(CHANNEL), 50, new Turns());
        loop.start();
    }

    /** Whether the keeper's thread runs (also true after {@link #close}): a supervisor asks. */
    public boolean loopAlive() {
        return loop.loopAlive();
    }

    /** Starts the keeper's loop on a new thread after an error ended the last one; does nothing while one runs. */
    public synchronized void restartLoop() {
        loop.restartLoop();
    }

    /** The current view, or null before the first snapshot was ever taken. */
    public View view() {
        return view;
    }

    /** Called after every new snapshot (for live updates). */
    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    /** Reloads now (after a write through this process), returning the new view. */
    public synchronized View reloadNow() {
        reload();
        return view;
    }

    /** Reloads when notified, when (re)connected and at least every poll interval; marks the view stale while it cannot. */
    private final class Turns implements ListenLoop.Handler {
        @Override
        public void connected(Connection connection) {
            reloadRequested = true;
        }

        @Override
        public void beforeWait(Connection connection) {
            if (!reloadRequested && System.nanoTime() < nextPollNs) return;
            reloadRequested = false;
            synchronized (SnapshotKeeper.this) {
                reload();
            }
            nextPollNs = System.nanoTime() + pollMs * 1_000_000L;
        }

        @Override
        public void notices(Connection connection, List<PGNotification> notices) {
            reloadRequested = true;
        }

        @Override
        public long failed(Exception cause) {
            markStale(cause);
            return Math.min(pollMs, 1000);
        }
    }

    private void reload() {
        Snapshot fresh;
        try {
            fresh = store.snapshot(Instant.now());
        } catch (RuntimeException e) {
            markStale(e);
            return;
        }
        boolean wasStale = view == null || view.stale();
        view = new View(fresh, false);
        if (wasStale) log.info("Status snapshot is current again");
        try {
            file.write(fresh);
        } catch (java.io.IOException e) {
            log.warn("Could not write the status snapshot file: {}", e.getMessage());
        }
        for (var listener : listeners) {
            try {
                listener.accept(fresh);
            } catch (RuntimeException e) {
                log.warn("A status listener failed: {}", e.toString());
            }
        }
    }

    private void markStale(Exception e) {
        View current = view;
        if (current != null && !current.stale()) {
            log.warn("Status data cannot be read ({}); serving the snapshot taken at {}", e.getMessage(), current.snapshot().takenAt());
            view = new View(current.snapshot(), true);
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
