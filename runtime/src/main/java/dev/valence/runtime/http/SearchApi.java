package dev.valence.runtime.http;

import dev.valence.runtime.store.User;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValSearch;
import dev.valence.runtime.store.ValStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code GET /api/v1/search?q=...}: the caller's own vals whose name or latest code matches (see
 * {@link ValSearch}), each with the lines of code where the query occurs. Other users' vals are
 * never searched, public or not.
 */
final class SearchApi {
    static final int MAX_QUERY_CHARS = 200;
    static final int MAX_RESULTS = 100;
    static final int MAX_LINES_PER_VAL = 5;

    private final Authenticator auth;
    private final ValStore vals;
    private final ValSearch search;
    private final Function<Val, JsonObject> valJson;

    SearchApi(Authenticator auth, ValStore vals, ValSearch search, Function<Val, JsonObject> valJson) {
        this.auth = auth;
        this.vals = vals;
        this.search = search;
        this.valJson = valJson;
    }

    Reply search(RoutingContext ctx) {
        User user = auth.required(ctx.request().getHeader("Authorization"));
        String query = ctx.queryParams().get("q");
        if (query == null || query.isBlank()) {
            throw ApiError.badRequest("Send what to look for as 'q', for example GET /api/v1/search?q=fetch.");
        }
        query = query.strip();
        if (query.length() > MAX_QUERY_CHARS) {
            throw ApiError.badRequest("'q' may be at most " + MAX_QUERY_CHARS + " characters, got " + query.length() + ".");
        }
        if (query.indexOf('\0') >= 0) throw ApiError.badRequest("'q' contains the NUL character (U+0000), which no val holds; remove it.");
        var hits = search.search(user.id(), query, MAX_RESULTS);
        var byId = new HashMap<Long, Val>();
        vals.listByOwner(user.id()).forEach(v -> byId.put(v.id(), v));
        var data = new JsonArray();
        for (var hit : hits) {
            Val val = byId.get(hit.valId());
            if (val == null) continue; // deleted between the two reads
            data.add(new JsonObject().put("val", valJson.apply(val)).put("inName", hit.inName()).put("inCode", hit.inCode())
                    .put("lines", lines(hit.code(), query)));
        }
        return Reply.ok(new JsonObject().put("query", query).put("data", data));
    }

    /** The first lines holding the query (case-insensitive), numbered from 1 as the editor's gutter is. */
    private static JsonArray lines(String code, String query) {
        var found = new JsonArray();
        String needle = query.toLowerCase(Locale.ROOT);
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length && found.size() < MAX_LINES_PER_VAL; i++) {
            if (lines[i].toLowerCase(Locale.ROOT).contains(needle)) {
                String text = lines[i].length() > 200 ? lines[i].substring(0, 200) + "…" : lines[i];
                found.add(new JsonObject().put("line", i + 1).put("text", text));
            }
        }
        return found;
    }
}
