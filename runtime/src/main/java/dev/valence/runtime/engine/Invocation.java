package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;

/**
 * What one HTTP invocation produced: the val's response (status, headers as name/value pairs
 * separated by NUL, body as a String, byte[] or null) or the error that prevented one, plus its logs;
 * {@code schemaFailure} when a host function met a schema-class database error (outcome SCHEMA).
 */
public record Invocation(
        Run.Outcome outcome,
        int status,
        String statusText,
        String rawHeaders,
        Object body,
        String logs,
        ValError error,
        double durationMs,
        HostDatabaseErrors.Failure schemaFailure) {

    public Invocation(Run.Outcome outcome, int status, String statusText, String rawHeaders, Object body, String logs,
                      ValError error, double durationMs) {
        this(outcome, status, statusText, rawHeaders, body, logs, error, durationMs, null);
    }

    public boolean succeeded() {
        return outcome == Run.Outcome.SUCCESS;
    }

    /** Why a val produced no response: the message, where in the val's code, and the guest stack. */
    public record ValError(String message, int line, int column, String stack) {
        public String where() {
            return line > 0 ? "line " + line + ", column " + column : "unknown location";
        }
    }
}
