package dev.valence.runtime.engine;

import dev.valence.runtime.lifecycle.LoopThread;
import dev.valence.runtime.lifecycle.Supervised;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes run records in batches from a background thread, so recording a run costs the request one
 * lock-free store into a ring of slots made once ({@link RunRing}: no allocation per run). A full
 * ring (the database far behind) drops records and counts them rather than slowing every val down;
 * {@link #flush()} gives readers their own writes.
 */
public final class RunRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunRecorder.class);
    private static final int BATCH = 2000;
    private static final long INTERVAL_MS = 200;
    private static final long GATHER_NS = 100_000_000;
    private static final long GATHER_STEP_NS = 5_000_000;
    private static final int RETRY_LIMIT = 50_000;
    private static final int CAPACITY = 100_000;

    private final RunStore store;
    private final boolean enabled;
    /** Lock-free: the request path only offers; drained by one taker at a time, under {@link #flushLock}. Null while disabled. */
    private final RunRing queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Object flushLock = new Object();
    /** The writer: an Error that ends its thread is noticed by the supervisor, which runs the loop again ({@link #writer()}). */
    private final LoopThread writer;
    private volatile boolean running = true;

    private final Runnable onSchemaTrouble;
    /** Whether the writer is parked waiting for a first run (the next {@link #record} wakes it). */
    private volatile boolean waiting;
    private long lastWriteNs = System.nanoTime() - GATHER_NS; // the writer thread's own
    private final List<Run> retry = new ArrayList<>();
    private final List<Consumer<RunStore.Written>> listeners = new CopyOnWriteArrayList<>();

    /** @param onSchemaTrouble called when a write fails in a way that may mean the schema changed */
    public RunRecorder(RunStore store, boolean enabled, Runnable onSchemaTrouble) {
        this.store = store;
        this.enabled = enabled;
        this.queue = enabled ? new RunRing(CAPACITY) : null;
        this.onSchemaTrouble = onSchemaTrouble;
        this.writer = new LoopThread("valence-run-recorder", this::loop).start();
    }

    /**
     * An id for a run whose answer names it before the run is written (a failed HTTP run's error page);
     * 0 when runs are not recorded, or when no id could be had (the answer then names none).
     */
    public long reserveId() {
        if (!enabled) return 0;
        try {
            return store.allocateIds(1)[0];
        } catch (StoreException e) {
            return 0;
        }
    }

    public void record(Run run) {
        record(run.id(), run.valId(), run.version(), run.trigger(), run.outcome(), run.httpStatus() == null ? -1 : run.httpStatus(),
                run.startedAt(), run.durationMs(), run.logs(), run.error());
    }

    /**
     * Records a run from its fields, as {@link #record(Run)} does, without a run object: the request
     * path's way. The parameters are a {@link Run}'s components in its order, because a run object
     * (with its boxed status) made per request is what this exists to avoid.
     *
     * @param httpStatus the status of an HTTP run; negative for a run without one
     */
    public void record(long id, long valId, int version, Run.Trigger trigger, Run.Outcome outcome, int httpStatus,
                       Instant startedAt, double durationMs, String logs, String error) {
        if (!enabled) return;
        if (!queue.offer(id, valId, version, trigger, outcome, httpStatus, startedAt, durationMs, logs, error)) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                log.warn("Run records are arriving faster than the database takes them; {} dropped so far", dropped.get());
            }
        } else if (waiting) {
            LockSupport.unpark(writer.thread());
        }
    }

    /**
     * Calls {@code listener} with each batch once it is written (every run with its id, and the
     * rows and groups it went into), on the writer thread: the listener must hand the runs on and
     * return quickly.
     */
    public void onWritten(Consumer<RunStore.Written> listener) {
        listeners.add(listener);
    }

    /** The background writer, for the supervisor. */
    public Supervised writer() {
        return writer;
    }

    public long dropped() {
        return dropped.get();
    }

    /** Writes everything recorded so far before returning. */
    public void flush() {
        if (!enabled) return;
        synchronized (flushLock) {
            List<Run> batch = new ArrayList<>(BATCH);
            while (queue.drainTo(batch, BATCH, true) > 0 || !retry.isEmpty()) {
                write(batch);
                batch.clear();
                if (!retry.isEmpty()) return; // still failing: the background loop retries
            }
        }
    }

    private void loop() {
        if (!enabled) { // nothing is ever recorded: the writer waits for the close
            while (running) LockSupport.park();
            return;
        }
        while (running) {
            // Runs stay in the queue until written under the flush lock, so a flush never misses one.
            if (queue.isEmpty()) {
                waiting = true;
                if (queue.isEmpty()) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
                waiting = false;
                if (Thread.interrupted() && !running) return;
                if (queue.isEmpty()) {
                    if (!retry.isEmpty()) {
                        synchronized (flushLock) {
                            write(new ArrayList<>());
                        }
                    }
                    continue;
                }
            }
            // At most one write per GATHER_NS: a sporadic run is written at once, while under load runs
            // gather into a statement per few thousand, which costs PostgreSQL far less than one per
            // handful (the per-transaction work dominated).
            long gatherUntil = lastWriteNs + GATHER_NS;
            while (running && queue.waiting() < BATCH && System.nanoTime() < gatherUntil) {
                LockSupport.parkNanos(GATHER_STEP_NS);
            }
            synchronized (flushLock) {
                List<Run> batch = new ArrayList<>(Math.min(BATCH, queue.waiting()));
                queue.drainTo(batch, BATCH, false);
                if (!batch.isEmpty() || !retry.isEmpty()) write(batch);
            }
            lastWriteNs = System.nanoTime();
        }
    }

    /**
     * Writes a batch. When the database is away or the schema changed under us, the batch is kept
     * (up to a bound) and retried with the next one, and the schema guard is asked to recheck.
     */
    private void write(List<Run> batch) {
        List<Run> all = batch;
        if (!retry.isEmpty()) {
            all = new ArrayList<>(retry);
            all.addAll(batch);
        }
        try {
            RunStore.Written written = store.write(all);
            retry.clear();
            announce(written);
        } catch (StoreException e) {
            if (e.isSchemaOrConnectionProblem()) {
                onSchemaTrouble.run();
                retry.clear();
                int keep = Math.min(all.size(), RETRY_LIMIT);
                retry.addAll(all.subList(all.size() - keep, all.size()));
                dropped.addAndGet(all.size() - keep);
            } else {
                retry.clear();
                writeOneByOne(all, e);
            }
        }
    }

    /** A batch PostgreSQL refused for its data: each run on its own, so one bad row loses only itself. */
    private void writeOneByOne(List<Run> runs, StoreException batchError) {
        if (runs.size() == 1) {
            dropped.incrementAndGet();
            log.warn("Could not write a run record of val {}: {}", runs.getFirst().valId(), batchError.getMessage());
            return;
        }
        for (Run run : runs) {
            try {
                announce(store.write(List.of(run)));
            } catch (StoreException e) {
                dropped.incrementAndGet();
                log.warn("Could not write a run record of val {}: {}", run.valId(), e.getMessage());
            }
        }
    }

    private void announce(RunStore.Written written) {
        for (Consumer<RunStore.Written> listener : listeners) {
            try {
                listener.accept(written);
            } catch (RuntimeException e) {
                log.warn("A run listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        writer.close(Duration.ofSeconds(2));
        flush();
    }
}
