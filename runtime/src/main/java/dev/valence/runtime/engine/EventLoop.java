package dev.valence.runtime.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The event loop of one invocation, on the guest's thread. Host operations that finish later (fetch
 * responses, body chunks) post completions to its queue from any thread; the loop runs them on the
 * guest's thread, fires due timers one at a time (GraalJS runs the microtasks each host call queued
 * when it returns, so microtasks run after every completion and every timer), and stops when the
 * awaited condition holds, the deadline passes, or nothing at all can make progress. It is the I/O
 * part of a {@link CallScope}.
 */
final class EventLoop implements AutoCloseable {
    /** How a run of the loop ended. */
    enum Exit { DONE, DEADLINE, STUCK }

    /** The guest's timers, as the loop drives them. */
    interface Timers {
        /** Milliseconds until the next timer is due, or -1 when none is pending. */
        long nextTimerDelayMs();

        /** Runs the earliest due timer: its callback, then (GraalJS) the microtasks it queued. */
        void fireTimer();

        /** A task that is not a timer begins: what it sets is not nested in a timer, and its timers count from now. */
        void beginTask();
    }

    /** A host operation in flight; cancelled when the invocation ends first. */
    interface Operation {
        void cancel();
    }

    /*
     * Made on first use: most invocations start no host operation and wait for nothing, so a blocking
     * queue (two locks) and a concurrent map made for each would be allocated for nothing. Completions
     * are posted only by operations this loop started, so the queue exists before another thread posts.
     */
    private volatile LinkedBlockingQueue<Runnable> completions;
    private volatile Map<Integer, Operation> pending;

    private int nextId = 1;
    private volatile boolean closed;

    private LinkedBlockingQueue<Runnable> completions() {
        LinkedBlockingQueue<Runnable> queue = completions;
        if (queue != null) return queue;
        synchronized (this) {
            if (completions == null) completions = new LinkedBlockingQueue<>();
            return completions;
        }
    }

    private Map<Integer, Operation> pending() {
        Map<Integer, Operation> operations = pending;
        if (operations != null) return operations;
        synchronized (this) {
            if (pending == null) pending = new ConcurrentHashMap<>();
            return pending;
        }
    }

    /** Host operations of this invocation still in flight. */
    int pendingOperations() {
        Map<Integer, Operation> operations = pending;
        return operations == null ? 0 : operations.size();
    }

    /** Posts a completion from any thread; dropped once the invocation ended. */
    void post(Runnable completion) {
        if (!closed) completions().add(completion);
    }

    /** Registers an operation in flight (on the guest's thread); its id lets the guest cancel it. */
    int started(Operation operation) {
        completions(); // before the operation can post
        int id = nextId++;
        pending().put(id, operation);
        return id;
    }

    void finished(int id) {
        Map<Integer, Operation> operations = pending;
        if (operations != null) operations.remove(id);
    }

    /** Cancels one operation, if it is still in flight. */
    void cancel(int id) {
        Map<Integer, Operation> operations = pending;
        Operation operation = operations == null ? null : operations.remove(id);
        if (operation != null) operation.cancel();
    }

    /**
     * Runs completions and timers until {@code done} holds. Due timers fire in deadline order (the
     * guest keeps them); each completion is a task of its own.
     */
    Exit run(BooleanSupplier done, Timers timers, long deadlineNs, BooleanSupplier cancelled) throws InterruptedException {
        while (true) {
            if (done.getAsBoolean()) return Exit.DONE;
            if (cancelled.getAsBoolean() || System.nanoTime() >= deadlineNs) return Exit.DEADLINE;
            LinkedBlockingQueue<Runnable> queue = completions;
            Runnable completion = queue == null ? null : queue.poll();
            if (completion != null) {
                timers.beginTask();
                completion.run();
                continue;
            }
            long delayMs = timers.nextTimerDelayMs();
            if (delayMs == 0) {
                timers.fireTimer();
                continue;
            }
            if (delayMs < 0 && pendingOperations() == 0 && (queue == null || queue.isEmpty())) return Exit.STUCK;
            long remainingMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000L);
            long waitMs = delayMs < 0 ? remainingMs : Math.min(delayMs, remainingMs);
            // wake up now and then to notice a client that went away or a cancellation
            completion = completions().poll(Math.min(waitMs, 50), TimeUnit.MILLISECONDS);
            if (completion != null) {
                timers.beginTask();
                completion.run();
            }
        }
    }

    /** Ends the invocation: pending host operations are cancelled and later completions dropped. */
    @Override
    public void close() {
        closed = true;
        Map<Integer, Operation> operations = pending;
        if (operations != null) {
            for (Operation operation : operations.values()) {
                try {
                    operation.cancel();
                } catch (RuntimeException ignored) {
                    // already finished
                }
            }
            operations.clear();
        }
        LinkedBlockingQueue<Runnable> queue = completions;
        if (queue != null) queue.clear();
    }
}
