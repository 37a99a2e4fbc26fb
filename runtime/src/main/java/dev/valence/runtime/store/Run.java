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

    /** The same run with the id it is stored under. */
    public Run withId(long newId) {
        return new Run(newId, valId, version, trigger, outcome, httpStatus, startedAt, durationMs, logs, error);
    }

    /**
     * What started a run. {@code MANUAL}: a cron or email val run by hand ("Run now"); it is stored
     * as trigger {@code script} with the {@code manual} flag, because older builds fail on a trigger
     * value they do not know (see app migration V4).
     */
    public enum Trigger {
        HTTP, CRON, SCRIPT, EMAIL, MANUAL;

        public String wire() {
            return name().toLowerCase();
        }

        /** The trigger of a wire name, or null when there is none of that name. */
        public static Trigger fromWire(String s) {
            for (Trigger t : values()) if (t.wire().equals(s)) return t;
            return null;
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
        LIMIT,
        /**
         * A host function (std/blob, env, imports, std/email) met a database error that means the schema
         * changed under this build or the database went away: whatever the val answered, the platform
         * answered with the fallback 503 (or held the cron, script or email work to run again).
         */
        SCHEMA;

        public String wire() {
            return name().toLowerCase();
        }

        /** The outcome of a wire name, or null when there is none of that name. */
        public static Outcome fromWire(String s) {
            for (Outcome o : values()) if (o.wire().equals(s)) return o;
            return null;
        }
    }
}
