package dev.valence.runtime.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bodies being received, all routes together, bounded in bytes: each body reserves what it
 * announces (its Content-Length; a chunked one, the whole body limit) from a budget of
 * MAX_CONCURRENT_UPLOADS full-size bodies (× MAX_BODY_BYTES), and gives it back when it has arrived.
 * Bodies are buffered whole, so the budget bounds the heap uploads can take; counting bytes rather than
 * bodies lets hundreds of small JSON bodies through at once (a busy instance after a pause has many
 * in reading at the same moment) while sixteen slow 10 MiB uploads still fill it. Each body must arrive
 * within the body timeout.
 */
final class Uploads {
    private final int maxFullSize;
    private final long budgetBytes;
    private final long bodyTimeoutMs;
    private final AtomicLong reservedBytes = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** A budget of {@code maxFullSize} bodies of {@code maxBodyBytes} each. */
    Uploads(int maxFullSize, long maxBodyBytes, long bodyTimeoutMs) {
        this.maxFullSize = maxFullSize;
        this.budgetBytes = Math.multiplyExact((long) maxFullSize, maxBodyBytes);
        this.bodyTimeoutMs = bodyTimeoutMs;
    }

    long bodyTimeoutMs() {
        return bodyTimeoutMs;
    }

    /**
     * Reserves {@code announcedBytes} (a body larger than the whole budget, such as a mail under a higher
     * limit, takes the whole budget); returns the bytes reserved, or -1 (nothing reserved) when they do not fit.
     */
    long tryReserve(long announcedBytes) {
        long bytes = Math.min(Math.max(announcedBytes, 1), budgetBytes);
        for (long now = reservedBytes.get(); now + bytes <= budgetBytes; now = reservedBytes.get()) {
            if (reservedBytes.compareAndSet(now, now + bytes)) {
                inFlight.incrementAndGet();
                return bytes;
            }
        }
        return -1;
    }

    void release(long reserved) {
        reservedBytes.addAndGet(-reserved);
        inFlight.decrementAndGet();
    }

    /** Bodies being received now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Bytes the bodies being received have reserved. */
    long reservedBytes() {
        return reservedBytes.get();
    }

    ApiError full() {
        return new ApiError(503, "too_many_uploads", "Request bodies being received already take the upload budget ("
                + maxFullSize + " full-size bodies: MAX_CONCURRENT_UPLOADS × MAX_BODY_BYTES); retry in a moment.");
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
