package dev.valence.foundation.edge;

/**
 * How long a client may take, on every port (HTTP_IDLE_TIMEOUT_SECONDS, HTTP_HEADER_TIMEOUT_MS,
 * HTTP_BODY_TIMEOUT_MS).
 *
 * @param idleSeconds a connection with nothing read or written for this long is closed
 * @param headerMs    a new connection must have sent its first request's whole head within this
 * @param bodyMs      a request body must have arrived whole within this (408 otherwise)
 */
public record HttpTimeouts(int idleSeconds, long headerMs, long bodyMs) {
    /** The defaults of a process that runs no vals (the runtime's idle default also covers its longest val). */
    public static final HttpTimeouts DEFAULTS = new HttpTimeouts(120, 10_000, 60_000);

    public HttpTimeouts {
        if (idleSeconds < 1 || headerMs < 1 || bodyMs < 1) throw new IllegalArgumentException("HTTP timeouts must be positive");
    }
}
