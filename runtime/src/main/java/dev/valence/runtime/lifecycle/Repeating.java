package dev.valence.runtime.lifecycle;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task repeated at a fixed rate on a scheduler thread of its own. A scheduled executor cancels a
 * periodic task for good, silently, the first time one run throws (an {@link Error}, or an exception
 * the task did not catch): {@link #loopAlive} then turns false, and {@link #restartLoop} logs what
 * ended it and schedules it again.
 */
public final class Repeating implements Supervised, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Repeating.class);

    private final String threadName;
    private final Runnable task;
    private final long periodMs;
    private final ScheduledThreadPoolExecutor timer;
    private volatile ScheduledFuture<?> schedule;

    private Repeating(String threadName, Runnable task, long periodMs) {
        this.threadName = threadName;
        this.task = task;
        this.periodMs = periodMs;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name(threadName).unstarted(r));
        this.schedule = timer.scheduleAtFixedRate(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} every {@code periodMs}, the first time after one period. */
    public static Repeating atFixedRate(String threadName, Runnable task, long periodMs) {
        return new Repeating(threadName, task, periodMs);
    }

    @Override
    public boolean loopAlive() {
        return timer.isShutdown() || !schedule.isDone();
    }

    @Override
    public synchronized void restartLoop() {
        if (loopAlive()) return;
        ScheduledFuture<?> ended = schedule;
        log.error("The {} task stopped repeating on {}; scheduling it again", threadName,
                ended.state() == Future.State.FAILED ? ended.exceptionNow().toString() : ended.state());
        try {
            schedule = timer.scheduleAtFixedRate(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // stopped on purpose since the check above: nothing to restart
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
