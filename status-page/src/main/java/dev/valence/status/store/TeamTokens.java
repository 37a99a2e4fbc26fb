package dev.valence.status.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Team tokens: what the people posting incidents use. Separate from val authors' tokens (another
 * table, another prefix); only a SHA-256 of each is stored. A token can be rotated (a new secret
 * under the same name, the old one revoked at once) and revoked; revoking a token also signs out
 * every browser session it started. The last active token cannot be revoked, so the team always
 * keeps a way in (rotate it instead, or issue one with {@code ./valence ops team-token create}).
 */
public final class TeamTokens {
    public static final String PREFIX = "vst_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource dataSource;

    public TeamTokens(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An active token: its id (what sessions point at) and name. */
    public record Token(long id, String name) {}

    /** A token as listed: never its secret. */
    public record Info(long id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {}

    /** A token just created: the secret is only ever available here. */
    public record Created(Info info, String secret) {}

    /** What {@link #revoke} did. */
    public enum Revoked { REVOKED, UNKNOWN, LAST_ACTIVE }

    /** Creates a token and returns its secret, which is not stored anywhere. */
    public String create(String name) {
        return createInfo(name).secret();
    }

    /** Creates a token: its listing and its secret. */
    public Created createInfo(String name) {
        try (var c = dataSource.getConnection()) {
            return insert(c, name);
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** The token's name when the secret is a valid (not revoked) team token. */
    public Optional<String> authenticate(String secret) {
        return identify(secret).map(Token::name);
    }

    /** The token when the secret is a valid (not revoked) team token; notes its use. */
    public Optional<Token> identify(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) return Optional.empty();
        try (var c = dataSource.getConnection(); var update = c.prepareStatement(
                "UPDATE control.team_tokens SET last_used_at = now() WHERE token_hash = ? AND revoked_at IS NULL RETURNING id, name")) {
            update.setBytes(1, hash(secret));
            try (var rows = update.executeQuery()) {
                return rows.next() ? Optional.of(new Token(rows.getLong(1), rows.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** The token with this id while it is active (a session checks its token was not revoked since). */
    public Optional<Token> active(long id) {
        try (var c = dataSource.getConnection();
             var select = c.prepareStatement("SELECT id, name FROM control.team_tokens WHERE id = ? AND revoked_at IS NULL")) {
            select.setLong(1, id);
            try (var rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Token(rows.getLong(1), rows.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** Every token, active first, then revoked ones, oldest first. */
    public List<Info> list() {
        try (var c = dataSource.getConnection(); var rows = c.createStatement().executeQuery("""
                SELECT id, name, token_prefix, created_at, last_used_at, revoked_at FROM control.team_tokens
                ORDER BY revoked_at IS NOT NULL, id""")) {
            var list = new ArrayList<Info>();
            while (rows.next()) list.add(info(rows));
            return list;
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /**
     * A new secret under the same name; the old token and its sessions stop working in the same
     * transaction. Empty when there is no active token with this id.
     */
    public Optional<Created> rotate(long id) {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<String> name = revokeIn(c, id);
                if (name.isEmpty()) {
                    c.rollback();
                    return Optional.empty();
                }
                Created created = insert(c, name.get());
                c.commit();
                return Optional.of(created);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** Revokes a token and signs out its sessions, unless it is the last active one. */
    public Revoked revoke(long id) {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // the lock makes two concurrent revocations of the last two tokens take turns
                try (var lock = c.createStatement()) {
                    lock.execute("LOCK TABLE control.team_tokens IN SHARE ROW EXCLUSIVE MODE");
                }
                int active;
                try (var count = c.createStatement();
                     var rows = count.executeQuery("SELECT count(*) FROM control.team_tokens WHERE revoked_at IS NULL")) {
                    rows.next();
                    active = rows.getInt(1);
                }
                if (active(c, id) && active <= 1) {
                    c.rollback();
                    return Revoked.LAST_ACTIVE;
                }
                Revoked result = revokeIn(c, id).isPresent() ? Revoked.REVOKED : Revoked.UNKNOWN;
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    public boolean any() {
        try (var c = dataSource.getConnection(); var rows = c.createStatement().executeQuery("SELECT 1 FROM control.team_tokens LIMIT 1")) {
            return rows.next();
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    private static boolean active(Connection c, long id) throws SQLException {
        try (var select = c.prepareStatement("SELECT 1 FROM control.team_tokens WHERE id = ? AND revoked_at IS NULL")) {
            select.setLong(1, id);
            try (var rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Marks the token revoked and ends its browser sessions; its name, or empty when it was not active. */
    private static Optional<String> revokeIn(Connection c, long id) throws SQLException {
        String name;
        try (var update = c.prepareStatement("UPDATE control.team_tokens SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL RETURNING name")) {
            update.setLong(1, id);
            try (var rows = update.executeQuery()) {
                if (!rows.next()) return Optional.empty();
                name = rows.getString(1);
            }
        }
        try (var sessions = c.prepareStatement(
                "UPDATE control.sessions SET revoked_at = now() WHERE subject_kind = 'team' AND subject_id = ? AND revoked_at IS NULL")) {
            sessions.setLong(1, id);
            sessions.executeUpdate();
        }
        return Optional.of(name);
    }

    private static Created insert(Connection c, String name) throws SQLException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (var insert = c.prepareStatement("""
                INSERT INTO control.team_tokens (name, token_hash, token_prefix) VALUES (?, ?, ?)
                RETURNING id, name, token_prefix, created_at, last_used_at, revoked_at""")) {
            insert.setString(1, name);
            insert.setBytes(2, hash(secret));
            insert.setString(3, secret.substring(0, 11));
            try (var rows = insert.executeQuery()) {
                rows.next();
                return new Created(info(rows), secret);
            }
        }
    }

    private static Info info(java.sql.ResultSet rows) throws SQLException {
        var lastUsed = rows.getTimestamp("last_used_at");
        var revoked = rows.getTimestamp("revoked_at");
        return new Info(rows.getLong("id"), rows.getString("name"), rows.getString("token_prefix"), rows.getTimestamp("created_at").toInstant(),
                lastUsed == null ? null : lastUsed.toInstant(), revoked == null ? null : revoked.toInstant());
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
