package dev.valence.runtime.engine;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces the limits of invocations: the wall-clock deadline, and the bytes the guest thread
 * allocates during one invocation (GraalJS Community has no heap sandbox, so the JVM's per-thread
 * allocation counter stands in). One sweep every few milliseconds checks both for every watched
 * invocation, so starting and finishing a watch schedules nothing (a timer task per invocation was
 * queued and cancelled under the timer queue's lock, on every request); a deadline is noticed at
 * most one sweep late. Past either limit the
 * invocation's context is cancelled (GraalJS stops guest code at its next safepoint, also inside a
 * tight loop) and discarded. Cancelling blocks until the guest thread has left, so it runs on its own threads.
 */
final class Watchdog implements AutoCloseable {
    private static final long SAMPLE_MS = 5;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Why a watch cancelled its invocation. */
    enum Cause { TIMEOUT, MEMORY }

    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService cancellers;
    private final Set<Watch> active = ConcurrentHashMap.newKeySet();

    Watchdog() {
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("valence-watchdog"));
        this.cancellers = Executors.newCachedThreadPool(daemon("valence-cancel"));
        timer.scheduleAtFixedRate(this::sweep, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    /** One invocation under watch, on the calling thread. Exactly one of {@link #finish()} and a limit wins. */
    final class Watch {
        private static final int RUNNING = 0, FINISHED = 1, CANCELLED = 2;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final ValContext context;
        private final long threadId = Thread.currentThread().threadId();
        private final long allocatedAtStart = THREADS.getThreadAllocatedBytes(threadId);
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
            long allocated = THREADS.getThreadAllocatedBytes(threadId) - allocatedAtStart;
            if (allocated > maxAllocatedBytes) cancel(Cause.MEMORY);
        }

        /** @return true when the invocation finished within its limits; false when a limit cancelled it */
        boolean finish() {
            active.remove(this);
            return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
        }

        /** What the invocation's thread allocated since the watch began; call it on that thread. */
        long allocatedBytes() {
            return THREADS.getThreadAllocatedBytes(threadId) - allocatedAtStart;
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
        timer.shutdownNow();
        cancellers.shutdownNow();
    }
}
