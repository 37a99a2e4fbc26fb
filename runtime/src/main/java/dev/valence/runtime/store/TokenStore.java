package dev.valence.runtime.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API tokens. A token is 32 random bytes; only its SHA-256 is stored (a fast hash is right for
 * high-entropy secrets), with a short prefix so people can tell their tokens apart.
 */
public final class TokenStore {
    public static final String TOKEN_PREFIX = "vl_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Jdbc jdbc;

    public TokenStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public record TokenInfo(long id, long userId, String name, String prefix, Instant createdAt, Instant lastUsedAt) {}

    /** A token just created: the secret is only ever available here. */
    public record NewToken(TokenInfo info, String secret) {}

    public NewToken create(long userId, String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String prefix = secret.substring(0, 10);
        var info = jdbc.one("""
                INSERT INTO app.api_tokens (user_id, name, token_hash, token_prefix) VALUES (?, ?, ?, ?)
                RETURNING id, user_id, name, token_prefix, created_at, last_used_at""",
                s -> {
                    s.setLong(1, userId);
                    s.setString(2, name);
                    s.setBytes(3, hash(secret));
                    s.setString(4, prefix);
                }, TokenStore::map).orElseThrow();
        return new NewToken(info, secret);
    }

    /** The user a presented token belongs to, if it is a valid token. */
    public Optional<User> authenticate(String secret) {
        if (!secret.startsWith(TOKEN_PREFIX) || secret.length() > 200) return Optional.empty();
        return jdbc.one("""
                UPDATE app.api_tokens t SET last_used_at = now()
                FROM app.users u WHERE t.token_hash = ? AND u.id = t.user_id
                RETURNING u.id, u.name, u.role, u.created_at, u.email""",
                s -> s.setBytes(1, hash(secret)), UserStore::map);
    }

    /** The user whose token has this SHA-256 hash (held work keeps the hash, never the token). */
    public Optional<User> authenticateHash(byte[] tokenHash) {
        return jdbc.one("SELECT u.id, u.name, u.role, u.created_at, u.email FROM app.api_tokens t JOIN app.users u ON u.id = t.user_id WHERE t.token_hash = ?",
                s -> s.setBytes(1, tokenHash), UserStore::map);
    }

    public List<TokenInfo> listFor(long userId) {
        return jdbc.list("SELECT id, user_id, name, token_prefix, created_at, last_used_at FROM app.api_tokens WHERE user_id = ? ORDER BY id",
                s -> s.setLong(1, userId), TokenStore::map);
    }

    public Optional<TokenInfo> byId(long id) {
        return jdbc.one("SELECT id, user_id, name, token_prefix, created_at, last_used_at FROM app.api_tokens WHERE id = ?",
                s -> s.setLong(1, id), TokenStore::map);
    }

    public boolean delete(long id) {
        return jdbc.update("DELETE FROM app.api_tokens WHERE id = ?", s -> s.setLong(1, id)) == 1;
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static TokenInfo map(java.sql.ResultSet r) throws java.sql.SQLException {
        var lastUsed = r.getTimestamp("last_used_at");
        return new TokenInfo(r.getLong("id"), r.getLong("user_id"), r.getString("name"), r.getString("token_prefix"),
                r.getTimestamp("created_at").toInstant(), lastUsed == null ? null : lastUsed.toInstant());
    }
}
