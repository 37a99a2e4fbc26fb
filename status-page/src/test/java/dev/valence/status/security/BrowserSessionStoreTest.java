package dev.valence.status.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.status.StatusTestSupport;
import dev.valence.foundation.session.Sessions;
import dev.valence.status.store.StatusStore;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The session store's contract, as the web editor will use it for val authors (subject kind USER). */
class BrowserSessionStoreTest {
    private static final Sessions.Subject ANN = new Sessions.Subject(Sessions.SubjectKind.USER, 7);

    private static DataSource database() {
        return StatusTestSupport.dataSource(StatusTestSupport.newDatabase("sessions"));
    }

    private static long count(DataSource ds, String sql) throws Exception {
        try (var c = ds.getConnection(); var rows = c.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void a_started_session_is_found_by_its_id_with_the_same_csrf_token() {
        var sessions = new Sessions(database(), Duration.ofHours(1), StatusStore.StoreFailure::new);

        Sessions.Started started = sessions.start(ANN, "127.0.0.1 test");
        Optional<Sessions.Session> found = sessions.find(started.id());

        assertTrue(found.isPresent());
        assertEquals(ANN, found.get().subject());
        assertEquals(started.session().csrfToken(), found.get().csrfToken());
        assertEquals(Duration.ofHours(1), Duration.between(found.get().createdAt(), found.get().expiresAt()));
        assertNotEquals(started.id(), found.get().csrfToken());
        assertTrue(found.get().csrfMatches(started.session().csrfToken()));
        assertFalse(found.get().csrfMatches(started.id()));
        assertFalse(found.get().csrfMatches(null));
    }

    @Test
    void unknown_malformed_ended_and_expired_ids_find_nothing() throws Exception {
        DataSource ds = database();
        var sessions = new Sessions(ds, Duration.ofHours(1), StatusStore.StoreFailure::new);
        var ended = sessions.start(ANN, null);
        var expired = sessions.start(ANN, null);

        assertTrue(sessions.end(ended.id()));
        assertFalse(sessions.end(ended.id()));
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("UPDATE control.sessions SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL");
        }

        assertEquals(Optional.empty(), sessions.find(ended.id()));
        assertEquals(Optional.empty(), sessions.find(expired.id()));
        assertEquals(Optional.empty(), sessions.find("x".repeat(43)));
        assertEquals(Optional.empty(), sessions.find("short"));
        assertEquals(Optional.empty(), sessions.find(null));
    }

    @Test
    void ending_all_of_a_subjects_sessions_leaves_other_subjects_signed_in() {
        var sessions = new Sessions(database(), Duration.ofHours(1), StatusStore.StoreFailure::new);
        var phone = sessions.start(ANN, null);
        var laptop = sessions.start(ANN, null);
        var bob = sessions.start(new Sessions.Subject(Sessions.SubjectKind.USER, 8), null);
        var team = sessions.start(new Sessions.Subject(Sessions.SubjectKind.TEAM, 7), null);

        assertEquals(2, sessions.endAllFor(ANN));

        assertEquals(Optional.empty(), sessions.find(phone.id()));
        assertEquals(Optional.empty(), sessions.find(laptop.id()));
        assertTrue(sessions.find(bob.id()).isPresent());
        assertTrue(sessions.find(team.id()).isPresent(), "team 7 and user 7 are different subjects");
    }

    @Test
    void sessions_ended_over_a_day_ago_are_purged_and_live_ones_kept() throws Exception {
        DataSource ds = database();
        var sessions = new Sessions(ds, Duration.ofHours(1), StatusStore.StoreFailure::new);
        var live = sessions.start(ANN, null);
        var old = sessions.start(ANN, null);
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("UPDATE control.sessions SET revoked_at = now() - interval '2 days' WHERE id_hash <> (SELECT id_hash FROM control.sessions"
                    + " ORDER BY created_at LIMIT 1)");
        }

        assertEquals(1, sessions.purgeEnded());

        assertEquals(1, count(ds, "SELECT count(*) FROM control.sessions"));
        assertTrue(sessions.find(live.id()).isPresent());
        assertEquals(Optional.empty(), sessions.find(old.id()));
    }
}
