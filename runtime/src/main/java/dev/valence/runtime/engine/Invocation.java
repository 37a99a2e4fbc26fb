package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;

/**
 * What one HTTP invocation produced: the val's response (status, headers as name/value pairs
 * separated by NUL, body as a String, byte[] or null) or the error that prevented one, plus its logs;
 * {@code schemaFailure} when a host function met a schema-class database error (outcome SCHEMA);
 * {@code runId} of a failed run, which its error answer names (0 for a success, or when runs are not recorded).
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
        HostDatabaseErrors.Failure schemaFailure,
        long runId) {

    public Invocation(Run.Outcome outcome, int status, String statusText, String rawHeaders, Object body, String logs,
                      ValError error, double durationMs, HostDatabaseErrors.Failure schemaFailure) {
        this(outcome, status, statusText, rawHeaders, body, logs, error, durationMs, schemaFailure, 0);
    }

    public Invocation(Run.Outcome outcome, int status, String statusText, String rawHeaders, Object body, String logs,
                      ValError error, double durationMs) {
        this(outcome, status, statusText, rawHeaders, body, logs, error, durationMs, null);
    }

    Invocation withRunId(long id) {
        return new Invocation(outcome, status, statusText, rawHeaders, body, logs, error, durationMs, schemaFailure, id);
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
