package dev.valence.runtime.engine;

/**
 * Where a streamed response goes while the val produces it: the head first, then each chunk as the
 * guest enqueues it, then the end (or a cut). Called on the invocation's worker thread; the
 * invocation's body is then {@link Body#STREAMED}.
 */
public interface ResponseSink {
    /** Sends the status line and headers; the body follows in chunks. */
    void head(ResponseHead head);

    /** Sends one chunk of the body. */
    void chunk(byte[] bytes);

    /** Ends the body normally. */
    void end();

    /** Cuts the response off (limit, timeout, error after the head was sent): the client sees it incomplete. */
    void cut();

    /** Whether the client went away; the val's stream is then cancelled. */
    boolean gone();
}
