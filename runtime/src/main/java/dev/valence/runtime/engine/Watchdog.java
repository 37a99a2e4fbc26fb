package dev.valence.runtime.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces the wall-clock limit of invocations. At the deadline it cancels the invocation's context
 * (GraalJS stops guest code at its next safepoint, also inside a tight loop) and the context is
 * discarded. Cancelling blocks until the guest thread has left, so it runs on its own threads.
 */
final class Watchdog implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService cancellers;

    Watchdog() {
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("valence-watchdog"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.cancellers = Executors.newCachedThreadPool(daemon("valence-cancel"));
    }

    /** One invocation under watch. Exactly one of {@link #finish()} and the deadline wins. */
    final class Watch {
        private static final int RUNNING = 0, FINISHED = 1, CANCELLED = 2;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final ScheduledFuture<?> deadline;

        private Watch(ValContext context, long timeoutMs) {
            this.deadline = timer.schedule(() -> {
                if (state.compareAndSet(RUNNING, CANCELLED)) cancellers.execute(context::close);
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }

        /** @return true when the invocation finished in time; false when the deadline cancelled it */
        boolean finish() {
            deadline.cancel(false);
            return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
        }

        boolean cancelled() {
            return state.get() == CANCELLED;
        }
    }

    Watch watch(ValContext context, long timeoutMs) {
        return new Watch(context, timeoutMs);
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
