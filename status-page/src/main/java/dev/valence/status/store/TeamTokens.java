package dev.valence.status.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Team tokens: what the people posting incidents use. Separate from val authors' tokens (another
 * table, another prefix); only a SHA-256 of each is stored.
 */
public final class TeamTokens {
    public static final String PREFIX = "vst_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource dataSource;

    public TeamTokens(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates a token and returns its secret, which is not stored anywhere. */
    public String create(String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (var c = dataSource.getConnection();
             var insert = c.prepareStatement("INSERT INTO control.team_tokens (name, token_hash, token_prefix) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setBytes(2, hash(secret));
            insert.setString(3, secret.substring(0, 11));
            insert.executeUpdate();
            return secret;
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** The token's name when the secret is a valid team token. */
    public Optional<String> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) return Optional.empty();
        try (var c = dataSource.getConnection();
             var update = c.prepareStatement("UPDATE control.team_tokens SET last_used_at = now() WHERE token_hash = ? RETURNING name")) {
            update.setBytes(1, hash(secret));
            try (var rows = update.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
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

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
