package dev.valence.status.http;

import dev.valence.status.snapshot.SnapshotKeeper;
import dev.valence.status.ComponentStatus;
import dev.valence.status.Impact;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.Snapshot;
import dev.valence.foundation.session.Sessions;
import dev.valence.status.store.DeployState;
import dev.valence.status.store.StatusStore;
import dev.valence.status.store.TeamTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import dev.valence.foundation.edge.HttpTimeouts;
import dev.valence.foundation.edge.SlowClients;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArraySet;
import dev.valence.foundation.audit.AuditEntry;
import dev.valence.foundation.audit.AuditLog;
import dev.valence.status.audit.WriteActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page's route table: the public Statuspage v2 read API (served from the snapshot in
 * memory, also while the database is gone), the live stream, and the write API for team tokens.
 */
public final class StatusServer {
    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);

    private final Vertx vertx;
    private final SnapshotKeeper keeper;
    private final StatusStore store;
    private final TeamTokens tokens;
    private final StatuspageJson json;
    private final String pageUrl;
    private final HtmlPage html = new HtmlPage(Markdown::toSafeHtml);
    private OpsRoutes ops;
    private volatile AuditLog audit;
    /** What webhook subscriptions are checked against: the deliverer's guard (see {@link #withWebhookGuard}). */
    private dev.valence.foundation.outbound.OutboundGuard webhookGuard;
    private volatile boolean deployInProgress;
    private long deployTimer = -1;
    private final Set<HttpServerResponse> streams = new CopyOnWriteArraySet<>();
    /** How long clients may take; set by {@link #listen} before the routes are built. */
    private HttpTimeouts timeouts = HttpTimeouts.DEFAULTS;
    private HttpServer server;
    private long pingTimer = -1;

    public StatusServer(Vertx vertx, SnapshotKeeper keeper, StatusStore store, TeamTokens tokens, String pageUrl) {
        this.vertx = vertx;
        this.keeper = keeper;
        this.store = store;
        this.tokens = tokens;
        this.json = new StatuspageJson(pageUrl);
        this.pageUrl = pageUrl;
        keeper.onChange(snapshot -> vertx.runOnContext(v -> broadcast(snapshot)));
    }

    Router router() {
        Router router = Router.router(vertx);
        // API answers are data: never sniffed as a page or a script, never framed, loading nothing
        router.route("/api/*").handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            ctx.next();
        });
        // public, read-only, from the snapshot
        read(router, "/api/v2/summary.json", json::summary);
        read(router, "/api/v2/status.json", json::statusDocument);
        read(router, "/api/v2/components.json", json::componentsDocument);
        read(router, "/api/v2/incidents.json", s -> json.incidentsDocument(s, s.incidentsOnly().stream().limit(StatusStore.RECENT).toList()));
        read(router, "/api/v2/incidents/unresolved.json", s -> json.incidentsDocument(s, s.unresolvedIncidents()));
        read(router, "/api/v2/scheduled-maintenances.json", s -> json.maintenancesDocument(s, s.maintenances().stream().limit(StatusStore.RECENT).toList()));
        read(router, "/api/v2/scheduled-maintenances/upcoming.json", s -> json.maintenancesDocument(s, s.upcomingMaintenances()));
        read(router, "/api/v2/scheduled-maintenances/active.json", s -> json.maintenancesDocument(s, s.activeMaintenances()));
        router.get("/api/v2/stream").handler(this::stream);
        router.get("/").handler(this::page);
        router.get("/incidents/:id").handler(this::shortlink);
        feed(router, "/history.atom", "application/atom+xml; charset=utf-8", Feeds::atom);
        feed(router, "/history.rss", "application/rss+xml; charset=utf-8", Feeds::rss);

        // writes, with a team token
        router.route("/api/v2/*").handler(new JsonBodyHandler(256 * 1024, timeouts.bodyMs())); // JSON whatever the Content-Type says
        write(router, "POST", "/api/v2/incidents", this::createIncident);
        write(router, "POST", "/api/v2/incidents/:id/updates", this::postUpdate);
        write(router, "POST", "/api/v2/incidents/:id/resolve", ctx -> closeWith(ctx, IncidentStatus.RESOLVED, "This incident has been resolved."));
        write(router, "PATCH", "/api/v2/components/:id", this::setComponent);
        write(router, "POST", "/api/v2/scheduled-maintenances", this::scheduleMaintenance);
        write(router, "POST", "/api/v2/scheduled-maintenances/:id/start", ctx -> closeWith(ctx, IncidentStatus.IN_PROGRESS, "Scheduled maintenance is in progress."));
        write(router, "POST", "/api/v2/scheduled-maintenances/:id/complete", ctx -> closeWith(ctx, IncidentStatus.COMPLETED, "The scheduled maintenance has been completed."));

        if (ops != null) ops.mount(router);
        WebhookRoutes.mount(router, vertx, tokens, store.webhookSubscribers(), webhookGuard != null ? webhookGuard
                : new dev.valence.foundation.outbound.OutboundGuard(dev.valence.foundation.outbound.AllowList.NONE));
        TeamTokenRoutes.mount(router, vertx, tokens, () -> audit);

        router.route().last().handler(ctx -> error(ctx, 404, "not_found", "Nothing at " + ctx.request().path() + "."));
        router.route().failureHandler(ctx -> {
            if (ctx.response().ended()) return;
            if (ctx.statusCode() == 413) error(ctx, 413, "payload_too_large", "The request body is larger than 256 KiB.");
            else if (ctx.statusCode() == 408) error(ctx, 408, "request_timeout", "The request body did not arrive within "
                    + timeouts.bodyMs() + " ms (HTTP_BODY_TIMEOUT_MS); send it faster.");
            else {
                log.error("Unhandled error on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
                error(ctx, 500, "internal", "Something went wrong on our side; the error is in the log.");
            }
        });
        return router;
    }

    /** A read endpoint: rendered from the snapshot, never touching the database. */
    private void read(Router router, String path, java.util.function.Function<Snapshot, JsonObject> render) {
        router.get(path).handler(ctx -> {
            SnapshotKeeper.View view = keeper.view();
            if (view == null) {
                error(ctx, 503, "no_data_yet", "The status page has not been able to read its data yet; retry in a few seconds.");
                return;
            }
            headers(ctx.response(), view);
            ctx.response().putHeader("Content-Type", "application/json").end(render.apply(view.snapshot()).encode());
        });
    }

    /** The HTML page, rendered from the snapshot; usable without JavaScript, live with it. */
    private void page(RoutingContext ctx) {
        SnapshotKeeper.View view = keeper.view();
        if (view == null) {
            ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8").putHeader("Retry-After", "5")
                    .end("The status page has not been able to read its data yet; retry in a few seconds.");
            return;
        }
        headers(ctx.response(), view);
        String notice = deployInProgress ? "Deploy in progress: instances are running different versions." : null;
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", HtmlPage.contentSecurityPolicy())
                .end(html.render(view.snapshot(), new HtmlPage.Options(pageUrl, view.stale(), notice, Instant.now())));
    }

    /** The shortlinks of incidents (in the JSON and the feeds) lead to the incident on the page. */
    private void shortlink(RoutingContext ctx) {
        SnapshotKeeper.View view = keeper.view();
        String id = ctx.pathParam("id");
        boolean known = view != null && view.snapshot().incidents().stream().anyMatch(i -> i.id().equals(id));
        if (!known) {
            error(ctx, 404, "not_found", "No recent incident or maintenance " + id + "; the incident history is at /history.atom.");
            return;
        }
        ctx.response().setStatusCode(302).putHeader("Location", "/#incident-" + id).end();
    }

    private void feed(Router router, String path, String contentType, java.util.function.BiFunction<Snapshot, String, String> render) {
        router.get(path).handler(ctx -> {
            SnapshotKeeper.View view = keeper.view();
            if (view == null) {
                error(ctx, 503, "no_data_yet", "The status page has not been able to read its data yet; retry in a few seconds.");
                return;
            }
            headers(ctx.response(), view);
            ctx.response().putHeader("Content-Type", contentType).end(render.apply(view.snapshot(), pageUrl));
        });
    }

    static void headers(HttpServerResponse response, SnapshotKeeper.View view) {
        response.putHeader("Cache-Control", "no-cache").putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("X-Snapshot-Taken-At", StatuspageJson.time(view.snapshot().takenAt()));
        if (view.stale()) response.putHeader("X-Snapshot-Stale", "true");
    }

    // ------------------------------------------------------------------ live stream

    private void stream(RoutingContext ctx) {
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("Access-Control-Allow-Origin", "*");
        streams.add(response);
        response.closeHandler(v -> streams.remove(response));
        response.write("retry: 3000\n\n");
        SnapshotKeeper.View view = keeper.view();
        if (view != null) response.write(event(view.snapshot()));
        if (pingTimer < 0) {
            pingTimer = vertx.setPeriodic(15_000, id -> streams.forEach(r -> r.write(": ping\n\n")));
        }
    }

    private void broadcast(Snapshot snapshot) {
        if (streams.isEmpty()) return;
        String event = event(snapshot);
        streams.forEach(r -> r.write(event));
    }

    private String event(Snapshot snapshot) {
        return "event: page\ndata: " + json.summary(snapshot).encode() + "\n\n";
    }

    // ------------------------------------------------------------------ writes

    /** A failed write: status, code, message. */
    static final class WriteError extends RuntimeException {
        final int status;
        final String code;

        WriteError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private record Written(int status, JsonObject body) {}

    private void write(Router router, String method, String path, java.util.function.Function<RoutingContext, Written> handler) {
        router.route(io.vertx.core.http.HttpMethod.valueOf(method), path).handler(ctx -> {
            String authorization = ctx.request().getHeader("Authorization");
            Callable<Written> work = () -> {
                String author = authenticate(tokens, authorization);
                Written written = handler.apply(ctx);
                keeper.reloadNow();
                log.info("{} {} by team token '{}'", method, ctx.request().path(), author);
                if (audit != null) {
                    String target = ctx.pathParam("id") != null ? ctx.pathParam("id") : createdId(written.body());
                    audit.record(author, AuditEntry.ActorKind.TEAM, WriteActions.of(method, path), target,
                            ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(), null);
                }
                return written;
            };
            vertx.executeBlocking(work, false).onComplete(done -> {
                if (done.succeeded()) {
                    ctx.response().setStatusCode(done.result().status()).putHeader("Content-Type", "application/json")
                            .end(done.result().body().encode());
                } else if (done.cause() instanceof WriteError e) {
                    error(ctx, e.status, e.code, e.getMessage());
                } else if (done.cause() instanceof StatusStore.StoreFailure e) {
                    error(ctx, 503, "database_unreachable", "The status data cannot be written now (" + e.getMessage() + "); retry shortly.");
                } else {
                    ctx.fail(done.cause());
                }
            });
        });
    }

    /** The team token's name; 401 without one, 403 for a val author's token. Shared by every write route. */
    static String authenticate(TeamTokens tokens, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new WriteError(401, "unauthorized", "This needs a team token: send 'Authorization: Bearer vst_...'.");
        }
        String secret = authorization.substring(7).trim();
        if (!secret.startsWith(TeamTokens.PREFIX)) {
            throw new WriteError(403, "forbidden", "This is not a team token; val authors' tokens cannot write to the status page.");
        }
        return tokens.authenticate(secret).orElseThrow(() -> new WriteError(401, "unauthorized", "The team token is not valid."));
    }

    private Written createIncident(RoutingContext ctx) {
        JsonObject body = body(ctx);
        String name = text(body, "name", 300, true);
        IncidentStatus status = parse(() -> IncidentStatus.fromWire(optional(body, "status", "investigating"), IncidentStatus.Kind.INCIDENT));
        Impact impact = parse(() -> Impact.fromWire(optional(body, "impact", "minor")));
        String first = text(body, "body", 20_000, true);
        var components = components(body.getValue("components"), ComponentStatus.PARTIAL_OUTAGE);
        String id = store.createIncident(new StatusStore.NewIncident(name, status, impact, components, first, null, null, null, "team"))
                .orElseThrow();
        return new Written(201, incidentJson(id));
    }

    private Written postUpdate(RoutingContext ctx) {
        JsonObject body = body(ctx);
        Incident incident = existing(ctx.pathParam("id"));
        IncidentStatus status = parse(() -> IncidentStatus.fromWire(optional(body, "status", incident.status().wire()), incident.kind()));
        String text = text(body, "body", 20_000, true);
        var components = components(body.getValue("components"), null);
        store.postUpdate(incident.id(), status, text, components, "team").orElseThrow();
        return new Written(201, incidentJson(incident.id()));
    }

    private Written closeWith(RoutingContext ctx, IncidentStatus status, String defaultBody) {
        var raw = ctx.body().buffer();
        JsonObject body = raw == null || raw.length() == 0 ? new JsonObject() : body(ctx);
        Incident incident = existing(ctx.pathParam("id"));
        if (incident.kind() != status.kind()) {
            throw new WriteError(404, "not_found", "No " + status.kind().wire() + " " + incident.id() + ".");
        }
        String text = optional(body, "body", defaultBody);
        var restore = new LinkedHashMap<String, ComponentStatus>();
        ComponentStatus to = status == IncidentStatus.IN_PROGRESS ? ComponentStatus.UNDER_MAINTENANCE : ComponentStatus.OPERATIONAL;
        incident.componentIds().forEach(id -> restore.put(id, to));
        store.postUpdate(incident.id(), status, text, restore, "team").orElseThrow();
        return new Written(200, incidentJson(incident.id()));
    }

    private Written setComponent(RoutingContext ctx) {
        JsonObject body = body(ctx);
        ComponentStatus status = parse(() -> ComponentStatus.fromWire(text(body, "status", 40, true)));
        if (!store.setComponentStatus(ctx.pathParam("id"), status)) {
            throw new WriteError(404, "not_found", "No component " + ctx.pathParam("id") + " (groups take the status of their components).");
        }
        Snapshot s = keeper.reloadNow().snapshot();
        return new Written(200, json.component(s.component(ctx.pathParam("id")).orElseThrow()));
    }

    private Written scheduleMaintenance(RoutingContext ctx) {
        JsonObject body = body(ctx);
        String name = text(body, "name", 300, true);
        String text = text(body, "body", 20_000, true);
        Instant from = instant(body, "scheduled_for");
        Instant until = instant(body, "scheduled_until");
        if (!until.isAfter(from)) throw new WriteError(400, "bad_request", "'scheduled_until' must be after 'scheduled_for'.");
        var components = components(body.getValue("components"), null);
        var linked = new LinkedHashMap<String, ComponentStatus>();
        Snapshot s = keeper.reloadNow().snapshot();
        components.keySet().forEach(id -> linked.put(id, s.component(id).map(c -> c.status()).orElse(ComponentStatus.OPERATIONAL)));
        String id = store.createIncident(new StatusStore.NewIncident(name, IncidentStatus.SCHEDULED, Impact.MAINTENANCE, linked, text,
                null, from, until, "team")).orElseThrow();
        return new Written(201, incidentJson(id));
    }

    private JsonObject incidentJson(String id) {
        Snapshot s = keeper.reloadNow().snapshot();
        Incident incident = s.incidents().stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new WriteError(500, "internal", "incident " + id + " was written but cannot be read back"));
        return json.incidentDocument(s, incident);
    }

    private Incident existing(String id) {
        SnapshotKeeper.View view = keeper.reloadNow();
        return view.snapshot().incidents().stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new WriteError(404, "not_found", "No incident or maintenance " + id + " (only open and recent ones can change)."));
    }

    /** Components as ["id", ...] (each set to the default status) or {"id": "status", ...}. */
    private Map<String, ComponentStatus> components(Object value, ComponentStatus defaultStatus) {
        var result = new LinkedHashMap<String, ComponentStatus>();
        if (value == null) return result;
        Snapshot s = keeper.view().snapshot();
        if (value instanceof JsonArray array) {
            for (Object o : array) {
                String id = known(s, o);
                result.put(id, defaultStatus != null ? defaultStatus : s.component(id).orElseThrow().status());
            }
        } else if (value instanceof JsonObject object) {
            for (String key : object.fieldNames()) {
                String id = known(s, key);
                Object status = object.getValue(key);
                result.put(id, parse(() -> ComponentStatus.fromWire(String.valueOf(status))));
            }
        } else {
            throw new WriteError(400, "bad_request", "'components' must be a list of component ids or an object of id to status.");
        }
        return result;
    }

    private static String known(Snapshot s, Object id) {
        if (!(id instanceof String text) || s.component(text).filter(c -> !c.group()).isEmpty()) {
            throw new WriteError(400, "bad_request", "Unknown component '" + id + "' (use the ids from /api/v2/components.json; groups cannot be set).");
        }
        return text;
    }

    static JsonObject body(RoutingContext ctx) {
        try {
            var buffer = ctx.body().buffer();
            if (buffer == null || buffer.length() == 0) throw new WriteError(400, "invalid_json", "The request needs a JSON object body.");
            Object parsed = io.vertx.core.json.Json.decodeValue(buffer);
            if (parsed instanceof JsonObject o) return o;
            if (parsed instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                var fields = (Map<String, Object>) map;
                return new JsonObject(fields);
            }
            throw new WriteError(400, "invalid_json", "The request body must be a JSON object.");
        } catch (DecodeException e) {
            throw new WriteError(400, "invalid_json", "The request body is not valid JSON.");
        }
    }

    private static String text(JsonObject body, String field, int maxLength, boolean required) {
        Object value = body.getValue(field);
        if (value == null || (value instanceof String s && s.isBlank())) {
            if (required) throw new WriteError(400, "bad_request", "'" + field + "' is required.");
            return null;
        }
        if (!(value instanceof String s)) throw new WriteError(400, "bad_request", "'" + field + "' must be a string.");
        if (s.length() > maxLength) throw new WriteError(400, "bad_request", "'" + field + "' may be at most " + maxLength + " characters.");
        return s;
    }

    private static String optional(JsonObject body, String field, String fallback) {
        String value = text(body, field, 20_000, false);
        return value == null ? fallback : value;
    }

    private static Instant instant(JsonObject body, String field) {
        String value = text(body, field, 64, true);
        Instant instant;
        try {
            instant = java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new WriteError(400, "bad_request", "'" + field + "' must be an ISO-8601 time with offset, like 2026-12-01T02:00:00Z; got '" + value + "'.");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new WriteError(400, "bad_request", "'" + field + "' must be between the years 1 and 9999, got '" + value + "'.");
        }
        return instant;
    }

    /** What the database's timestamps can hold and a person means: years 1 to 9999 (ISO-8601 reaches a billion). */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new WriteError(400, "bad_request", e.getMessage() + ".");
        }
    }

    static void error(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
    }

    /** The id in a write's answer: an incident or maintenance document, or a component. */
    private static String createdId(JsonObject body) {
        for (String key : new String[] {"incident", "scheduled_maintenance"}) {
            if (body.getValue(key) instanceof JsonObject document) return document.getString("id");
        }
        return body.getString("id");
    }

    /** Records every write in the audit log. */
    public StatusServer withAudit(AuditLog audit) {
        this.audit = audit;
        if (ops != null) ops.audit(audit);
        return this;
    }

    /** Adds the operators' deploy view and posting form at /ops. */
    public StatusServer withOps(DeployState deploys, Sessions sessions) {
        this.ops = new OpsRoutes(vertx, tokens, sessions, deploys, store, keeper, pageUrl);
        if (audit != null) ops.audit(audit);
        // the public page shows a short notice while live instances run different builds
        deployTimer = vertx.setPeriodic(0, 3_000, id -> vertx.executeBlocking(() -> deploys.read().mixed(), false)
                .onSuccess(mixed -> deployInProgress = mixed));
        return this;
    }

    /** Checks webhook subscriptions against the deliverer's guard, so both refuse the same addresses. */
    public StatusServer withWebhookGuard(dev.valence.foundation.outbound.OutboundGuard guard) {
        this.webhookGuard = guard;
        return this;
    }

    /** Serves on {@code host:port} with {@link SlowClients}' deadlines, as the runtime's port does. */
    public Future<HttpServer> listen(String host, int port, HttpTimeouts timeouts) {
        this.timeouts = timeouts;
        var slowClients = new SlowClients(vertx, timeouts);
        Router routes = router();
        return vertx.createHttpServer(slowClients.apply(new HttpServerOptions().setHost(host).setPort(port)))
                .connectionHandler(slowClients::connected)
                .requestHandler(request -> {
                    slowClients.headed(request);
                    routes.handle(request);
                }).listen()
                .recover(e -> Future.failedFuture(new IllegalStateException("The status page could not listen on " + host + ":" + port
                        + " (" + e.getMessage() + "). Set STATUS_PORT to a free port.", e)))
                .onSuccess(s -> server = s);
    }

    public int actualPort() {
        return server.actualPort();
    }

    public Future<Void> close() {
        if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
        if (deployTimer >= 0) vertx.cancelTimer(deployTimer);
        streams.forEach(r -> r.end());
        return server == null ? Future.succeededFuture() : server.close();
    }
}
