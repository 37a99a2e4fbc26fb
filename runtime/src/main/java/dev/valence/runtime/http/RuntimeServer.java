package dev.valence.runtime.http;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.SchemaState;
import dev.valence.runtime.guard.Transition;
import dev.valence.runtime.guard.Verdict;
import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.health.Supervisor;
import dev.valence.runtime.ratelimit.RateLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's one route table. Health and schema state are always served; the authoring API and
 * the vals are served only while the schema guard says compatible, and answer the fallback otherwise.
 */
public final class RuntimeServer {
    private static final Logger log = LoggerFactory.getLogger(RuntimeServer.class);

    private final Vertx vertx;
    private final AuthorApi api;
    private final ValRoute vals;
    private final WorkerExecutor dbWorkers;
    /** Where saves run: they compile TypeScript and load the val's module, guest work that is not the database pool's. */
    private final WorkerExecutor jsWorkers;
    private final long maxBodyBytes;
    private final JsonObject info;
    private final SchemaGuard guard;
    private final Fallback fallback;
    private final PrometheusMeterRegistry registry;
    private final boolean benchUnguardedRoute;
    private final TriggerApi triggers;
    private final LogTail logTail;
    private final Listener listener;
    private final Supervisor supervisor;
    private final RateLimits limits;
    private final java.util.List<java.util.function.Supplier<java.util.Optional<String>>> livenessChecks =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Authenticator auth;
    private final Uploads uploads;
    private final TrustedProxies trustedProxies;
    private AuthoringRoutes authoring;

    RuntimeServer(Routes.Host host, Routes.Handlers handlers) {
        var edge = host.config().edge();
        this.vertx = host.vertx();
        this.listener = host.listener();
        this.info = host.info();
        this.guard = host.guard();
        this.registry = host.registry();
        this.supervisor = host.supervisor();
        this.dbWorkers = host.dbWorkers();
        this.jsWorkers = host.jsWorkers();
        this.maxBodyBytes = host.config().maxBodyBytes();
        this.benchUnguardedRoute = host.config().benchUnguardedRoute();
        this.api = handlers.api();
        this.vals = handlers.vals();
        this.triggers = handlers.triggers();
        this.logTail = handlers.logTail();
        this.fallback = handlers.fallback();
        this.limits = handlers.limits();
        this.auth = handlers.auth();
        this.uploads = new Uploads(edge.maxConcurrentUploads(), maxBodyBytes, edge.bodyTimeoutMs());
        this.trustedProxies = edge.trustedProxies();
        registry.gauge("valence.http.uploads.in_flight", uploads, Uploads::inFlight);
        registry.gauge("valence.http.uploads.reserved_bytes", uploads, Uploads::reservedBytes);
    }

    /** The blob and search API, the web editor and its session (set once, before {@link #router}). */
    void authoring(AuthoringRoutes authoring) {
        this.authoring = authoring;
    }

    /** The route table the listener serves once the engine is up. */
    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(listener::closeWhenStopping);
        router.route().handler(RuntimeServer::closeIfBodyUnread);
        router.route().handler(new Forwarded(trustedProxies)::remember);
        // a body is read only once the request is known to be wanted: after the schema check, the token and finding the val
        RawBody bodies = new RawBody(maxBodyBytes, uploads); // JSON routes read JSON whatever the Content-Type says
        RawBody valBodies = bodies; // vals read their own bodies, multipart forms included

        // vals by host name ({owner}--{val}.{VALS_DOMAIN}) come first: their whole path is the val's
        router.route().handler(ctx -> {
            if (vals.isHostRequest(ctx)) vals.admitByHost(ctx);
            else ctx.next();
        });
        router.route().handler(ctx -> {
            if (ctx.get(ValRoute.HOST_VAL) != null) valBodies.handle(ctx);
            else ctx.next();
        });
        router.route().handler(ctx -> {
            if (!vals.byHost(ctx)) ctx.next();
        });

