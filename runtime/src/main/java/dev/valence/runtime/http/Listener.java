package dev.valence.runtime.http;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import dev.valence.foundation.edge.SlowClients;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import dev.valence.status.FallbackPage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's HTTP port for its whole life. It opens first, before the engine and the database,
 * and answers 503 {@code starting} until {@link #serve} hands it the route table; {@link #drain} ends
 * it: readiness turns 503 at once; if something has been asking for readiness (a load balancer, an
 * orchestrator) the port keeps serving for the shutdown delay so that it notices and sends no more;
 * then the port stops taking connections, requests in flight finish within the grace period, and
 * each keep-alive connection is told {@code Connection: close} on its current response and closed,
 * so a load balancer in front never sends a request into a closing socket.
 */
public final class Listener {
    /** Where the instance is in its life, as readiness reports it. */
    public enum Phase { STARTING, SERVING, STOPPING }

    /** Readiness asked for within this long before a stop means someone routes by it: the stop waits for them to notice. */
    static final Duration WATCHED_WITHIN = Duration.ofSeconds(60);

    static final String STOPPING_SENTENCE = "this instance is shutting down: it finishes the requests in flight and takes no new ones";

    private final Vertx vertx;
    private final SchemaGuard guard;
    private final Fallback fallback;
    private final JsonObject identity;
    private final Router starting;
    private volatile Handler<HttpServerRequest> app;
    private volatile Phase phase = Phase.STARTING;
    private volatile boolean startedAll;
    /** When /readyz was last asked for ({@link System#nanoTime}), or 0 when never. */
    private volatile long readinessAskedNs;
    private HttpServer server;
    /** Idle and header deadlines of this port's connections. */
    private SlowClients slowClients;

    /**
     * {@code identity} names the instance and build in /healthz while starting (the engine is not known yet);
     * {@code fallbackPage} is the status page's part of the fallback (its open incident and page).
     */
    public Listener(Vertx vertx, SchemaGuard guard, String statusPageUrl, MeterRegistry registry, FallbackPage fallbackPage,
                    JsonObject identity) {
        this.vertx = vertx;
        this.guard = guard;
        this.fallback = new Fallback(guard, statusPageUrl, registry, fallbackPage);
        this.identity = identity;
        this.starting = startingRoutes();
    }

    Fallback fallback() {
        return fallback;
    }

    /** What answers while the engine and the routes are not in place yet: alive, not ready, and the fallback for everything else. */
    private Router startingRoutes() {
        Router router = Router.router(vertx);
        router.route().handler(this::closeWhenStopping);
        router.get("/healthz").handler(ctx -> json(ctx, 200, identity.copy().put("status", "starting")));
        router.get("/readyz").handler(ctx -> json(ctx, 503, readiness(guard.current())));
        router.route().handler(ctx -> {
            Verdict verdict = guard.current();
            // compatible cannot be known before the first check, which runs once the routes are in; say starting until then
            if (verdict.compatible()) verdict = Verdict.starting(verdict.build(), verdict.since());
            fallback.answer(ctx, verdict.code(), verdict.message());
        });
        return router;
    }

    /** The body of /readyz: 200 only once every service started, while serving and compatible; the answer's status follows {@code ready}. */
    JsonObject readiness(Verdict verdict) {
        readinessAskedNs = System.nanoTime() | 1; // never 0, the value for "never asked"
        if (phase == Phase.STOPPING) {
            return new JsonObject().put("status", "not_ready").put("verdict", "stopping").put("message", STOPPING_SENTENCE);
        }
        boolean ready = phase == Phase.SERVING && startedAll && verdict.compatible();
        if (!ready && verdict.compatible()) verdict = Verdict.starting(verdict.build(), verdict.since());
        return new JsonObject().put("status", ready ? "ready" : "not_ready")
                .put("verdict", verdict.code()).put("message", verdict.message()).put("since", verdict.since().toString());
    }

    /** Every route table's first handler: once stopping, the current response ends the connection (says so, and does). */
    void closeWhenStopping(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (phase == Phase.STOPPING) ctx.response().putHeader("Connection", "close");
        else ctx.addHeadersEndHandler(v -> {
            if (phase == Phase.STOPPING) ctx.response().putHeader("Connection", "close");
        });
        // Vert.x keeps a connection open after a response that only says close; end handlers cannot be added once it is written
        ctx.addEndHandler(ended -> {
            if ("close".equals(ctx.response().headers().get("Connection"))) connection.close();
        });
        ctx.next();
    }

    /**
     * Every service has started (the first start's admin exists, cron runs): readiness may answer 200
     * from now on, while compatible. Requests are served from {@link #serve} on; a load balancer waits for this.
     */
    public void startedAll() {
        startedAll = true;
    }

    /** Readiness answers 503 from now on, and every response ends its connection: the first step of a stop. */
    public void stopping() {
        phase = Phase.STOPPING;
    }

    public Phase phase() {
        return phase;
    }

    /** Opens the port, with {@link SlowClients}' deadlines; the future fails with advice when it is taken. */
    public Future<HttpServer> listen(String host, int port, EdgeSettings edge) {
        slowClients = new SlowClients(vertx, edge.timeouts());
        var options = slowClients.apply(new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false)
                .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024));
        return vertx.createHttpServer(options).connectionHandler(slowClients::connected)
                .requestHandler(this::handle).listen()
                .recover(e -> Future.failedFuture(new IllegalStateException(
                        "Could not listen on " + host + ":" + port + " (" + e.getMessage() + "). Is another Valence or"
                                + " program using it? Stop it, or set PORT to a free port.", e)))
                .onSuccess(s -> this.server = s);
    }

    private void handle(HttpServerRequest request) {
        slowClients.headed(request);
        Handler<HttpServerRequest> current = app;
        if (current == null) starting.handle(request);
        else current.handle(request);
    }

    /** From now on requests go to the runtime's route table. */
    public void serve(Handler<HttpServerRequest> routes) {
        this.app = routes;
        if (phase == Phase.STARTING) phase = Phase.SERVING;
    }

    public int actualPort() {
        return server.actualPort();
    }

    /**
     * Readiness 503 at once; while a load balancer may still be routing here (readiness was asked for
     * in the last minute) the port serves on for {@code delay}, every response ending its connection,
     * until the balancer's checks have seen the 503 and it sends no more. Then no new connections and
     * at most {@code grace} for the requests in flight; whatever is still open after it is cut.
     * Closing idle keep-alive connections while the balancer still counts this instance in would race
     * its next request on them: the balancer gets no answer and its client an empty one.
     */
    public Future<Void> drain(Duration delay, Duration grace) {
        phase = Phase.STOPPING;
        if (server == null) return Future.succeededFuture();
        if (delay.isZero() || !watched()) return server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
        return Future.<Void>future(p -> vertx.setTimer(delay.toMillis(), id -> p.complete()))
                .compose(v -> server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Whether something asked for readiness within {@link #WATCHED_WITHIN}: a load balancer or an orchestrator routes by it. */
    public boolean watched() {
        long asked = readinessAskedNs;
        return asked != 0 && System.nanoTime() - asked < WATCHED_WITHIN.toNanos();
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        SecurityHeaders.json(ctx.response()).setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
