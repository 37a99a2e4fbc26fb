package dev.valence.runtime.http;

import dev.valence.runtime.engine.Invocation;
import dev.valence.runtime.engine.ResponseSink;
import dev.valence.runtime.engine.ValDirectory;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Serves HTTP vals at {@code /v/{owner}/{val}/...} (and by host name under {@code VALS_DOMAIN}). The
 * event loop only converts the request; finding the val, checking access and running it happen in
 * one task on the JS worker pool, and the event loop writes the answer.
 */
final class ValRoute {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "upgrade", "proxy-connection", "te", "trailer");

    private final ValDirectory directory;
    private final ValRunner runner;
    private final Authenticator auth;
    private final WorkerExecutor jsWorkers;
    private final Optional<String> valsDomain;

    private final Fallback fallback;

    ValRoute(ValDirectory directory, ValRunner runner, Authenticator auth, WorkerExecutor jsWorkers, Optional<String> valsDomain,
             Fallback fallback) {
        this.fallback = fallback;
        this.directory = directory;
        this.runner = runner;
        this.auth = auth;
        this.jsWorkers = jsWorkers;
        this.valsDomain = valsDomain.map(d -> "." + d.toLowerCase());
    }

    /** {@code /v/{owner}/{val}/rest}: the val sees {@code /rest} and the query, unchanged. */
    void byPath(RoutingContext ctx) {
        String owner = ctx.pathParam("owner");
        String name = ctx.pathParam("val");
        if (!Names.isValidName(owner) || !Names.isValidName(name)) {
            ctx.fail(ApiError.notFound("No val named " + owner + "/" + name + "."));
            return;
        }
        String path = ctx.request().path();
        String mount = "/" + owner + "/" + name; // after /v (or the benchmark's unguarded mount)
        String prefix = path.substring(0, path.indexOf(mount) + mount.length());
        String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "/";
        serve(ctx, List.of(new ValName(owner, name)), rest, prefix);
    }

    /** Whether the request's host is a val's own host name ({@code owner--val.VALS_DOMAIN}). */
    boolean isHostRequest(RoutingContext ctx) {
        return hostVal(ctx).isPresent();
    }

    /**
     * The val a host name names: a label under {@code VALS_DOMAIN} split at its one {@code --}. Other
     * labels ({@code www.}, {@code api.}) are not vals' and reach the rest of the route table.
     */
    private Optional<ValName> hostVal(RoutingContext ctx) {
        if (valsDomain.isEmpty() || ctx.request().authority() == null) return Optional.empty();
        String host = ctx.request().authority().host().toLowerCase();
        if (!host.endsWith(valsDomain.get())) return Optional.empty();
        String label = host.substring(0, host.length() - valsDomain.get().length());
        return Names.parseHostLabel(label).map(names -> new ValName(names[0], names[1]));
    }

    /** Whether this request is for a val by host name ({@code owner--val.VALS_DOMAIN}); serves it if so. */
    boolean byHost(RoutingContext ctx) {
        Optional<ValName> val = hostVal(ctx);
        if (val.isEmpty()) return false;
        if (fallback.answerIfIncompatible(ctx)) return true;
        serve(ctx, List.of(val.get()), ctx.request().path(), "");
        return true;
    }

    private record ValName(String owner, String name) {}

    private void serve(RoutingContext ctx, List<ValName> candidates, String rest, String prefix) {
        HttpServerRequest request = ctx.request();
        String query = request.query();
        String url = request.scheme() + "://" + (request.authority() == null ? "localhost" : request.authority().toString())
                + rest + (query == null ? "" : "?" + query);
        var headers = new StringBuilder();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase();
            String value = header.getValue();
            // the platform's credentials stay with the platform; the access check below reads them first
            if (name.equals("authorization") && PlatformCredentials.isValenceToken(value)) continue;
            if (name.equals("cookie") && (value = PlatformCredentials.withoutValenceCookies(value)) == null) continue;
            headers.append(name).append('\0').append(value).append('\0');
        }
        if (!prefix.isEmpty()) headers.append("x-forwarded-prefix\0").append(prefix).append('\0');
        Buffer body = ctx.get(RawBody.KEY);
        if (body == null) body = ctx.body().buffer();
        var call = new ValRunner.HttpCall(request.method().name(), url, headers.toString(),
                body == null || body.length() == 0 ? null : body.getBytes());
        String authorization = request.getHeader("Authorization");
        var sink = new StreamingSink(ctx);

        jsWorkers.<Served>executeBlocking(() -> run(candidates, authorization, call, sink), false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
            } else if (done.result().invocation().schemaFailure() != null && done.result().invocation().body() != ResponseSink.STREAMED) {
                // a host function met a schema-class error: answered as the API answers one, whatever the val said
                ctx.fail(done.result().invocation().schemaFailure().error());
            } else {
                write(ctx, done.result());
            }
        });
    }

    private record Served(Val val, Invocation invocation) {}

    private Served run(List<ValName> candidates, String authorization, ValRunner.HttpCall call, ResponseSink sink) {
        ValStore.Deployed deployed = candidates.stream()
                .flatMap(c -> directory.find(c.owner(), c.name()).stream())
                .findFirst()
                .orElseThrow(() -> ApiError.notFound("No val named " + candidates.getFirst().owner() + "/" + candidates.getFirst().name() + "."));
        Val val = deployed.val();
        if (val.type() != Val.Type.HTTP) {
            throw new ApiError(404, "not_an_http_val", val.fullName() + " is a " + val.type().wire()
                    + " val; only http vals answer web requests.");
        }
        if (val.privacy() == Val.Privacy.PRIVATE) {
            User user = auth.optional(authorization).orElseThrow(() -> ApiError.unauthorized(
                    val.fullName() + " is private: send its owner's token as 'Authorization: Bearer <token>'."));
            if (user.id() != val.ownerId()) {
                throw ApiError.forbidden(val.fullName() + " is private to " + val.owner() + ".");
            }
        }
        return new Served(val, runner.runHttp(val, deployed.code(), call, sink));
    }

    private static void write(RoutingContext ctx, Served served) {
        Invocation invocation = served.invocation();
        if (invocation.body() == ResponseSink.STREAMED) return; // written (or cut) by the StreamingSink as the val produced it
        HttpServerResponse response = ctx.response();
        if (invocation.succeeded()) {
            response.setStatusCode(invocation.status());
            if (!invocation.statusText().isEmpty()) response.setStatusMessage(invocation.statusText());
            String[] parts = invocation.rawHeaders().split("\0", -1);
            for (int i = 0; i + 1 < parts.length; i += 2) {
                if (!HOP_BY_HOP.contains(parts[i])) response.headers().add(parts[i], parts[i + 1]);
            }
            PlatformCredentials.scrub(response.headers(), ctx.pathParam("val") != null);
            Object body = invocation.body();
            if (body == null) response.end();
            else if (body instanceof String text) response.end(text);
            else response.end(Buffer.buffer((byte[]) body));
            return;
        }
        writeFailure(ctx, served.val(), invocation);
    }

    /** The val ran but produced no response: a short page naming the val, the error and where. */
    private static void writeFailure(RoutingContext ctx, Val val, Invocation invocation) {
        var error = invocation.error();
        String code = switch (invocation.outcome()) {
            case TIMEOUT -> "val_timeout";
            case LIMIT -> invocation.status() == 429 ? "val_busy" : "val_limit";
            default -> "val_error";
        };
        HttpServerResponse response = ctx.response().setStatusCode(invocation.status()).putHeader("Cache-Control", "no-store");
        if (invocation.status() == 429) response.putHeader("Retry-After", "1"); // the val's concurrency limit
        if (invocation.status() == 503) response.putHeader("Retry-After", "5"); // the heap's high-water mark: until a collection frees memory
        if (Html.prefersHtml(ctx.request())) {
            String where = error.line() > 0 ? " at " + error.where() : "";
            response.putHeader("Content-Type", "text/html; charset=utf-8").end(Html.page(
                    invocation.status() + " · " + val.fullName(),
                    "<h1>The val " + Html.escape(val.fullName()) + " failed</h1>"
                            + "<p><strong>" + Html.escape(error.message()) + "</strong>" + Html.escape(where) + "</p>"
                            + (error.stack().isEmpty() ? "" : "<pre>" + Html.escape(error.stack()) + "</pre>")
                            + "<p>Its owner can read the run's logs with <code>GET /api/v1/vals/" + Html.escape(val.fullName()) + "/runs</code>.</p>"));
            return;
        }
        var json = new JsonObject().put("code", code).put("message", error.message()).put("val", val.fullName());
        if (error.line() > 0) json.put("line", error.line()).put("column", error.column());
        if (!error.stack().isEmpty()) json.put("stack", error.stack());
        response.putHeader("Content-Type", "application/json").end(new JsonObject().put("error", json).encode());
    }

    /**
     * Writes a streamed response as the val produces it: the head at once, then each chunk with chunked
     * transfer encoding, on the request's event loop. A client that goes away is noticed through the
     * connection's close handler, and the runner then cancels the val's stream.
     */
    private static final class StreamingSink implements ResponseSink {
        private final HttpServerResponse response;
        private final Context eventLoop;
        private volatile boolean gone;
        private final boolean byPath;

        StreamingSink(RoutingContext ctx) {
            this.response = ctx.response();
            this.byPath = ctx.pathParam("val") != null;
            this.eventLoop = Vertx.currentContext();
            response.closeHandler(v -> gone = true);
        }

        @Override
        public void head(int status, String statusText, String rawHeaders) {
            eventLoop.runOnContext(v -> {
                response.setStatusCode(status);
                if (!statusText.isEmpty()) response.setStatusMessage(statusText);
                String[] parts = rawHeaders.split("\0", -1);
                for (int i = 0; i + 1 < parts.length; i += 2) {
                    if (!HOP_BY_HOP.contains(parts[i])) response.headers().add(parts[i], parts[i + 1]);
                }
                PlatformCredentials.scrub(response.headers(), byPath);
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
