package dev.valence.runtime.lifecycle;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop that runs on a platform thread of its own until it is closed. An {@link Error} (a stack
 * overflow, a linkage error, an OutOfMemoryError in a JVM that does not exit on one) or an exception
 * the loop did not expect ends the thread: it is logged with its cause, {@link #loopAlive} turns false,
 * and {@link #restartLoop} runs the same loop on a new thread. What the loop keeps between turns lives
 * in its owner, so a restarted loop carries on where the last one stopped.
 */
public final class LoopThread implements Supervised {
    private static final Logger log = LoggerFactory.getLogger(LoopThread.class);

    private final String threadName;
    private final Runnable loop;
    private volatile Thread thread;
    private volatile boolean closed;

    /** @param loop returns only once its owner stopped it (the owner's own flag, or an interrupt after {@link #close}) */
    public LoopThread(String threadName, Runnable loop) {
        this.threadName = threadName;
        this.loop = loop;
    }

    /** Starts the thread; does nothing when it runs already. */
    public synchronized LoopThread start() {
        if (thread == null && !closed) thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
        return this;
    }

    /** The thread running the loop now (another one after a restart): to unpark or interrupt it. */
    public Thread thread() {
        return thread;
    }

    @Override
    public boolean loopAlive() {
        Thread current = thread;
        return closed || current == null || current.isAlive();
    }

    @Override
    public synchronized void restartLoop() {
        if (loopAlive()) return;
        thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
    }

    private void run() {
        try {
            loop.run();
        } catch (Throwable e) { // the thread ends here either way: say why, once
            if (!closed) log.error("The {} thread ended on {}", threadName, e.toString(), e);
        }
    }

    /** Stops restarts, interrupts the thread and waits up to {@code wait} for the loop to return. */
    public void close(Duration wait) {
        Thread current;
        synchronized (this) {
            closed = true;
            current = thread;
        }
        if (current == null) return;
        current.interrupt();
        try {
            current.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
