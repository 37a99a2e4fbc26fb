package dev.valence.runtime.http;

import dev.valence.runtime.store.BlobStore;
import dev.valence.runtime.store.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The caller's own {@code std/blob} keys over HTTP (anchor: Val Town's {@code /v1/blob}): list by
 * prefix a page at a time, read one, delete one. Always the caller's store: there is no owner in the
 * path, so nobody can name another user's keys. A key is the rest of the path, percent-encoded
 * ({@code /api/v1/blob/logs%2F2026-01.json} is the key {@code logs/2026-01.json}).
 */
final class BlobApi {
    static final String PATH = "/api/v1/blob";
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final Authenticator auth;
    private final BlobStore blobs;
    private final AuditApi audit;

    BlobApi(Authenticator auth, BlobStore blobs, AuditApi audit) {
        this.auth = auth;
        this.blobs = blobs;
        this.audit = audit;
    }

    /** {@code GET /api/v1/blob?prefix=&limit=&cursor=}: keys in byte order with size and last write; {@code nextCursor} continues. */
    Reply list(RoutingContext ctx) {
        User user = auth.required(ctx.request().getHeader("Authorization"));
        var query = ctx.queryParams();
        String prefix = query.get("prefix") == null ? "" : query.get("prefix");
        int limit = limit(query.get("limit"));
        String after = query.get("cursor") == null ? null : cursorKey(query.get("cursor"));
        var page = badKeyAsBadRequest(() -> blobs.page(user.id(), prefix, after, limit + 1));
        var data = new JsonArray();
        for (int i = 0; i < Math.min(limit, page.size()); i++) {
            var entry = page.get(i);
            data.add(new JsonObject().put("key", entry.key()).put("size", entry.sizeBytes()).put("updatedAt", entry.updatedAt().toString()));
        }
        String next = page.size() > limit
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(page.get(limit - 1).key().getBytes(StandardCharsets.UTF_8))
                : null;
        return Reply.ok(new JsonObject().put("data", data).put("nextCursor", next));
    }

    /**
     * {@code GET /api/v1/blob/{key}}: the value as JSON, as text when it is UTF-8 ({@code "encoding": "utf-8"})
     * and in base64 otherwise, with its content type, size and last write.
     */
    Reply read(RoutingContext ctx) {
        User user = auth.required(ctx.request().getHeader("Authorization"));
        String key = pathKey(ctx);
        var stored = badKeyAsBadRequest(() -> blobs.read(user.id(), key)).orElseThrow(() -> noSuchKey(key));
        var json = new JsonObject().put("key", stored.key()).put("contentType", stored.contentType())
                .put("size", stored.value().length).put("updatedAt", stored.updatedAt().toString());
        String text = utf8(stored.value());
        if (text != null) json.put("encoding", "utf-8").put("value", text);
        else json.put("encoding", "base64").put("value", Base64.getEncoder().encodeToString(stored.value()));
        return Reply.ok(json);
    }

    /** {@code DELETE /api/v1/blob/{key}}: 204, or 404 when the caller has no such key. */
    Reply delete(RoutingContext ctx) {
        User user = auth.required(ctx.request().getHeader("Authorization"));
        String key = pathKey(ctx);
        if (!badKeyAsBadRequest(() -> blobs.delete(user.id(), key))) throw noSuchKey(key);
        audit.record(ctx, user, "blob.delete", key.length() > 200 ? key.substring(0, 200) + "..." : key, null);
        return Reply.noContent();
    }

    private static ApiError noSuchKey(String key) {
        return ApiError.notFound("You have no blob with the key '" + (key.length() > 100 ? key.substring(0, 100) + "..." : key)
                + "'; GET " + PATH + "?prefix=... lists your keys.");
    }

    /** The key is the raw (still percent-encoded) rest of the path: '/' inside a key must arrive as %2F, '+' is a plus. */
    private static String pathKey(RoutingContext ctx) {
        String raw = ctx.request().path().substring(PATH.length() + 1);
        String key;
        try {
            key = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("The blob key in the path is not percent-encoded correctly: " + e.getMessage()
                    + ". Encode it with encodeURIComponent.");
        }
        if (key.isEmpty() || key.length() > 512) throw ApiError.badRequest("A blob key has 1 to 512 characters, got " + key.length() + ".");
        return key;
    }

    private static int limit(String raw) {
        if (raw == null) return DEFAULT_PAGE;
        int limit;
        try {
            limit = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_PAGE) throw ApiError.badRequest("'limit' must be a whole number from 1 to " + MAX_PAGE + ", got '" + raw + "'.");
        return limit;
    }

    private static String cursorKey(String raw) {
        try {
            return new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'cursor' is not a cursor this API gave out; pass the 'nextCursor' of the previous page.");
        }
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static <T> T badKeyAsBadRequest(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (BlobStore.BadKey e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }
}
