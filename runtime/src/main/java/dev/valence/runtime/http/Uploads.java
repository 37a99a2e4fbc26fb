package dev.valence.runtime.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request bodies being received, all routes together: at most {@code max} at once (a body is buffered
 * whole, so this and MAX_BODY_BYTES bound the heap uploads can take), each within the body timeout.
 */
final class Uploads {
    private final int max;
    private final long bodyTimeoutMs;
    private final AtomicInteger inFlight = new AtomicInteger();

    Uploads(int max, long bodyTimeoutMs) {
        this.max = max;
        this.bodyTimeoutMs = bodyTimeoutMs;
    }

    long bodyTimeoutMs() {
        return bodyTimeoutMs;
    }

    /** Takes a slot; false (and nothing taken) when all are in use. */
    boolean tryAcquire() {
        for (int now = inFlight.get(); now < max; now = inFlight.get()) {
            if (inFlight.compareAndSet(now, now + 1)) return true;
        }
        return false;
    }

    void release() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    ApiError full() {
        return new ApiError(503, "too_many_uploads", max + " request bodies are being received already, the limit"
                + " (MAX_CONCURRENT_UPLOADS); retry in a moment.");
    }

    ApiError timedOut() {
        return new ApiError(408, "request_timeout", "The request body did not arrive within " + bodyTimeoutMs
                + " ms (HTTP_BODY_TIMEOUT_MS); send it faster, or ask the operator to raise the limit.");
    }

    /** Whether the request announces a body (a length above zero or chunks). */
    static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length != null) return !length.trim().equals("0");
        return request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Fails the request without reading its body: the answer closes the connection, since the unread
     * body would otherwise be taken for the next request or have to be read after all.
     */
    static void refuseUnread(RoutingContext ctx, Throwable why) {
        if (hasBody(ctx.request()) && !ctx.request().isEnded()) ctx.response().putHeader("Connection", "close");
        ctx.fail(why);
    }
}
