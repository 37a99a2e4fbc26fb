package dev.valence.status.http;

import dev.valence.status.store.StatusStore;
import dev.valence.status.store.TeamTokens;
import dev.valence.status.store.WebhookSubscribers;
import dev.valence.foundation.outbound.OutboundGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook subscriber API, for team tokens only (subscriber URLs and delivery logs are not
 * public): subscribe a URL and get its signing secret once, list, unsubscribe, and read a
 * subscriber's delivery log. Assumes the router already parses {@code /api/v2/*} bodies.
 */
public final class WebhookRoutes {
    private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);

    private final Vertx vertx;
    private final TeamTokens tokens;
    private final WebhookSubscribers subscribers;
    /** The deliverer's guard: a URL it would refuse is refused at subscription, where someone reads why. */
    private final OutboundGuard guard;

    private WebhookRoutes(Vertx vertx, TeamTokens tokens, WebhookSubscribers subscribers, OutboundGuard guard) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.subscribers = subscribers;
        this.guard = guard;
    }

    public static void mount(Router router, Vertx vertx, TeamTokens tokens, WebhookSubscribers subscribers, OutboundGuard guard) {
        var routes = new WebhookRoutes(vertx, tokens, subscribers, guard);
        routes.route(router, HttpMethod.POST, "/api/v2/subscribers", routes::subscribe);
        routes.route(router, HttpMethod.GET, "/api/v2/subscribers", routes::list);
        routes.route(router, HttpMethod.DELETE, "/api/v2/subscribers/:id", routes::unsubscribe);
        routes.route(router, HttpMethod.GET, "/api/v2/subscribers/:id/deliveries", routes::deliveries);
    }

    /** An answer: status and body (none for 204). */
    private record Answer(int status, JsonObject body) {}

    private void route(Router router, HttpMethod method, String path, Function<RoutingContext, Answer> handler) {
        router.route(method, path).handler(ctx -> {
            String authorization = ctx.request().getHeader("Authorization");
            vertx.executeBlocking(() -> {
                String team = StatusServer.authenticate(tokens, authorization);
                Answer answer = handler.apply(ctx);
                if (method != HttpMethod.GET) log.info("{} {} by team token '{}'", method, ctx.request().path(), team);
                return answer;
            }, false).onComplete(done -> {
                if (done.succeeded()) {
                    Answer answer = done.result();
                    if (answer.body() == null) ctx.response().setStatusCode(answer.status()).end();
                    else ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(answer.body().encode());
                } else if (done.cause() instanceof StatusServer.WriteError e) {
                    StatusServer.error(ctx, e.status, e.code, e.getMessage());
                } else if (done.cause() instanceof StatusStore.StoreFailure e) {
                    StatusServer.error(ctx, 503, "database_unreachable", "Subscribers cannot be read or written now (" + e.getMessage() + "); retry shortly.");
                } else {
                    ctx.fail(done.cause());
                }
            });
        });
    }

    private Answer subscribe(RoutingContext ctx) {
        Object url = StatusServer.body(ctx).getValue("url");
        if (!(url instanceof String text) || text.isBlank()) {
            throw new StatusServer.WriteError(400, "bad_request", "'url' is required: the http:// or https:// address to POST events to.");
        }
        String valid;
        try {
            valid = OutboundGuard.validUrl(text);
        } catch (IllegalArgumentException e) {
            throw new StatusServer.WriteError(400, "bad_request", e.getMessage());
        }
        refuseUnreachable(valid);
        WebhookSubscribers.Created created = subscribers.create(valid);
        return new Answer(201, subscriber(created.subscriber()).put("secret", created.secret()));
    }

    /**
     * 400 when the URL's host is, or resolves to, an address the deliverer refuses. A name that does not
     * resolve now is accepted: DNS may not know it yet, and every delivery checks again (also against a
     * name that later points somewhere refused).
     */
    private void refuseUnreachable(String url) {
        Optional<String> refusal;
        try {
            refusal = guard.refusal(URI.create(url));
        } catch (UnknownHostException e) {
            return;
        }
        if (refusal.isPresent()) {
            String why = refusal.get().startsWith("refused: ") ? refusal.get().substring("refused: ".length()) : refusal.get();
            throw new StatusServer.WriteError(400, "url_refused", "Webhooks are not sent to " + url + ": " + why
                    + " (an operator's setting), or subscribe a public address.");
        }
    }

    private Answer list(RoutingContext ctx) {
        var array = new JsonArray();
        subscribers.list().forEach(s -> array.add(subscriber(s)));
        return new Answer(200, new JsonObject().put("subscribers", array));
    }

    private Answer unsubscribe(RoutingContext ctx) {
        if (!subscribers.delete(ctx.pathParam("id"))) throw notFound(ctx.pathParam("id"));
        return new Answer(204, null);
    }

    private Answer deliveries(RoutingContext ctx) {
        var rows = subscribers.deliveries(ctx.pathParam("id")).orElseThrow(() -> notFound(ctx.pathParam("id")));
        var array = new JsonArray();
        for (WebhookSubscribers.Delivery d : rows) {
            array.add(new JsonObject()
                    .put("id", d.id())
                    .put("event", d.event())
                    .put("incident_id", d.incidentId())
                    .put("state", d.state().wire())
                    .put("attempts", d.attempts())
                    .put("last_status", d.lastStatus())
                    .put("last_error", d.lastError())
                    .put("last_attempt_at", StatuspageJson.time(d.lastAttemptAt()))
                    .put("next_attempt_at", StatuspageJson.time(d.nextAttemptAt()))
                    .put("delivered_at", StatuspageJson.time(d.deliveredAt()))
                    .put("failed_at", StatuspageJson.time(d.failedAt()))
                    .put("created_at", StatuspageJson.time(d.createdAt())));
        }
        return new Answer(200, new JsonObject().put("deliveries", array));
    }

    private static JsonObject subscriber(WebhookSubscribers.Subscriber s) {
        return new JsonObject().put("id", s.id()).put("url", s.url()).put("created_at", StatuspageJson.time(s.createdAt()));
    }

    private static StatusServer.WriteError notFound(String id) {
        return new StatusServer.WriteError(404, "not_found", "No subscriber " + id + ".");
    }
}
