package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;

/**
 * What one HTTP invocation produced: the val's response (its head and body) or the error that
 * prevented one, with the head of the platform's answer (its status), plus its logs;
 * {@code schemaFailure} when a host function met a schema-class database error (outcome SCHEMA);
 * {@code runId} of a failed run, which its error answer names (0 for a success, or when runs are not recorded).
 */
public record Invocation(
        Run.Outcome outcome,
        ResponseHead head,
        Body body,
        String logs,
        ValError error,
        double durationMs,
        HostDatabaseErrors.Failure schemaFailure,
        long runId) {

    public Invocation(Run.Outcome outcome, ResponseHead head, Body body, String logs, ValError error, double durationMs,
                      HostDatabaseErrors.Failure schemaFailure) {
        this(outcome, head, body, logs, error, durationMs, schemaFailure, 0);
    }

    public Invocation(Run.Outcome outcome, ResponseHead head, Body body, String logs, ValError error, double durationMs) {
        this(outcome, head, body, logs, error, durationMs, null);
    }

    Invocation withRunId(long id) {
        return new Invocation(outcome, head, body, logs, error, durationMs, schemaFailure, id);
    }

    /** The status of the answer: the val's on success, else the platform's for the failure. */
    public int status() {
        return head.status();
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
