package dev.valence.foundation.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The one session store for browsers, in {@code control.sessions} (so signing in works while the
 * {@code app} schema is mismatched).
 *
 * <p>How a web surface uses it (the /ops view does exactly this; the web editor should too):
 * <ol>
 *   <li>after checking a credential, {@link #start} a session for its {@link Subject} and set the
 *       returned {@link Started#id()} as an HttpOnly, SameSite=Strict cookie (Secure behind TLS) whose
 *       name starts with {@code valence_} (the runtime strips such cookies before a request reaches a
 *       val) and whose Max-Age is {@link #lifetime()};</li>
 *   <li>on each request, {@link #find} the cookie's value: empty means signed out (unknown, expired or
 *       revoked); it is the only way to read a session;</li>
 *   <li>put {@link Session#csrfToken()} in every form (or a header for scripts) and, for every request
 *       that changes something, require {@link Session#csrfMatches} and an {@code Origin} of your own;</li>
 *   <li>{@link #end} on sign-out; {@link #endAllFor} when the subject's credential is revoked.</li>
 * </ol>
 *
 * <p>Only a SHA-256 of each session id is stored: a copy of the table signs nobody in. The CSRF token is
 * derived from the id (a different SHA-256), so it needs no column and cannot be computed from the row.
 */
public final class Sessions {
    /** How every session cookie name starts (/ops: {@code valence_ops_session}), so the runtime can keep them from vals. */
    public static final String COOKIE_PREFIX = "valence_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Duration lifetime;
    private final Function<SQLException, ? extends RuntimeException> failure;

    /** Who a session signs in: a team token or a val author. */
    public enum SubjectKind {
        TEAM("team"), USER("user");

        private final String wire;

        SubjectKind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static SubjectKind fromWire(String wire) {
            for (SubjectKind kind : values()) if (kind.wire.equals(wire)) return kind;
            throw new IllegalArgumentException("unknown session subject kind '" + wire + "'");
        }
    }

    /** @param id {@code control.team_tokens.id} for TEAM, {@code app.users.id} for USER */
    public record Subject(SubjectKind kind, long id) {}

    /** A live session, as {@link #find} reads it. */
    public record Session(Subject subject, Instant createdAt, Instant expiresAt, String csrfToken) {
        /** Whether a form's or header's CSRF token is this session's (compared in constant time). */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.US_ASCII),
                    presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A session just started: {@code id} goes into the cookie and is not stored anywhere. */
    public record Started(String id, Session session) {}

    /**
     * @param lifetime how long a session lasts after sign-in, whatever its use
     * @param failure  what a failed read or write throws: the host's own store failure, which its routes answer with a 503
     */
    public Sessions(DataSource dataSource, Duration lifetime, Function<SQLException, ? extends RuntimeException> failure) {
        this.dataSource = dataSource;
        this.lifetime = lifetime;
        this.failure = failure;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** @param client who signed in (address and user agent, cut to 300 characters), kept for the operator */
    public Started start(Subject subject, String client) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (var c = dataSource.getConnection(); var insert = c.prepareStatement("""
                INSERT INTO control.sessions (id_hash, subject_kind, subject_id, expires_at, client)
                VALUES (?, ?, ?, now() + make_interval(secs => ?), ?) RETURNING created_at, expires_at""")) {
            insert.setBytes(1, digest("session", id));
            insert.setString(2, subject.kind().wire());
            insert.setLong(3, subject.id());
            insert.setLong(4, lifetime.toSeconds());
            insert.setString(5, client == null ? null : client.substring(0, Math.min(300, client.length())));
            try (var rows = insert.executeQuery()) {
                rows.next();
                return new Started(id, new Session(subject, rows.getTimestamp(1).toInstant(), rows.getTimestamp(2).toInstant(), csrf(id)));
            }
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }

    /** The session behind a cookie's value, if it exists, has not expired and was not revoked. */
    public Optional<Session> find(String id) {
        if (id == null || id.length() != 43) return Optional.empty();
        try (var c = dataSource.getConnection(); var update = c.prepareStatement("""
                UPDATE control.sessions SET last_seen_at = now()
                WHERE id_hash = ? AND revoked_at IS NULL AND expires_at > now()
                RETURNING subject_kind, subject_id, created_at, expires_at""")) {
            update.setBytes(1, digest("session", id));
            try (var rows = update.executeQuery()) {
                return rows.next() ? Optional.of(session(rows, id)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }

    /** Signs one browser out; false when there was no live session with that id. */
    public boolean end(String id) {
        if (id == null || id.length() != 43) return false;
        return update("UPDATE control.sessions SET revoked_at = now() WHERE id_hash = ? AND revoked_at IS NULL",
                s -> s.setBytes(1, digest("session", id))) == 1;
    }

    /** Signs every browser of a subject out (its credential was revoked or rotated); how many were live. */
    public int endAllFor(Subject subject) {
        return update("""
                UPDATE control.sessions SET revoked_at = now()
                WHERE subject_kind = ? AND subject_id = ? AND revoked_at IS NULL AND expires_at > now()""", s -> {
            s.setString(1, subject.kind().wire());
            s.setLong(2, subject.id());
        });
    }

    /** Deletes sessions that expired or were revoked more than a day ago; how many. */
    public int purgeEnded() {
        return update("DELETE FROM control.sessions WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'", s -> {});
    }

    private interface Binder {
        void bind(java.sql.PreparedStatement statement) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (var c = dataSource.getConnection(); var statement = c.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }

    private static Session session(ResultSet rows, String id) throws SQLException {
        return new Session(new Subject(SubjectKind.fromWire(rows.getString(1)), rows.getLong(2)), rows.getTimestamp(3).toInstant(),
                rows.getTimestamp(4).toInstant(), csrf(id));
    }

    private static String csrf(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest("csrf", id));
    }

    /** SHA-256 over a purpose and the id, so the stored hash and the CSRF token can never be the same value. */
    private static byte[] digest(String purpose, String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((purpose + "\0" + id).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
