package dev.valence.runtime.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime's one route table: health, the authoring API and the vals. */
public final class RuntimeServer {
    private static final Logger log = LoggerFactory.getLogger(RuntimeServer.class);

    private final Vertx vertx;
    private final AuthorApi api;
    private final ValRoute vals;
    private final WorkerExecutor dbWorkers;
    private final long maxBodyBytes;
    private final JsonObject health;
    private HttpServer server;

    public RuntimeServer(Vertx vertx, AuthorApi api, ValRoute vals, WorkerExecutor dbWorkers, long maxBodyBytes, JsonObject health) {
        this.vertx = vertx;
        this.api = api;
        this.vals = vals;
        this.dbWorkers = dbWorkers;
        this.maxBodyBytes = maxBodyBytes;
        this.health = health;
    }

    Router router() {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            if (!vals.byHost(ctx)) ctx.next();
        });
        router.get("/healthz").handler(ctx -> json(ctx, 200, health.copy().put("status", "ok")));
        router.get("/readyz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ready")));

        router.route("/api/v1/*").handler(bodies());
        route(router, HttpMethod.GET, "/api/v1/me", api::me);
        route(router, HttpMethod.GET, "/api/v1/users", api::listUsers);
        route(router, HttpMethod.POST, "/api/v1/users", api::createUser);
        route(router, HttpMethod.GET, "/api/v1/tokens", api::listTokens);
        route(router, HttpMethod.POST, "/api/v1/tokens", api::createToken);
        route(router, HttpMethod.DELETE, "/api/v1/tokens/:id", api::deleteToken);
        route(router, HttpMethod.GET, "/api/v1/vals", api::listVals);
        route(router, HttpMethod.POST, "/api/v1/vals", api::createVal);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val", api::getVal);
        route(router, HttpMethod.PUT, "/api/v1/vals/:owner/:val", api::updateVal);
        route(router, HttpMethod.DELETE, "/api/v1/vals/:owner/:val", api::deleteVal);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/versions", api::listVersions);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/versions/:version", api::getVersion);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/runs", api::listRuns);
        route(router, HttpMethod.GET, "/api/v1/env", api::listEnv);
        route(router, HttpMethod.PUT, "/api/v1/env/:key", api::putEnv);
        route(router, HttpMethod.DELETE, "/api/v1/env/:key", api::deleteEnv);
        router.route("/api/*").handler(ctx -> ctx.fail(ApiError.notFound(
                "No API route " + ctx.request().method() + " " + ctx.request().path() + ".")));

        router.route("/v/:owner/:val").handler(bodies()).handler(vals::byPath);
        router.route("/v/:owner/:val/*").handler(bodies()).handler(vals::byPath);

        router.route().last().handler(ctx -> ctx.fail(ApiError.notFound("Nothing at " + ctx.request().path()
                + ". Vals live at /v/{owner}/{val}, the API at /api/v1.")));
        router.route().failureHandler(this::failure);
        return router;
    }

    private BodyHandler bodies() {
        return BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    }

    /** Every API route: authentication, the store and JSON rendering run on the database workers. */
    private void route(Router router, HttpMethod method, String path, Function<RoutingContext, Reply> handler) {
        router.route(method, path).handler(ctx -> {
            Callable<Reply> work = () -> handler.apply(ctx);
            dbWorkers.executeBlocking(work, false).onComplete(done -> {
                if (done.failed()) {
                    ctx.fail(done.cause());
                    return;
                }
                Reply reply = done.result();
                if (reply.json() == null) {
                    ctx.response().setStatusCode(reply.status()).end();
                } else {
                    json(ctx, reply.status(), reply.json());
                }
            });
        });
    }

    private void failure(RoutingContext ctx) {
        Throwable cause = ctx.failure();
        ApiError error;
        if (cause instanceof ApiError apiError) {
            error = apiError;
        } else if (ctx.statusCode() == 413) {
            error = new ApiError(413, "payload_too_large", "The request body is larger than the limit of " + maxBodyBytes + " bytes (MAX_BODY_BYTES).");
        } else if (ctx.statusCode() == 405) {
            error = new ApiError(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path() + ".");
        } else if (ctx.statusCode() == 404) {
            error = ApiError.notFound("Nothing at " + ctx.request().path() + ".");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            error = ApiError.badRequest("The request could not be read (" + ctx.statusCode() + ").");
        } else {
            log.error("Unhandled error on {} {}", ctx.request().method(), ctx.request().path(), cause);
            error = new ApiError(500, "internal", "Something went wrong on our side; the error is in the runtime's log.");
        }
        if (ctx.response().ended()) return;
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        json(ctx, error.status(), error.toJson());
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body instanceof JsonObject o ? o.encode() : String.valueOf(body));
    }

    /** Starts listening; the future fails with advice when the port is taken. */
    public Future<HttpServer> listen(String host, int port) {
        var options = new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false)
                .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024);
        return vertx.createHttpServer(options).requestHandler(router()).listen()
                .recover(e -> Future.failedFuture(new IllegalStateException(
                        "Could not listen on " + host + ":" + port + " (" + e.getMessage() + "). Is another Valence or"
                                + " program using it? Stop it, or set PORT to a free port.", e)))
                .onSuccess(s -> this.server = s);
    }

    public int actualPort() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
