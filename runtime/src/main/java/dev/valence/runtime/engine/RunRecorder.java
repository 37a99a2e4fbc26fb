package dev.valence.runtime.engine;

import dev.valence.runtime.lifecycle.LoopThread;
import dev.valence.runtime.lifecycle.Supervised;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes run records in batches from a background thread, so recording a run costs the request one
 * lock-free queue append. A full queue (the database far behind) drops records and counts them rather than
 * slowing every val down; {@link #flush()} gives readers their own writes.
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
    /** Lock-free: the request path only appends; {@link #queued} bounds it (approximately, under races). */
    private final ConcurrentLinkedQueue<Run> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
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
        if (!enabled) return;
        if (queued.get() >= CAPACITY) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                log.warn("Run records are arriving faster than the database takes them; {} dropped so far", dropped.get());
            }
        } else {
            queued.incrementAndGet();
            queue.add(run);
            if (waiting) LockSupport.unpark(writer.thread());
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
        synchronized (flushLock) {
            List<Run> batch = new ArrayList<>(BATCH);
            while (drainTo(batch) > 0 || !retry.isEmpty()) {
                write(batch);
                batch.clear();
                if (!retry.isEmpty()) return; // still failing: the background loop retries
            }
        }
    }

    /** Moves up to {@link #BATCH} queued runs into {@code batch}; returns how many. */
    private int drainTo(List<Run> batch) {
        int n = 0;
        Run run;
        while (n < BATCH && (run = queue.poll()) != null) {
            batch.add(run);
            n++;
        }
        queued.addAndGet(-n);
        return n;
    }

    private void loop() {
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
            while (running && queued.get() < BATCH && System.nanoTime() < gatherUntil) {
                LockSupport.parkNanos(GATHER_STEP_NS);
            }
            synchronized (flushLock) {
                List<Run> batch = new ArrayList<>(Math.min(BATCH, queued.get()));
                drainTo(batch);
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
