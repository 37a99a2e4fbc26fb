package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;

/** The answer an HTTP caller gets from a settled invocation, and the end (or cut) of a streamed body. */
final class HttpAnswers {
    private HttpAnswers() {}

    /**
     * @param buffered the sink that collected a streamed body when the caller gave none (else null)
     * @param streamingToClient whether the caller's own sink sent the head already
     */
    static Invocation settle(Invoker.Settled<Invocation> settled, ResponseSink out, BufferingSink buffered, boolean streamingToClient) {
        ResponseHead head = settled.streamedHead();
        double durationMs = settled.ran().durationMs();
        Invocation result = switch (settled.outcome()) {
            case SUCCESS -> head == null
                    ? settled.value() // may itself be a LIMIT answer (a body over the size limit)
                    : new Invocation(Run.Outcome.SUCCESS, head, buffered != null ? new Body.Bytes(buffered.bytes()) : Body.STREAMED,
                            settled.logs(), null, durationMs);
            case SCHEMA -> new Invocation(Run.Outcome.SCHEMA, ResponseHead.of(503), Body.NONE, settled.logs(), settled.error(),
                    durationMs, settled.schemaFailure());
            default -> new Invocation(settled.outcome(), ResponseHead.of(failureStatus(settled)), Body.NONE, settled.logs(),
                    settled.error(), durationMs);
        };
        if (head == null) return result;
        if (result.succeeded()) {
            out.end();
            return result;
        }
        out.cut();
        // the head went out already: the run keeps the status the client saw and the reason of the cut
        return streamingToClient
                ? new Invocation(result.outcome(), head, Body.STREAMED, result.logs(), result.error(), result.durationMs(), result.schemaFailure())
                : result;
    }

    /** 504 for a timeout; for a limit 429 (the val's concurrency), 503 (memory for a new context) or 500; else 500. */
    private static int failureStatus(Invoker.Settled<?> settled) {
        return switch (settled.outcome()) {
            case TIMEOUT -> 504;
            case LIMIT -> settled.refusal() != null ? settled.refusal().httpStatus : 500;
            default -> 500;
        };
    }
}
