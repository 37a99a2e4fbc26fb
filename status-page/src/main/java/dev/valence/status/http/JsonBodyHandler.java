package dev.valence.status.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Reads a JSON route's body as the bytes that came, up to a limit (413 past it), whatever the
 * Content-Type says: Vert.x Web's BodyHandler decodes a body sent as a form ({@code curl -d} sends
 * one) and fails on a form field past its decoder's limit, so a JSON body over about 8 KB sent that
 * way never reached the route. The route reads {@code ctx.body()} as before.
 */
final class JsonBodyHandler implements Handler<RoutingContext> {
    private final long limitBytes;
    private final long bodyTimeoutMs;

    /** Bodies up to {@code limitBytes} (413 past it), arrived whole within {@code bodyTimeoutMs} (408 otherwise). */
    JsonBodyHandler(long limitBytes, long bodyTimeoutMs) {
        this.limitBytes = limitBytes;
        this.bodyTimeoutMs = bodyTimeoutMs;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader("Content-Length");
        if (length != null && length.trim().matches("\\d{1,18}") && Long.parseLong(length.trim()) > limitBytes) {
            ctx.response().putHeader("Connection", "close"); // the body stays unread
            ctx.fail(413);
            return;
        }
        if (request.isEnded()) {
            done(ctx, Buffer.buffer());
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        long timer = ctx.vertx().setTimer(bodyTimeoutMs, id -> {
            if (over[0]) return;
            over[0] = true;
            ctx.response().putHeader("Connection", "close");
            ctx.fail(408);
        });
        ctx.response().closeHandler(v -> ctx.vertx().cancelTimer(timer));
        request.handler(chunk -> {
            if (over[0]) return;
            if (body.length() + chunk.length() > limitBytes) {
                over[0] = true;
                ctx.vertx().cancelTimer(timer);
                ctx.response().putHeader("Connection", "close");
                ctx.fail(413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            if (over[0]) return;
            over[0] = true;
            ctx.vertx().cancelTimer(timer);
            ctx.fail(e);
        });
        request.endHandler(v -> {
            if (over[0]) return;
            over[0] = true;
            ctx.vertx().cancelTimer(timer);
            done(ctx, body);
        });
        request.resume();
    }

    private static void done(RoutingContext ctx, Buffer body) {
        ((RoutingContextInternal) ctx).setBody(body);
        ctx.next();
    }
}
