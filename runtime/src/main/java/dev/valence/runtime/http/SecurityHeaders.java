package dev.valence.runtime.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * The headers on every answer Valence writes itself (never on a val's own response): {@code nosniff},
 * so a browser takes a JSON error for JSON and never for a script or a page, and a Content-Security-Policy
 * that lets the answer load nothing and be framed by nobody.
 */
final class SecurityHeaders {
    /** For JSON: nothing to load, no framing. */
    static final String JSON_POLICY = "default-src 'none'; frame-ancestors 'none'";
    /** For the runtime's own small pages ({@link Html#page}): their inline style and nothing else. */
    static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    static HttpServerResponse json(HttpServerResponse response) {
        return response.putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Security-Policy", JSON_POLICY);
    }

    static HttpServerResponse page(HttpServerResponse response) {
        return response.putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Security-Policy", PAGE_POLICY);
    }

    /** For pages that bring their own policy (the fallback page under the status page's). */
    static HttpServerResponse nosniff(HttpServerResponse response) {
        return response.putHeader("X-Content-Type-Options", "nosniff");
    }
}
