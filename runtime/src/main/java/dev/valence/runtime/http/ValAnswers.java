package dev.valence.runtime.http;

import dev.valence.runtime.engine.Body;
import dev.valence.runtime.engine.Header;
import dev.valence.runtime.engine.Invocation;
import dev.valence.runtime.engine.ResponseSink;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.Val;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Writes what a val answered, on the request's event loop: its head and body (buffered, or streamed
 * through a {@link StreamingSink} as the val produces it), or the page of a failure that names the
 * val and its run.
 */
final class ValAnswers {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "upgrade", "proxy-connection", "te", "trailer");

    private ValAnswers() {}

    /** Writes a val's buffered answer (a streamed one went out through its {@link StreamingSink}). */
    static void write(RoutingContext ctx, Val val, Invocation invocation, boolean errorDetails, int maxHeadBytes) {
        if (invocation.body() instanceof Body.Streamed) return; // written (or cut) by the StreamingSink as the val produced it
        HttpServerResponse response = ctx.response();
        String badHead = invocation.succeeded() ? ResponseHead.problem(invocation.head().headers(), maxHeadBytes) : null;
        if (badHead != null) {
            writeBadHead(ctx, val.fullName(), badHead);
            return;
        }
        if (invocation.succeeded()) {
            writeHead(response, invocation.head(), ctx.pathParam("val") != null);
            switch (invocation.body()) {
                case Body.Text text -> response.end(text.text());
                case Body.Bytes bytes -> response.end(Buffer.buffer(bytes.bytes()));
                case Body.None none -> response.end();
                case Body.Streamed streamed -> throw new IllegalStateException("a streamed body was written as it came");
            }
            return;
        }
        writeFailure(ctx, val, invocation, errorDetails);
    }

    /** The val's status line and headers, without hop-by-hop headers and the platform's credentials. */
    private static void writeHead(HttpServerResponse response, dev.valence.runtime.engine.ResponseHead head, boolean byPath) {
        response.setStatusCode(head.status());
        if (!head.statusText().isEmpty()) response.setStatusMessage(head.statusText());
        for (Header header : head.headers()) {
            if (!HOP_BY_HOP.contains(header.name())) response.headers().add(header.name(), header.value());
        }
        PlatformCredentials.scrub(response.headers(), byPath);
    }

    /** The val's response head cannot be sent ({@link ResponseHead}): a 500 naming the val and why. */
    private static void writeBadHead(RoutingContext ctx, String valName, String sentence) {
        HttpServerResponse response = ctx.response().setStatusCode(500).putHeader("Cache-Control", "no-store");
        if (Html.prefersHtml(ctx.request())) {
            SecurityHeaders.page(response).putHeader("Content-Type", "text/html; charset=utf-8").end(Html.page("500 · " + valName,
                    "<h1>The val " + Html.escape(valName) + " failed</h1><p><strong>" + Html.escape(sentence) + "</strong></p>"));
            return;
        }
        var error = new JsonObject().put("code", "val_error").put("message", sentence).put("val", valName);
        SecurityHeaders.json(response).putHeader("Content-Type", "application/json").end(new JsonObject().put("error", error).encode());
    }

    /**
     * The val ran but produced no response: a short page naming the val, the run, and (with
     * {@code details}) the error and where; else the platform's sentence for a time or resource limit.
     */
    private static void writeFailure(RoutingContext ctx, Val val, Invocation invocation, boolean details) {
        var error = invocation.error();
        if (!details) error = brief(val, invocation);
        String code = switch (invocation.outcome()) {
            case TIMEOUT -> "val_timeout";
            case LIMIT -> invocation.status() == 429 ? "val_busy" : "val_limit";
            default -> "val_error";
        };
        HttpServerResponse response = ctx.response().setStatusCode(invocation.status()).putHeader("Cache-Control", "no-store");
        if (Html.prefersHtml(ctx.request())) SecurityHeaders.page(response);
        else SecurityHeaders.json(response);
        if (invocation.status() == 429) response.putHeader("Retry-After", "1"); // the val's concurrency limit
        if (invocation.status() == 503) response.putHeader("Retry-After", "5"); // the heap's high-water mark: until a collection frees memory
        if (Html.prefersHtml(ctx.request())) {
            String where = error.line() > 0 ? " at " + error.where() : "";
            response.putHeader("Content-Type", "text/html; charset=utf-8").end(Html.page(
                    invocation.status() + " · " + val.fullName(),
                    "<h1>The val " + Html.escape(val.fullName()) + " failed</h1>"
                            + "<p><strong>" + Html.escape(error.message()) + "</strong>" + Html.escape(where) + "</p>"
                            + (error.stack().isEmpty() ? "" : "<pre>" + Html.escape(error.stack()) + "</pre>")
                            + "<p>Its owner can read the run's logs with <code>GET /api/v1/vals/" + Html.escape(val.fullName()) + "/runs"
                            + (invocation.runId() > 0 ? "/" + invocation.runId() : "") + "</code>.</p>"));
            return;
        }
        var json = new JsonObject().put("code", code).put("message", error.message()).put("val", val.fullName());
        if (error.line() > 0) json.put("line", error.line()).put("column", error.column());
        if (!error.stack().isEmpty()) json.put("stack", error.stack());
        if (invocation.runId() > 0) json.put("runId", String.valueOf(invocation.runId()));
        response.putHeader("Content-Type", "application/json").end(new JsonObject().put("error", json).encode());
    }

    /**
     * What a stranger reads of a failure: for a val's own error (what it threw, which may hold anything it
     * had) one sentence naming the run; a time or resource limit's sentence is the platform's and stays.
     */
    private static Invocation.ValError brief(Val val, Invocation invocation) {
        if (invocation.outcome() != Run.Outcome.ERROR) {
            return new Invocation.ValError(invocation.error().message(), 0, 0, "");
        }
        String run = invocation.runId() > 0 ? " in run " + invocation.runId() : " in its runs";
        return new Invocation.ValError("The val " + val.fullName() + " failed. Its owner can read what happened" + run + ".", 0, 0, "");
    }

    /**
     * Writes a streamed response as the val produces it: the head at once, then each chunk with chunked
     * transfer encoding, on the request's event loop. A client that goes away is noticed through the
     * connection's close handler, and the runner then cancels the val's stream.
     */
    static final class StreamingSink implements ResponseSink {
        private final HttpServerResponse response;
        private final Context eventLoop;
        private final RoutingContext ctx;
        private final int maxHeadBytes;
        private final String valName;
        private volatile boolean gone;
        private final boolean byPath;

        StreamingSink(RoutingContext ctx, int maxHeadBytes, String valName) {
            this.ctx = ctx;
            this.maxHeadBytes = maxHeadBytes;
            this.valName = valName;
            this.response = ctx.response();
            this.byPath = ctx.pathParam("val") != null;
            this.eventLoop = Vertx.currentContext();
            response.closeHandler(v -> gone = true);
        }

        @Override
        public void head(dev.valence.runtime.engine.ResponseHead head) {
            String badHead = ResponseHead.problem(head.headers(), maxHeadBytes);
            if (badHead != null) {
                gone = true; // the runner cancels the val's stream; its chunks are dropped
                eventLoop.runOnContext(v -> writeBadHead(ctx, valName, badHead));
                return;
            }
            eventLoop.runOnContext(v -> {
                writeHead(response, head, byPath);
                response.setChunked(true);
                response.writeHead();
            });
        }

        @Override
        public void chunk(byte[] bytes) {
            eventLoop.runOnContext(v -> {
                if (!gone && !response.ended() && !response.closed()) response.write(Buffer.buffer(bytes));
            });
        }

        @Override
        public void end() {
            eventLoop.runOnContext(v -> {
                if (!response.ended() && !response.closed()) response.end();
            });
        }

        @Override
        public void cut() {
            eventLoop.runOnContext(v -> {
                if (!response.ended() && !response.closed()) response.reset();
            });
        }

        @Override
        public boolean gone() {
            return gone;
        }
    }
}
