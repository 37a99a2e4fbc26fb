package dev.valence.runtime.engine;

/**
 * The body of a val's response as the runner hands it over: none, text, bytes, or streamed (already
 * written through the {@link ResponseSink} while the val produced it).
 */
public sealed interface Body {
    /** No body (also every failed invocation's). */
    Body NONE = new None();
    /** The body went out through the sink as the val produced it. */
    Body STREAMED = new Streamed();

    record None() implements Body {}

    /** A string body, sent as UTF-8. */
    record Text(String text) implements Body {}

    /** A body of bytes (an ArrayBuffer, a typed array, a Blob, form data, ...). */
    record Bytes(byte[] bytes) implements Body {}

    record Streamed() implements Body {
        @Override
        public String toString() {
            return "(streamed)";
        }
    }
}
