package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes run records in batches from a background thread, so recording a run costs the request one
 * queue offer. A full queue (the database far behind) drops records and counts them rather than
 * slowing every val down; {@link #flush()} gives readers their own writes.
 */
public final class RunRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunRecorder.class);
    private static final int BATCH = 500;
    private static final long INTERVAL_MS = 200;

    private final RunStore store;
    private final boolean enabled;
    private final LinkedBlockingQueue<Run> queue = new LinkedBlockingQueue<>(100_000);
    private final AtomicLong dropped = new AtomicLong();
    private final Object flushLock = new Object();
    private final Thread writer;
    private volatile boolean running = true;

    public RunRecorder(RunStore store, boolean enabled) {
        this.store = store;
        this.enabled = enabled;
        this.writer = Thread.ofPlatform().daemon().name("valence-run-recorder").start(this::loop);
    }

    public void record(Run run) {
        if (!enabled) return;
        if (!queue.offer(run) && dropped.incrementAndGet() % 1000 == 1) {
            log.warn("Run records are arriving faster than the database takes them; {} dropped so far", dropped.get());
        }
    }

    public long dropped() {
        return dropped.get();
    }

    /** Writes everything queued so far before returning. */
    public void flush() {
        synchronized (flushLock) {
            List<Run> batch = new ArrayList<>(BATCH);
            while (queue.drainTo(batch, BATCH) > 0) {
                write(batch);
                batch.clear();
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                Run first = queue.poll(INTERVAL_MS, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                synchronized (flushLock) {
                    List<Run> batch = new ArrayList<>(BATCH);
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    write(batch);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write(List<Run> batch) {
        try {
            store.insertAll(batch);
        } catch (RuntimeException e) {
            dropped.addAndGet(batch.size());
            log.warn("Could not write {} run record(s): {}", batch.size(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
