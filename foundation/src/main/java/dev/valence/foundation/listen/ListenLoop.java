package dev.valence.foundation.listen;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One thread that holds one dedicated PostgreSQL connection in LISTEN and hands what arrives to a
 * {@link Handler}, reconnecting after every failure. The schema guard, the run notices and the
 * status snapshot each keep one; the loop is the same, only what they do with a turn differs.
 *
 * <p>An {@link Error} ends the thread (after closing the connection), so a supervisor can see
 * {@link #loopAlive()} turn false and call {@link #restartLoop()}.
 */
public final class ListenLoop implements AutoCloseable {
    /** Opens a new, unpooled connection: it stays in LISTEN for good, so it must not come from a pool. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    /** What the loop's owner does; every method runs on the loop's thread and should return quickly. */
    public interface Handler {
        /** A connection is (again) listening: notices sent while there was none may have been missed. */
        default void connected(Connection connection) throws SQLException {}

        /** Called before each wait for notices, with the listening connection (for polling work). */
        default void beforeWait(Connection connection) throws SQLException {}

        /** Notices that arrived, never empty. */
        void notices(Connection connection, List<PGNotification> notices) throws SQLException;

        /** A listening connection was lost (and closed): notices are missed until {@link #connected}. */
        default void disconnected() {}

        /**
         * Opening, listening or a turn failed while the loop runs; returns how long to wait, in
         * milliseconds, before the next attempt.
         */
        long failed(Exception cause);
    }

    private final String threadName;
    private final Connector connector;
    private final Supplier<? extends Collection<String>> channels;
    private final int waitMs;
    private final Handler handler;
    private volatile boolean running;
    private volatile Thread thread;

    /**
     * @param channels read at every (re)connection, so channels added before a reconnection are listened to
     * @param waitMs   how long one wait for notices lasts: the longest a {@link Handler#beforeWait} is late
     */
    public ListenLoop(String threadName, Connector connector, Supplier<? extends Collection<String>> channels, int waitMs,
                      Handler handler) {
        this.threadName = threadName;
        this.connector = connector;
        this.channels = channels;
        this.waitMs = waitMs;
        this.handler = handler;
    }

    /** Starts the thread; does nothing when it was started already. */
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofPlatform().daemon().name(threadName).start(this::loop);
    }

    /** Whether the thread runs (also true before {@link #start} and after {@link #close}): a supervisor asks. */
    public boolean loopAlive() {
        Thread t = thread;
        return !running || (t != null && t.isAlive());
    }

    /** Starts the loop on a new thread after an error ended the last one; does nothing while one runs. */
    public synchronized void restartLoop() {
        if (!running || thread.isAlive()) return;
        thread = Thread.ofPlatform().daemon().name(threadName).start(this::loop);
    }

    private void loop() {
        Connection connection = null;
        while (running) {
            try {
                if (connection == null) {
                    connection = connector.open();
                    connection.setAutoCommit(true);
                    try (var statement = connection.createStatement()) {
                        for (String channel : channels.get()) statement.execute("LISTEN " + plain(channel));
                    }
                    handler.connected(connection);
                }
                handler.beforeWait(connection);
                PGNotification[] notices = connection.unwrap(PGConnection.class).getNotifications(waitMs);
                if (notices != null && notices.length > 0) handler.notices(connection, List.of(notices));
            } catch (SQLException | RuntimeException e) {
                connection = drop(connection);
                if (!running) break;
                pause(handler.failed(e));
            } catch (Error e) {
                // this thread ends (a supervisor starts another): what it listened on goes with it
                drop(connection);
                throw e;
            }
        }
        close(connection);
    }

    private Connection drop(Connection connection) {
        if (connection == null) return null;
        close(connection);
        handler.disconnected();
        return null;
    }

    private static String plain(String channel) {
        // LISTEN takes no bind parameters: only plain names go into the statement
        if (!channel.matches("[a-z_]+")) throw new IllegalArgumentException("not a plain channel name: " + channel);
        return channel;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // it is gone either way
        }
    }

    /** Stops the loop without waiting for its thread. */
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    /** Stops the loop and waits up to two seconds for its thread to end. */
    @Override
    public void close() {
        stop();
        Thread t = thread;
        if (t == null) return;
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
