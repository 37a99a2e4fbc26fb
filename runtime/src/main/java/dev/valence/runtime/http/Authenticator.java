package dev.valence.runtime.http;

import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.User;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization: Bearer <token>} header into a user. Answers are kept for a few
 * seconds (keyed by the token's hash, never the token) so private vals cost no query per request;
 * deleting a token here clears them at once.
 */
public final class Authenticator {
    private static final long TTL_NS = 5_000_000_000L;

    private record Entry(Optional<User> user, long fetchedNs) {}

    private final TokenStore tokens;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    /** The user behind a web editor session id; set only where the editor is served. */
    private volatile java.util.function.Function<String, Optional<User>> sessionUsers = id -> Optional.empty();

    public Authenticator(TokenStore tokens) {
        this.tokens = tokens;
    }

    /** The user behind the header; empty when there is no header. Throws 401 for a malformed or unknown token. */
    public Optional<User> optional(String authorization) {
        if (authorization == null || authorization.isBlank()) return Optional.empty();
        if (authorization.startsWith(EditorSessions.SCHEME)) return Optional.of(sessionUser(authorization));
        if (authorization.trim().equalsIgnoreCase("Bearer")) {
            throw ApiError.unauthorized("The Authorization header has no token after 'Bearer'.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("The Authorization header must be 'Bearer <token>'.");
        }
        String secret = authorization.substring(7).trim();
        if (secret.isEmpty()) throw ApiError.unauthorized("The Authorization header has no token after 'Bearer'.");
        String key = HexFormat.of().formatHex(TokenStore.hash(secret));
        long now = System.nanoTime();
        Entry entry = cache.get(key);
        if (entry == null || now - entry.fetchedNs > TTL_NS) {
            entry = new Entry(tokens.authenticate(secret), now);
            if (cache.size() > 10_000) cache.clear();
            cache.put(key, entry);
        }
        return Optional.of(entry.user.orElseThrow(() -> ApiError.unauthorized("The token is not valid (unknown, deleted or mistyped).")));
    }

    /** The user behind the header; throws 401 when there is none. */
    public User required(String authorization) {
        return optional(authorization).orElseThrow(() -> ApiError.unauthorized(
                "This needs an API token: send 'Authorization: Bearer <token>'."));
    }

    /** Lets {@link EditorSessions} stand a checked editor session in for a token (see there). */
    void acceptSessions(java.util.function.Function<String, Optional<User>> users) {
        this.sessionUsers = users;
    }

    private User sessionUser(String authorization) {
        String id = authorization.substring(EditorSessions.SCHEME.length());
        String key = "session:" + HexFormat.of().formatHex(TokenStore.hash(id));
        long now = System.nanoTime();
        Entry entry = cache.get(key);
        if (entry == null || now - entry.fetchedNs > TTL_NS) {
            entry = new Entry(sessionUsers.apply(id), now);
            cache.put(key, entry);
        }
        return entry.user.orElseThrow(() -> new ApiError(401, "session_ended",
                "Your editor session has ended (signed out, expired or revoked); sign in again at /."));
    }

    public void forgetAll() {
        cache.clear();
    }
}
