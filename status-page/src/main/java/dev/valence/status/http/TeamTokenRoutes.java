package dev.valence.status.http;

import dev.valence.foundation.audit.AuditEntry;
import dev.valence.foundation.audit.AuditLog;
import dev.valence.status.audit.WriteActions;
import dev.valence.status.store.StatusStore;
import dev.valence.status.store.TeamTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The team token API, for team tokens only: list (never a secret), create, rotate (a new secret
 * under the same name; the old one stops at once) and revoke (with the browser sessions it
 * started). The last active token cannot be revoked. Assumes the router already parses
 * {@code /api/v2/*} bodies.
 */
final class TeamTokenRoutes {
    private static final Logger log = LoggerFactory.getLogger(TeamTokenRoutes.class);

    private final Vertx vertx;
    private final TeamTokens tokens;
    private final Supplier<AuditLog> audit;

    private TeamTokenRoutes(Vertx vertx, TeamTokens tokens, Supplier<AuditLog> audit) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.audit = audit;
    }

    /** @param audit the audit log once the server records writes, else null */
    static void mount(Router router, Vertx vertx, TeamTokens tokens, Supplier<AuditLog> audit) {
        var routes = new TeamTokenRoutes(vertx, tokens, audit);
        routes.route(router, HttpMethod.GET, "/api/v2/team-tokens", routes::list);
        routes.route(router, HttpMethod.POST, "/api/v2/team-tokens", routes::create);
        routes.route(router, HttpMethod.POST, "/api/v2/team-tokens/:id/rotate", routes::rotate);
        routes.route(router, HttpMethod.DELETE, "/api/v2/team-tokens/:id", routes::revoke);
    }

    /** An answer: status and body (none for 204). */
    private record Answer(int status, JsonObject body) {}

    private void route(Router router, HttpMethod method, String path, Function<RoutingContext, Answer> handler) {
        router.route(method, path).handler(ctx -> {
            String authorization = ctx.request().getHeader("Authorization");
            vertx.executeBlocking(() -> {
                String team = StatusServer.authenticate(tokens, authorization);
                Answer answer = handler.apply(ctx);
                if (method != HttpMethod.GET) {
                    log.info("{} {} by team token '{}'", method, ctx.request().path(), team);
                    record(ctx, method, path, team, answer);
                }
                return answer;
            }, false).onComplete(done -> {
                if (done.succeeded()) {
                    Answer answer = done.result();
                    if (answer.body() == null) ctx.response().setStatusCode(answer.status()).end();
                    else ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(answer.body().encode());
                } else if (done.cause() instanceof StatusServer.WriteError e) {
                    StatusServer.error(ctx, e.status, e.code, e.getMessage());
                } else if (done.cause() instanceof StatusStore.StoreFailure e) {
                    StatusServer.error(ctx, 503, "database_unreachable", "Team tokens cannot be read or written now (" + e.getMessage() + "); retry shortly.");
                } else {
                    ctx.fail(done.cause());
                }
            });
        });
    }

    private void record(RoutingContext ctx, HttpMethod method, String path, String team, Answer answer) {
        AuditLog log = audit.get();
        if (log == null) return;
        String target = ctx.pathParam("id") != null ? ctx.pathParam("id") : answer.body() == null ? null : answer.body().getString("id");
        var remote = ctx.request().remoteAddress();
        log.record(team, AuditEntry.ActorKind.TEAM, WriteActions.of(method.name(), path), target, remote == null ? null : remote.hostAddress(), null);
    }

    private Answer list(RoutingContext ctx) {
        var array = new JsonArray();
        tokens.list().forEach(t -> array.add(json(t)));
        return new Answer(200, new JsonObject().put("team_tokens", array));
    }

    private Answer create(RoutingContext ctx) {
        var raw = ctx.body().buffer();
        JsonObject body = raw == null || raw.length() == 0 ? new JsonObject() : StatusServer.body(ctx);
        Object name = body.getValue("name");
        if (!(name instanceof String text) || text.isBlank() || text.length() > 100 || text.indexOf('\0') >= 0) {
            throw new StatusServer.WriteError(400, "bad_request", "'name' is required: a label of at most 100 characters, such as \"on-call phone\".");
        }
        TeamTokens.Created created = tokens.createInfo(text.trim());
        return new Answer(201, json(created.info()).put("token", created.secret()));
    }

    private Answer rotate(RoutingContext ctx) {
        long id = id(ctx);
        TeamTokens.Created created = tokens.rotate(id)
                .orElseThrow(() -> new StatusServer.WriteError(404, "not_found", "No active team token " + id + " to rotate."));
        return new Answer(201, json(created.info()).put("token", created.secret()));
    }

    private Answer revoke(RoutingContext ctx) {
        long id = id(ctx);
        return switch (tokens.revoke(id)) {
            case REVOKED -> new Answer(204, null);
            case UNKNOWN -> throw new StatusServer.WriteError(404, "not_found", "No active team token " + id + " to revoke.");
            case LAST_ACTIVE -> throw new StatusServer.WriteError(409, "last_team_token", TeamTokenSection.lastActive(id));
        };
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new StatusServer.WriteError(404, "not_found", "No team token '" + ctx.pathParam("id") + "' (ids are whole numbers, see GET /api/v2/team-tokens).");
        }
    }

    private static JsonObject json(TeamTokens.Info t) {
        return new JsonObject().put("id", String.valueOf(t.id())).put("name", t.name()).put("prefix", t.prefix())
                .put("created_at", StatuspageJson.time(t.createdAt())).put("last_used_at", StatuspageJson.time(t.lastUsedAt()))
                .put("revoked_at", StatuspageJson.time(t.revokedAt()));
    }
}
