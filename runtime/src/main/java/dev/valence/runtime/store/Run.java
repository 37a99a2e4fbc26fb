package dev.valence.runtime.store;

import java.time.Instant;

/** One invocation of a val: what triggered it, which version ran, how it ended, its logs. */
public record Run(
        long id,
        long valId,
        int version,
        Trigger trigger,
        Outcome outcome,
        Integer httpStatus,
        Instant startedAt,
        double durationMs,
        String logs,
        String error) {

    public enum Trigger {
        HTTP, CRON, SCRIPT, EMAIL;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** How a run ended. */
    public enum Outcome {
        /** The handler returned normally. */
        SUCCESS,
        /** The handler threw or returned something that is not a response. */
        ERROR,
        /** The wall-clock limit stopped it. */
        TIMEOUT,
        /** The platform stopped it (shutdown, client gone). */
        CANCELLED,
        /** A resource limit other than time stopped it. */
        LIMIT;

        public String wire() {
            return name().toLowerCase();
        }
    }
}
