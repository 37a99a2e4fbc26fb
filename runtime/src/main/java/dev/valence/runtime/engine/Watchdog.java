package dev.valence.runtime.engine;

import dev.valence.runtime.lifecycle.Repeating;
import dev.valence.runtime.lifecycle.Supervised;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongUnaryOperator;

/**
 * Enforces the limits of invocations: the wall-clock deadline, and the bytes the guest thread
 * allocates during one invocation (GraalJS Community has no heap sandbox, so the JVM's per-thread
 * allocation counter stands in). One sweep every few milliseconds checks both for every watched
 * invocation, so starting and finishing a watch schedules nothing (a timer task per invocation was
 * queued and cancelled under the timer queue's lock, on every request); a deadline is noticed at
 * most one sweep late. Past either limit the
 * invocation's context is cancelled (GraalJS stops guest code at its next safepoint, also inside a
 * tight loop) and discarded. Cancelling blocks until the guest thread has left, so it runs on its own threads.
 * An Error thrown by a sweep would end the sweeps, and with them every limit: a supervisor watches
 * {@link #sampler()} and schedules them again.
 */
final class Watchdog implements AutoCloseable {
    private static final long SAMPLE_MS = 5;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Why a watch cancelled its invocation. */
    enum Cause { TIMEOUT, MEMORY }

    private final Repeating sampler;
    private final ExecutorService cancellers;
    private final Set<Watch> active = ConcurrentHashMap.newKeySet();
    /** A thread's allocated bytes so far, by thread id: the JVM's counter (a test reads it through a failing twin). */
    private final LongUnaryOperator allocationCounter;

    Watchdog() {
        this(THREADS::getThreadAllocatedBytes);
    }

    Watchdog(LongUnaryOperator allocatedBytes) {
        this.allocationCounter = allocatedBytes;
        this.cancellers = Executors.newCachedThreadPool(daemon("valence-cancel"));
        this.sampler = Repeating.atFixedRate("valence-watchdog", this::sweep, SAMPLE_MS);
    }

    /** The sweeps, for the supervisor: while they are stopped no deadline and no memory limit is enforced. */
    Supervised sampler() {
        return sampler;
    }

    /** One invocation under watch, on the calling thread. Exactly one of {@link #finish()} and a limit wins. */
    final class Watch {
        private static final int RUNNING = 0, FINISHED = 1, CANCELLED = 2;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final ValContext context;
        private final long threadId = Thread.currentThread().threadId();
        private final long allocatedAtStart = allocationCounter.applyAsLong(threadId);
        private final long maxAllocatedBytes;
        private final long deadlineNs;
        private volatile Cause cause;

        private Watch(ValContext context, long timeoutMs, long maxAllocatedBytes) {
            this.context = context;
            this.maxAllocatedBytes = maxAllocatedBytes;
            this.deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        }

        private void cancel(Cause why) {
            if (state.compareAndSet(RUNNING, CANCELLED)) {
                cause = why;
                active.remove(this);
                cancellers.execute(context::close);
            }
        }

        private void check(long nowNs) {
            if (nowNs - deadlineNs >= 0) {
                cancel(Cause.TIMEOUT);
                return;
            }
            long allocated = allocationCounter.applyAsLong(threadId) - allocatedAtStart;
            if (allocated > maxAllocatedBytes) cancel(Cause.MEMORY);
        }

        /** @return true when the invocation finished within its limits; false when a limit cancelled it */
        boolean finish() {
            active.remove(this);
            return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
        }

        /** What the invocation's thread allocated since the watch began; call it on that thread. */
        long allocatedBytes() {
            return allocationCounter.applyAsLong(threadId) - allocatedAtStart;
        }

        boolean cancelled() {
            return state.get() == CANCELLED;
        }

        /** What cancelled the invocation, or null. */
        Cause cause() {
            return cause;
        }
    }

    Watch watch(ValContext context, long timeoutMs, long maxAllocatedBytes) {
        var watch = new Watch(context, timeoutMs, maxAllocatedBytes);
        active.add(watch);
        return watch;
    }

    private void sweep() {
        long nowNs = System.nanoTime();
        for (Watch watch : active) {
            try {
                watch.check(nowNs);
            } catch (RuntimeException e) {
                // an exception would end the periodic sweep, and with it every later deadline: cancel this one instead
                watch.cancel(Cause.TIMEOUT);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        var counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        sampler.close();
        cancellers.shutdownNow();
    }
}
