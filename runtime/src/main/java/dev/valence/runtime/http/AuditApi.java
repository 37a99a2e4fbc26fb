package dev.valence.runtime.http;

import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.User;
import dev.valence.foundation.audit.AuditEntry;
import dev.valence.foundation.audit.AuditLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The authoring API's side of the audit log: records what a val author changed (called by
 * {@link AuthorApi} after each change succeeded) and serves {@code GET /api/v1/audit} to admins,
 * newest first, filtered by {@code actor}, {@code action} ({@code val} or {@code val.create}),
 * {@code target}, {@code since} and {@code before}, at most {@code limit} a page, continued by {@code cursor}.
 */
final class AuditApi {
    private static final Set<String> FILTERS = Set.of("actor", "action", "target", "since", "before", "limit", "cursor");

    private final AuditLog log;

    AuditApi(AuditLog log) {
        this.log = log;
    }

    /** Records a change the caller made through this request. */
    void record(RoutingContext ctx, User actor, String action, String target, String detail) {
        log.record(actor.name(), AuditEntry.ActorKind.USER, action, target, clientAddress(ctx), detail);
    }

    Reply list(RoutingContext ctx, User caller) {
        if (!caller.isAdmin()) throw ApiError.forbidden("Only an admin can read the audit log; " + caller.name() + " is not one.");
        var query = ctx.queryParams();
        for (String name : query.names()) {
            if (!FILTERS.contains(name)) {
                throw ApiError.badRequest("'" + name + "' is not a filter of the audit log; use actor, action, target, since, before, limit, cursor.");
            }
        }
        int limit = limit(query.get("limit"));
        Long cursor = cursor(query.get("cursor"));
        var filter = new AuditLog.Query(blankToNull(query.get("actor")), blankToNull(query.get("action")), blankToNull(query.get("target")),
                InstantParameter.parse(query.get("since"), "since"), InstantParameter.parse(query.get("before"), "before"), cursor, limit + 1);
        java.util.List<AuditEntry> page;
        try {
            page = log.list(filter);
        } catch (AuditLog.AuditReadFailure e) {
            throw new StoreException(e.sqlCause()); // a lost database is answered as the rest of the API answers it
        }
        var data = new JsonArray();
        for (int i = 0; i < Math.min(limit, page.size()); i++) data.add(json(page.get(i)));
        String next = page.size() > limit ? String.valueOf(page.get(limit - 1).id()) : null;
        return Reply.ok(new JsonObject().put("data", data).put("nextCursor", next));
    }

    /** The address the request came from: forwarded headers count only from TRUSTED_PROXIES (see {@link Forwarded}). */
    static String clientAddress(RoutingContext ctx) {
        return Forwarded.clientAddress(ctx);
    }

    private static JsonObject json(AuditEntry e) {
        return new JsonObject().put("id", String.valueOf(e.id())).put("at", e.at().toString()).put("actor", e.actor())
                .put("actorKind", e.actorKind() == null ? null : e.actorKind().wire()).put("action", e.action()).put("target", e.target())
                .put("address", e.address()).put("detail", e.detail());
    }

    private static int limit(String raw) {
        if (raw == null) return 50;
        int limit;
        try {
            limit = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > AuditLog.MAX_PAGE) {
            throw ApiError.badRequest("'limit' must be a whole number from 1 to " + AuditLog.MAX_PAGE + ", got '" + raw + "'.");
        }
        return limit;
    }

    private static Long cursor(String raw) {
        if (raw == null) return null;
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // answered below with the same sentence as any other bad cursor
        }
        throw ApiError.badRequest("'cursor' is not a cursor this API gave out; pass the 'nextCursor' of the previous page.");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
