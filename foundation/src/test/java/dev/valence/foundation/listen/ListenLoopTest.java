package dev.valence.foundation.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

class ListenLoopTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    /** Records what the loop tells its handler, as lines, in order. */
    private static final class Recorder implements ListenLoop.Handler {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile int listenerPid;

        @Override
        public void connected(Connection connection) throws SQLException {
            listenerPid = connection.unwrap(PGConnection.class).getBackendPID();
            events.add("connected");
        }

        @Override
        public void notices(Connection connection, List<PGNotification> notices) {
            for (PGNotification notice : notices) events.add(notice.getName() + ": " + notice.getParameter());
        }

        @Override
        public void disconnected() {
            events.add("disconnected");
        }

        @Override
        public long failed(Exception cause) {
            events.add("failed");
            return 10;
        }

        String next() throws InterruptedException {
            String event = events.poll(10, TimeUnit.SECONDS);
            return event == null ? "(nothing within 10 s)" : event;
        }
    }

    private static void notify(String channel, String payload) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); var s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, payload);
            s.execute();
        }
    }

    @Test
    void notices_on_every_channel_reach_the_handler_and_the_loop_listens_again_after_its_connection_is_killed() throws Exception {
        var recorder = new Recorder();
        try (var loop = new ListenLoop("test-listen", () -> postgres.getPostgresDatabase().getConnection(),
                () -> List.of("first_channel", "second_channel"), 20, recorder)) {
            loop.start();
            assertEquals("connected", recorder.next());
            notify("first_channel", "one");
            notify("second_channel", "two");
            notify("unheard_channel", "three");
            assertEquals("first_channel: one", recorder.next());
            assertEquals("second_channel: two", recorder.next());

            int killed = recorder.listenerPid;
            try (Connection c = postgres.getPostgresDatabase().getConnection(); var s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                s.setInt(1, killed);
                s.execute();
            }
            assertEquals("disconnected", recorder.next());
            assertEquals("failed", recorder.next());
            assertEquals("connected", recorder.next());
            assertTrue(recorder.listenerPid != killed, "a new connection listens");
            notify("second_channel", "after");
            assertEquals("second_channel: after", recorder.next());
            assertTrue(loop.loopAlive());
        }
    }

    @Test
    void a_loop_not_started_or_closed_counts_as_alive_so_no_supervisor_restarts_it() {
        var loop = new ListenLoop("test-idle", () -> postgres.getPostgresDatabase().getConnection(), List::of, 20, new Recorder());
        assertTrue(loop.loopAlive());
        loop.start();
        loop.close();
        assertTrue(loop.loopAlive());
    }
}
