package dev.valence.runtime.http;

import dev.valence.foundation.edge.HttpTimeouts;

/**
 * How the HTTP port protects itself from slow, large or lying clients and from a val's oversized
 * response head. Read once into {@link dev.valence.runtime.Config}; see the README's configuration table.
 *
 * @param idleTimeoutSeconds a connection with no byte read or written for this long is closed
 * @param headerTimeoutMs a new connection must have sent its first request's whole head within this
 * @param bodyTimeoutMs a request body must have arrived whole within this, else 408
 * @param maxConcurrentUploads full-size request bodies (MAX_BODY_BYTES each) being received at once, all routes together:
 *                             the upload budget in bytes, each body reserving its announced length (503 past it)
 * @param maxResponseHeaderBytes the largest head a val's response may have (names, values, ": " and CRLF)
 * @param trustedProxies the addresses whose X-Forwarded-* headers are believed
 */
public record EdgeSettings(int idleTimeoutSeconds, long headerTimeoutMs, long bodyTimeoutMs, int maxConcurrentUploads,
                           int maxResponseHeaderBytes, TrustedProxies trustedProxies) {

    /** What the settings are when nothing is configured (tests of single classes use it). */
    public static EdgeSettings defaults() {
        return new EdgeSettings(120, 10_000, 60_000, 16, 32 * 1024, TrustedProxies.NONE);
    }

    /** The timeouts every port shares (the status page's too). */
    public HttpTimeouts timeouts() {
        return new HttpTimeouts(idleTimeoutSeconds, headerTimeoutMs, bodyTimeoutMs);
    }
}
