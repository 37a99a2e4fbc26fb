package dev.valence.runtime.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Buffers the body of a request to a val as raw bytes, up to the body limit (413 past it). Vert.x
 * Web's BodyHandler decodes multipart forms and drops their bytes, but a val reads its request body
 * itself (request.formData(), request.body), so val routes take the bytes as they came.
 */
final class RawBody implements Handler<RoutingContext> {
    /** Where the body is put in the routing context: a {@link Buffer}. */
    static final String KEY = "valence.rawBody";

    private final long limitBytes;
    /** The answer past the limit (null: the general 413 naming MAX_BODY_BYTES). */
    private final ApiError tooLarge;

    RawBody(long limitBytes) {
        this(limitBytes, null);
    }

    RawBody(long limitBytes, ApiError tooLarge) {
        this.limitBytes = limitBytes;
        this.tooLarge = tooLarge;
    }

    private void failTooLarge(RoutingContext ctx) {
        if (tooLarge == null) ctx.fail(413);
        else ctx.fail(tooLarge);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader("content-length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limitBytes) {
                    failTooLarge(ctx);
                    return;
                }
            } catch (NumberFormatException e) {
                ctx.fail(400);
                return;
            }
        }
        if (request.isEnded()) {
            ctx.put(KEY, Buffer.buffer());
            ctx.next();
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) return;
            if (body.length() + chunk.length() > limitBytes) {
                failed[0] = true;
                failTooLarge(ctx);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(e);
            }
        });
        request.endHandler(v -> {
            if (failed[0]) return;
            ctx.put(KEY, body);
            ctx.next();
        });
        request.resume();
    }
}