        // always served, whatever the schema
        router.get("/healthz").handler(this::live);
        router.get("/readyz").handler(this::ready);
        router.get("/api/v1/schema").handler(ctx -> json(ctx, 200, schema()));
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));

        // vals by path, before the API's routes: the router tries routes in order, and each of the API's
        // ~40 routes tested against a val's path cost every val request a match (a regular expression
        // for those with parameters); none of them can match /v/...
        router.route("/v/:owner/:val").handler(this::guarded).handler(vals::admitByPath).handler(valBodies).handler(vals::byPath);
        router.route("/v/:owner/:val/*").handler(this::guarded).handler(vals::admitByPath).handler(valBodies).handler(vals::byPath);
        if (benchUnguardedRoute) {
            // off by default: the guard benchmark compares the request path with and without the guard
            router.route("/__unguarded/v/:owner/:val").handler(vals::admitByPath).handler(valBodies).handler(vals::byPath);
        }

        // rate limits per client address and per token, before any body is read or query made
        router.route("/api/*").handler(limits::api);
        router.route("/api/*").handler(authoring::sessionBridge);

        // script runs and inbound email are held, not refused, while the schema is incompatible
        router.post("/api/v1/vals/:owner/:val/run").handler(this::authenticatedFirst).handler(bodies).handler(triggers::runNow);
        router.post("/api/v1/email/:owner/:val").handler(this::authenticatedFirst).handler(triggers.emailBodies().sharing(uploads))
                .handler(triggers::receiveEmail);

        // served only while compatible
        router.route("/api/v1/*").handler(this::guarded).handler(this::authenticatedFirst).handler(bodies);
        route(router, HttpMethod.GET, "/api/v1/me", api::me);
        route(router, HttpMethod.PATCH, "/api/v1/me", api::updateMe);
        route(router, HttpMethod.GET, "/api/v1/users", api::listUsers);
        route(router, HttpMethod.POST, "/api/v1/users", api::createUser);
        route(router, HttpMethod.GET, "/api/v1/tokens", api::listTokens);
        route(router, HttpMethod.POST, "/api/v1/tokens", api::createToken);
        route(router, HttpMethod.DELETE, "/api/v1/tokens/:id", api::deleteToken);
        route(router, HttpMethod.GET, "/api/v1/vals", api::listVals);
        route(router, HttpMethod.POST, "/api/v1/vals", api::createVal, jsWorkers);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val", api::getVal);
        route(router, HttpMethod.PUT, "/api/v1/vals/:owner/:val", api::updateVal, jsWorkers);
        route(router, HttpMethod.DELETE, "/api/v1/vals/:owner/:val", api::deleteVal);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/versions", api::listVersions);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/versions/:version", api::getVersion);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/runs", api::listRuns);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/runs/:id", api::getRun);
        route(router, HttpMethod.GET, "/api/v1/vals/:owner/:val/held/:id", ctx -> triggers.heldItem(ctx, api.ownedVal(ctx)));
        router.get("/api/v1/vals/:owner/:val/logs/stream").handler(this::logStream);
        route(router, HttpMethod.GET, "/api/v1/env", api::listEnv);
        route(router, HttpMethod.PUT, "/api/v1/env/:key", api::putEnv);
        route(router, HttpMethod.DELETE, "/api/v1/env/:key", api::deleteEnv);
        route(router, HttpMethod.GET, "/api/v1/audit", api::listAudit);
        authoring.api((method, path, handler) -> route(router, method, path, handler));
        router.route("/api/*").handler(ctx -> ctx.fail(ApiError.notFound(
                "No API route " + ctx.request().method() + " " + ctx.request().path() + ".")));

        // the web editor, on the API's origin (a val's host name never gets here)
        authoring.pages(router, bodies);

        router.route().last().handler(ctx -> ctx.fail(ApiError.notFound("Nothing at " + ctx.request().path()
                + ". Vals live at /v/{owner}/{val}, the API at /api/v1.")));
        router.route().failureHandler(this::failure);
        return router;
    }

    /** The live log tail: the owner check runs on the database workers, the stream on the event loop. */
    private void logStream(RoutingContext ctx) {
        Callable<Long> owned = () -> api.ownedVal(ctx).id();
        dbWorkers.executeBlocking(owned, false).onComplete(done -> {
            if (done.failed()) ctx.fail(done.cause());
            else logTail.subscribe(ctx.response(), done.result());
        });
    }

    /**
     * A request with a body is authenticated before a byte of the body is read (the request waits,
     * paused, while the token is checked on the database workers); one without a body authenticates
     * in its handler. While the schema is incompatible the held-work routes take work with a token in
     * the header, which the held work's own rules check.
     */
    private void authenticatedFirst(RoutingContext ctx) {
        if (!Uploads.hasBody(ctx.request())) {
            ctx.next();
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (!guard.current().compatible()) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
                ctx.fail(ApiError.unauthorized("This needs the val owner's API token: send 'Authorization: Bearer <token>'."));
            } else {
                ctx.next();
            }
            return;
        }
        ctx.request().pause();
        dbWorkers.executeBlocking(() -> auth.required(authorization), false).onComplete(done -> {
            if (done.failed()) ctx.fail(done.cause());
            else ctx.next();
        });
    }

    /**
     * An answer given before the request's body was read (refused, not found, the fallback) closes the
     * connection: the unread body would otherwise have to be read and thrown away before the next request.
     */
    private static void closeIfBodyUnread(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            if (!ctx.request().isEnded() && Uploads.hasBody(ctx.request())) ctx.response().putHeader("Connection", "close");
        });
        ctx.next();
    }

    /** The request path's one look at the schema: a volatile read. */
    private void guarded(RoutingContext ctx) {
        if (!fallback.answerIfIncompatible(ctx)) ctx.next();
    }

    /**
     * Liveness: 503 naming the background threads that stopped (the supervisor is restarting them) and
     * whatever a check says this process cannot recover from by itself (then restarting it is the fix); else 200.
     */
    private void live(RoutingContext ctx) {
        ctx.response().putHeader("Cache-Control", "no-store");
        var problems = supervisor.problems();
        var sentences = new java.util.ArrayList<>(problems.stream().map(Supervisor.Problem::sentence).toList());
        for (var check : livenessChecks) check.get().ifPresent(sentences::add);
        if (sentences.isEmpty()) {
            json(ctx, 200, info.copy().put("status", "ok"));
            return;
        }
        var threads = new io.vertx.core.json.JsonArray();
        problems.forEach(p -> threads.add(new JsonObject().put("thread", p.loop()).put("stoppedAt", p.stoppedAt().toString())
                .put("restarts", p.restarts())));
        json(ctx, 503, info.copy().put("status", "failing").put("message", String.join(" ", sentences)).put("threads", threads));
    }

    /** Makes /healthz answer 503 with the check's sentence while it reports a problem (read on every call: keep it cheap). */
    public void failLivenessWhen(java.util.function.Supplier<java.util.Optional<String>> check) {
        livenessChecks.add(check);
    }

    private void ready(RoutingContext ctx) {
        JsonObject body = listener.readiness(guard.current());
        ctx.response().putHeader("Cache-Control", "no-store");
        json(ctx, "ready".equals(body.getString("status")) ? 200 : 503, body);
    }

    private JsonObject schema() {
        Verdict verdict = guard.current();
        SchemaState state = verdict.state();
        var transitions = new JsonArray();
        for (Transition t : guard.transitions()) {
            transitions.add(new JsonObject().put("at", t.at().toString()).put("from", t.from().code()).put("to", t.to().code())
                    .put("message", t.to().message()).put("detectionMs", t.detectionMs() < 0 ? null : t.detectionMs()));
        }
        return new JsonObject()
                .put("codeLevel", verdict.build().codeLevel())
                .put("codeMinimum", verdict.build().codeMinimum())
                .put("schemaVersion", state == null ? null : state.schemaVersion())
                .put("floor", state == null ? null : state.floor())
                .put("floorVersion", state == null || state.floorVersion() == 0 ? null : state.floorVersion())
                .put("failedMigration", state == null ? null : state.failedVersion())
                .put("verdict", verdict.code())
                .put("compatible", verdict.compatible())
                .put("reason", verdict.compatible() ? null : verdict.reason().code())
                .put("message", verdict.message())
                .put("since", verdict.since().toString())
                .put("build", verdict.build().buildId())
                .put("instance", info.getString("instance"))
                .put("engine", info.getString("engine"))
                .put("jit", info.getBoolean("jit"))
                .put("transitions", transitions);
    }

    /** An API route: authentication, the store and JSON rendering run on the database workers (saves: see {@link #jsWorkers}). */
    private void route(Router router, HttpMethod method, String path, Function<RoutingContext, Reply> handler) {
        route(router, method, path, handler, dbWorkers);
    }

    /** A route whose handler runs on {@code workers}. */
    private void route(Router router, HttpMethod method, String path, Function<RoutingContext, Reply> handler, WorkerExecutor workers) {
        router.route(method, path).handler(ctx -> {
            Callable<Reply> work = () -> handler.apply(ctx);
            workers.executeBlocking(work, false).onComplete(done -> {
                if (done.failed()) {
                    ctx.fail(done.cause());
                    return;
                }
                Reply reply = done.result();
                reply.headers().forEach(ctx.response()::putHeader);
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
        if (ctx.response().ended()) return;
        StoreException store = storeCause(cause);
        if (store != null && store.isSchemaOrConnectionProblem()) {
            schemaTrouble(ctx, store);
            return;
        }
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
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        json(ctx, error.status(), error.toJson());
    }

    /**
     * A query failed in a way that smells of a schema change or a lost database: recheck at once, and
     * answer this request with the fallback rather than a 500.
     */
    private void schemaTrouble(RoutingContext ctx, StoreException e) {
        Context context = Vertx.currentContext();
        guard.recheck().orTimeout(2, TimeUnit.SECONDS).whenComplete((verdict, timeout) -> context.runOnContext(v -> {
            if (ctx.response().ended()) return;
            if (verdict != null && !verdict.compatible()) {
                fallback.answer(ctx, verdict.code(), verdict.message());
            } else {
                log.warn("Query failed with SQLSTATE {} while the schema is recorded as compatible: {}", e.sqlState(), e.getMessage());
                fallback.answer(ctx, "query_failed", "a query failed against the database (SQLSTATE " + e.sqlState()
                        + ") although its recorded schema is compatible with this build; the schema may have changed"
                        + " without a contract declaration");
            }
        }));
    }

    private static StoreException storeCause(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof StoreException store) return store;
        }
        return null;
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        SecurityHeaders.json(ctx.response()).setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body instanceof JsonObject o ? o.encode() : String.valueOf(body));
    }
}
