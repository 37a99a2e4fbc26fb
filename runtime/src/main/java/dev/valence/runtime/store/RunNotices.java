package dev.valence.runtime.store;

import dev.valence.foundation.listen.ListenLoop;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import javax.sql.DataSource;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other runtimes which runs this one recorded, through PostgreSQL NOTIFY on
 * {@value #CHANNEL}, so a live log tail connected to any instance sees the runs of all of them. A
 * notice carries only ids ({@code instance|valId:runId,valId:g<first run id of a group>,...}, one per written batch, split below
 * PostgreSQL's 8000-byte payload limit); a listener fetches the runs of the vals it has tails for.
 * Notices are best effort: a lost one loses lines of a live tail, never a run record.
 *
 * <p>The same connection carries the notices of other channels ({@link #subscribe}), so the runtime
 * keeps one listening connection besides the schema guard's.
 */
public final class RunNotices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunNotices.class);
    static final String CHANNEL = "valence_runs";
    private static final int MAX_PAYLOAD_CHARS = 7000;

    /** Opens the listener's own connection (not from the pool: it stays in LISTEN for good). */
    @FunctionalInterface
    public interface Connector extends ListenLoop.Connector {}

    /** Receives the notices of one more channel, on the listener thread; must return quickly. */
    public interface Subscriber {
        void notice(String payload);

        /** The channel is listened to (again): notices sent before may have been missed. */
        void subscribed();

        /** The connection broke: notices are missed until {@link #subscribed()}. */
        void unsubscribed();
    }

    private final Jdbc jdbc;
    private final RunStore runs;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final String instanceId;
    private volatile ListenLoop loop;

    public RunNotices(DataSource dataSource, RunStore runs, String instanceId) {
        this.jdbc = new Jdbc(dataSource);
        this.runs = runs;
        this.instanceId = instanceId;
    }

    /** Announces written runs to the other instances: rows by run id, groups by their first run id ({@code g<id>}). */
    public void announce(RunStore.Written written) {
        var payload = new StringBuilder();
        for (Run run : written.rows()) append(payload, run.valId(), Long.toString(run.id()));
        for (RunStore.Group group : written.groups()) append(payload, group.valId(), "g" + group.firstRunId());
        if (!payload.isEmpty()) send(payload.toString());
    }

    private void append(StringBuilder payload, long valId, String id) {
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            send(payload.toString());
            payload.setLength(0);
        }
        payload.append(payload.isEmpty() ? "" : ",").append(valId).append(':').append(id);
    }

    private void send(String pairs) {
        try {
            jdbc.list("SELECT pg_notify(?, ?)", s -> {
                s.setString(1, CHANNEL);
                s.setString(2, instanceId + "|" + pairs);
            }, r -> 0);
        } catch (StoreException e) {
            log.debug("Could not announce runs to other instances: {}", e.getMessage());
        }
    }

    /** Adds a channel to listen to; call before {@link #listen}. */
    public void subscribe(String channel, Subscriber subscriber) {
        if (!channel.matches("[a-z_]+")) throw new IllegalArgumentException("not a plain channel name: " + channel);
        subscribers.put(channel, subscriber);
    }

    /**
     * Starts listening for other instances' runs: those of vals {@code wanted} accepts are read and
     * handed to {@code deliver} on the listener thread.
     */
    public synchronized void listen(Connector connector, LongPredicate wanted, Consumer<Run> deliver) {
        if (loop != null) return;
        loop = new ListenLoop("valence-run-notices", connector, this::channels, 500, new ListenLoop.Handler() {
            @Override
            public void connected(Connection connection) {
                subscribers.values().forEach(Subscriber::subscribed);
            }

            @Override
            public void notices(Connection connection, List<PGNotification> notices) {
                for (PGNotification notification : notices) {
                    Subscriber subscriber = subscribers.get(notification.getName());
                    if (subscriber != null) subscriber.notice(notification.getParameter());
                    else for (Run run : wantedRuns(notification.getParameter(), wanted)) deliver.accept(run);
                }
            }

            @Override
            public void disconnected() {
                subscribers.values().forEach(Subscriber::unsubscribed);
            }

            @Override
            public long failed(Exception cause) {
                log.debug("Run notices paused: {}", cause.toString());
                return 1000;
            }
        });
        loop.start();
    }

    private List<String> channels() {
        var channels = new ArrayList<String>();
        channels.add(CHANNEL);
        channels.addAll(subscribers.keySet());
        return channels;
    }

    /** Whether the listener thread runs (also true before {@link #listen} and after {@link #close}): the supervisor asks. */
    public boolean loopAlive() {
        ListenLoop current = loop;
        return current == null || current.loopAlive();
    }

    /** Starts listening again on a new thread after an error ended the last one; does nothing while one runs. */
    public synchronized void restartLoop() {
        if (loop != null) loop.restartLoop();
    }

    private List<Run> wantedRuns(String payload, LongPredicate wanted) {
        int bar = payload == null ? -1 : payload.indexOf('|');
        if (bar < 0 || payload.substring(0, bar).equals(instanceId)) return List.of();
        var ids = new ArrayList<Long>();
        var groupIds = new ArrayList<Long>();
        for (String pair : payload.substring(bar + 1).split(",")) {
            int colon = pair.indexOf(':');
            if (colon < 0) continue;
            try {
                if (!wanted.test(Long.parseLong(pair.substring(0, colon)))) continue;
                String id = pair.substring(colon + 1);
                if (id.startsWith("g")) groupIds.add(Long.parseLong(id.substring(1)));
                else ids.add(Long.parseLong(id));
            } catch (NumberFormatException ignored) {
                // not a notice of ours
            }
        }
        return ids.isEmpty() && groupIds.isEmpty() ? List.of() : runs.byIds(ids, groupIds);
    }

    @Override
    public synchronized void close() {
        if (loop != null) loop.stop();
    }
}
