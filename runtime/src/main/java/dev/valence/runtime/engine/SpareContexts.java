package dev.valence.runtime.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few contexts with the prelude already evaluated, made on a background thread, so that a new val
 * version's first request pays only for evaluating its own module. A spare is blank (no owner
 * functions, no files) until it is taken; each is taken once, by one val, and never comes back here.
 */
final class SpareContexts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpareContexts.class);

    private final JsEngine engine;
    private final int logLimitBytes;
    private final int size;
    private final ConcurrentLinkedQueue<JsEngine.Spare> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean filling = new AtomicBoolean();
    private final ExecutorService filler;
    private volatile boolean closed;

    SpareContexts(JsEngine engine, int logLimitBytes, int size) {
        this.engine = engine;
        this.logLimitBytes = logLimitBytes;
        this.size = size;
        this.filler = size <= 0 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "valence-spare-contexts");
            t.setDaemon(true);
            return t;
        });
        refill();
    }

    /** A context for a val with {@code sandbox}, made from a spare; null when none is ready. */
    ValContext take(JsEngine.Sandbox sandbox) {
        if (size <= 0) return null;
        JsEngine.Spare spare = spares.poll();
        if (spare == null) {
            refill();
            return null;
        }
        count.decrementAndGet();
        refill();
        return new ValContext(spare.logs, engine.claim(spare, sandbox));
    }

    int ready() {
        return count.get();
    }

    private void refill() {
        if (size <= 0 || closed || !filling.compareAndSet(false, true)) return;
        try {
            filler.execute(this::fill);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            filling.set(false); // closed meanwhile
        }
    }

    private void fill() {
        try {
            while (!closed && count.get() < size) {
                spares.add(engine.newSpare(logLimitBytes));
                count.incrementAndGet();
                if (closed) drain();
            }
        } catch (RuntimeException e) {
            if (!closed) log.warn("Could not make a spare context: {}", e.toString());
            return; // the next take tries again
        } finally {
            filling.set(false);
        }
        if (!closed && count.get() < size) refill(); // taken while we were finishing
    }

    private void drain() {
        JsEngine.Spare spare;
        while ((spare = spares.poll()) != null) {
            count.decrementAndGet();
            try {
                spare.close();
            } catch (RuntimeException ignored) {
                // the engine is closing
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (filler != null) filler.shutdownNow();
        drain();
    }
}
