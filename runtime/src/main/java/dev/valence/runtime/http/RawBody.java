package dev.valence.runtime.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Buffers a request body as raw bytes, up to the body limit (413 past it), within the body timeout
 * (408) and while the upload budget has room for it (503 otherwise). Vert.x Web's BodyHandler decodes forms by
 * their Content-Type and drops multipart bytes, but a val reads its request body itself
 * (request.formData(), request.body) and a JSON route reads JSON whatever the Content-Type says
 * ({@code curl -d} sends a form type), so every route takes the bytes as they came. The body is in
 * the context under {@link #KEY} and as {@code ctx.body()}.
 */
final class RawBody implements Handler<RoutingContext> {
    /** Where the body is put in the routing context: a {@link Buffer}. */
    static final String KEY = "valence.rawBody";

    private final long limitBytes;
    /** The answer past the limit (null: the general 413 naming MAX_BODY_BYTES). */
    private final ApiError tooLarge;
    private final Uploads uploads;

    RawBody(long limitBytes, Uploads uploads) {
        this(limitBytes, null, uploads);
    }

    /** Not counted against the upload cap until {@link #sharing} gives it one. */
    RawBody(long limitBytes, ApiError tooLarge) {
        this(limitBytes, tooLarge, null);
    }

    RawBody(long limitBytes, ApiError tooLarge, Uploads uploads) {
        this.limitBytes = limitBytes;
        this.tooLarge = tooLarge;
        this.uploads = uploads;
    }

    /** The same limit and answer, counted against {@code uploads}. */
    RawBody sharing(Uploads uploads) {
        return new RawBody(limitBytes, tooLarge, uploads);
    }

    private void failTooLarge(RoutingContext ctx) {
        if (tooLarge == null) ctx.fail(413);
        else ctx.fail(tooLarge);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (ctx.get(KEY) != null) { // read already (a request by host name that named no val goes on to the other routes)
            ctx.next();
            return;
        }
        String length = request.getHeader("content-length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limitBytes) {
                    ctx.response().putHeader("Connection", "close");
                    failTooLarge(ctx);
                    return;
                }
            } catch (NumberFormatException e) {
                ctx.fail(400);
                return;
            }
        }
        if (request.isEnded() || !Uploads.hasBody(request)) {
            done(ctx, Buffer.buffer());
            return;
        }
        if (uploads == null) {
            read(ctx, () -> {});
            return;
        }
        long reserved = uploads.tryReserve(length != null ? Long.parseLong(length.trim()) : limitBytes);
        if (reserved < 0) {
            ctx.response().putHeader("Retry-After", "1");
            Uploads.refuseUnread(ctx, uploads.full());
            return;
        }
        boolean[] released = {false};
        Runnable release = () -> {
            if (!released[0]) {
                released[0] = true;
                uploads.release(reserved);
            }
        };
        ctx.response().closeHandler(v -> release.run()); // a client gone mid-body frees its slot at once
        read(ctx, release);
    }

    private void read(RoutingContext ctx, Runnable release) {
        HttpServerRequest request = ctx.request();
        // the chunks as they came, joined once at the end: a growing buffer would double its capacity (a 9 MiB body in 16 MiB)
        var chunks = new java.util.ArrayList<Buffer>();
        long[] received = {0};
        boolean[] over = {false}; // set once, by whichever comes first: the end, the limit, an error, the timeout
        long[] timer = {-1};
        Runnable finish = () -> {
            over[0] = true;
            if (timer[0] >= 0) ctx.vertx().cancelTimer(timer[0]);
            release.run();
        };
        if (uploads != null) {
            timer[0] = ctx.vertx().setTimer(uploads.bodyTimeoutMs(), id -> {
                if (over[0]) return;
                finish.run();
                ctx.response().putHeader("Connection", "close");
                ctx.fail(uploads.timedOut());
            });
        }
        request.handler(chunk -> {
            if (over[0]) return;
            if (received[0] + chunk.length() > limitBytes) {
                finish.run();
                chunks.clear();
                ctx.response().putHeader("Connection", "close");
                failTooLarge(ctx);
                return;
            }
            received[0] += chunk.length();
            chunks.add(chunk);
        });
        request.exceptionHandler(e -> {
            if (over[0]) return;
            finish.run();
            ctx.fail(e);
        });
        request.endHandler(v -> {
            if (over[0]) return;
            finish.run();
            Buffer body = Buffer.buffer((int) received[0]);
            for (Buffer chunk : chunks) body.appendBuffer(chunk);
            chunks.clear();
            done(ctx, body);
        });
        request.resume();
    }

    private static void done(RoutingContext ctx, Buffer body) {
        ctx.put(KEY, body);
        ((RoutingContextInternal) ctx).setBody(body); // JSON routes read ctx.body(), as they did behind BodyHandler
        ctx.next();
    }
}
