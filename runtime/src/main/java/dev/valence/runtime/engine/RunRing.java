package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The runs waiting for the recorder's writer: a ring of slots made once, one array per field, so
 * recording a run allocates nothing (a queue of run objects cost a record, a queue node, a boxed
 * status and an instant per request). Any thread may {@link #offer}; one taker at a time (the
 * writer, or a flush, under the recorder's lock) {@link #drainTo drains} in order and makes the
 * run objects the store writes.
 *
 * <p>An offer claims the next sequence number (unless {@code capacity} runs are waiting already),
 * fills the slot, then publishes it by storing its sequence number; the taker reads a slot only
 * after it was published and frees it (advancing {@link #taken}) only after it read it. Between
 * claiming and publishing an offer only stores into arrays, so a claimed slot is published within
 * moments.
 */
final class RunRing {
    private static final Run.Trigger[] TRIGGERS = Run.Trigger.values();
    private static final Run.Outcome[] OUTCOMES = Run.Outcome.values();
    /** The status column's value for a run without an HTTP status. */
    private static final int NO_STATUS = -1;

    private final int capacity;
    private final long[] ids;
    private final long[] valIds;
    private final long[] startedSeconds;
    private final int[] startedNanos;
    private final double[] durationsMs;
    private final int[] versions;
    private final int[] statuses;
    private final byte[] triggers;
    private final byte[] outcomes;
    private final String[] logs;
    private final String[] errors;
    /** Per slot: 1 + the sequence number of the run it holds once published (0: never used). */
    private final AtomicLongArray published;
    /** The next sequence number to claim. */
    private final AtomicLong claimed = new AtomicLong();
    /** The next sequence number to take; written by the taker only. */
    private volatile long taken;

    RunRing(int capacity) {
        this.capacity = capacity;
        ids = new long[capacity];
        valIds = new long[capacity];
        startedSeconds = new long[capacity];
        startedNanos = new int[capacity];
        durationsMs = new double[capacity];
        versions = new int[capacity];
        statuses = new int[capacity];
        triggers = new byte[capacity];
        outcomes = new byte[capacity];
        logs = new String[capacity];
        errors = new String[capacity];
        published = new AtomicLongArray(capacity);
    }

    /**
     * Puts a run in the ring; false (nothing stored) when {@code capacity} runs are waiting already.
     *
     * @param httpStatus the HTTP status, or a negative number for a run without one
     */
    boolean offer(long id, long valId, int version, Run.Trigger trigger, Run.Outcome outcome, int httpStatus,
                  Instant startedAt, double durationMs, String runLogs, String error) {
        // read before claiming, so nothing can fail between claiming a slot and publishing it
        byte triggerOrdinal = (byte) trigger.ordinal();
        byte outcomeOrdinal = (byte) outcome.ordinal();
        long seconds = startedAt.getEpochSecond();
        int nanos = startedAt.getNano();
        long sequence;
        do {
            sequence = claimed.get();
            if (sequence - taken >= capacity) return false;
        } while (!claimed.compareAndSet(sequence, sequence + 1));
        int slot = slot(sequence);
        ids[slot] = id;
        valIds[slot] = valId;
        versions[slot] = version;
        triggers[slot] = triggerOrdinal;
        outcomes[slot] = outcomeOrdinal;
        statuses[slot] = httpStatus < 0 ? NO_STATUS : httpStatus;
        startedSeconds[slot] = seconds;
        startedNanos[slot] = nanos;
        durationsMs[slot] = durationMs;
        logs[slot] = runLogs;
        errors[slot] = error;
        published.set(slot, sequence + 1); // a volatile store: the slot's fields are visible to whoever sees it
        return true;
    }

    /** How many runs wait (claimed, published or about to be, and not yet taken). */
    int waiting() {
        return (int) Math.min(Integer.MAX_VALUE, claimed.get() - taken);
    }

    boolean isEmpty() {
        return claimed.get() == taken;
    }

    /**
     * Moves up to {@code max} waiting runs, in order, into {@code batch}; returns how many. With
     * {@code complete} it also waits for the runs claimed before the call that are not yet published
     * (a flush must write every run whose recording returned, and one claimed earlier may be a few
     * stores from done); otherwise it stops at the first such run and leaves it for the next drain.
     * One taker at a time.
     */
    int drainTo(List<Run> batch, int max, boolean complete) {
        long end = claimed.get();
        long next = taken;
        int n = 0;
        while (n < max && next < end) {
            int slot = slot(next);
            while (published.get(slot) != next + 1) {
                if (!complete) {
                    taken = next;
                    return n;
                }
                Thread.yield(); // its recorder is a few stores from publishing it
            }
            batch.add(take(slot));
            next++;
            n++;
        }
        taken = next;
        return n;
    }

    /** The run of a published slot, whose references are then dropped (the ring keeps no logs alive). */
    private Run take(int slot) {
        int status = statuses[slot];
        var run = new Run(ids[slot], valIds[slot], versions[slot], TRIGGERS[triggers[slot]], OUTCOMES[outcomes[slot]],
                status == NO_STATUS ? null : status, Instant.ofEpochSecond(startedSeconds[slot], startedNanos[slot]),
                durationsMs[slot], logs[slot], errors[slot]);
        logs[slot] = null;
        errors[slot] = null;
        return run;
    }

    private int slot(long sequence) {
        return (int) (sequence % capacity);
    }
}
