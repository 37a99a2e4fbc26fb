package dev.valence.runtime.guard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.valence.foundation.listen.ListenLoop;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the verdict current. One thread owns one dedicated connection: it LISTENs on
 * {@code valence_schema} (pushed by triggers on the history and contract tables), rechecks when a
 * notification arrives, when {@link #recheck()} is asked for (a query failed in a way that smells of
 * schema drift or a lost connection) and at least every poll interval (in case a notification is
 * lost). Requests read {@link #current()}: one volatile read, no I/O.
 */
public final class SchemaGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaGuard.class);
    public static final String CHANNEL = "valence_schema";
    private static final long SLICE_MS = 25;
    private static final Pattern NOTIFIED_AT = Pattern.compile("\"at\"\\s*:\\s*([0-9.]+)");
    /** Sent by the deferred triggers as the change commits (the app Flyway callback installs them). */
    private static final Pattern COMMITTED_AT = Pattern.compile("\"committedAt\"\\s*:\\s*([0-9.]+)");

    /** Opens a new, unpooled connection to the database. */
    @FunctionalInterface
    public interface ConnectionFactory extends ListenLoop.Connector {}

    private final BuildInfo build;
    private final ConnectionFactory connections;
    private final long pollMs;
    private final List<Consumer<Transition>> listeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Transition> history = new ArrayDeque<>();
    private final List<CompletableFuture<Verdict>> waiting = new ArrayList<>();
    private volatile Verdict current;
    /** The unreachable verdict's sentence for a connection error: who set the database up knows what is being done about it. */
    private volatile java.util.function.UnaryOperator<String> unreachableSentence = Verdict::cannotBeReached;
    private volatile boolean recheckRequested;
    private volatile boolean running;
    private final ListenLoop loop;
    private long nextPollNs;
    private long backoffMs = 100;
    private double notifiedAtEpochSec = -1;
    private double committedAtEpochSec = -1;

    private MeterRegistry registry;
    private Timer detectionTimer;

    public SchemaGuard(BuildInfo build, ConnectionFactory connections, Duration pollInterval) {
        this.build = build;
        this.connections = connections;
        this.pollMs = pollInterval.toMillis();
        this.current = Verdict.starting(build, Instant.now());
        this.loop = new ListenLoop("valence-schema-guard", connections, () -> List.of(CHANNEL), (int) SLICE_MS, new Turns());
    }

    /** Publishes the verdict, transitions and detection latency as metrics. */
    public void bindMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("valence.schema.compatible", this, g -> g.current.compatible() ? 1 : 0)
                .description("1 while the schema is compatible with this build, else 0").register(registry);
        Gauge.builder("valence.schema.code.level", build, BuildInfo::codeLevel).register(registry);
        Gauge.builder("valence.schema.version", this, g -> g.current.state() == null ? -1 : g.current.state().schemaVersion())
                .description("the app schema version last read, -1 when unknown").register(registry);
        detectionTimer = Timer.builder("valence.schema.detection.latency")
                .description("from the commit of the schema change in the database to the new verdict here")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public BuildInfo build() {
        return build;
    }

    /** The verdict as of the last check. Cheap: call it on every request. */
    public Verdict current() {
        return current;
    }

    /** Called on the guard's thread after every change of verdict; must return quickly. */
    public void onTransition(Consumer<Transition> listener) {
        listeners.add(listener);
    }

    /** The most recent transitions, newest first. */
    public List<Transition> transitions() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Asks for a check as soon as possible; completes with the verdict it reaches. */
    public CompletableFuture<Verdict> recheck() {
        var future = new CompletableFuture<Verdict>();
        synchronized (waiting) {
            waiting.add(future);
        }
        recheckRequested = true;
        if (!running) future.complete(current);
        return future;
    }

    /** Says what the unreachable verdict tells people, given the connection error (see {@link Verdict#cannotReach}). */
    public void explainUnreachable(java.util.function.UnaryOperator<String> sentence) {
        unreachableSentence = sentence;
    }

    /** The longest wait between two connection attempts while the database cannot be reached. */
    public long retryMs() {
        return Math.max(100, pollMs);
    }

    /** Reports a verdict found outside the guard's own checks (the start-up sequence). */
    public void report(Verdict verdict) {
        publish(verdict, -1);
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        recheckRequested = true;
        loop.start();
    }

    /** Whether the guard's thread runs (also true before {@link #start} and after {@link #close}): the supervisor asks. */
    public boolean loopAlive() {
        return loop.loopAlive();
    }

    /** Starts the guard's loop on a new thread after an error ended the last one; does nothing while one runs. */
    public synchronized void restartLoop() {
        loop.restartLoop();
    }

    /** What the guard does on its listening connection: check when asked, notified or due; say unreachable when it breaks. */
    private final class Turns implements ListenLoop.Handler {
        @Override
        public void connected(Connection connection) {
            recheckRequested = true;
            backoffMs = 100;
        }

        @Override
        public void beforeWait(Connection connection) throws SQLException {
            if (!recheckRequested && System.nanoTime() < nextPollNs) return;
            boolean noticedMeanwhile;
            int probes = 0;
            do {
                recheckRequested = false;
                SchemaState state = SchemaProbe.read(connection);
                // notices that reached the connection during the probe: one may date the change the probe found (a poll
                // that beat the notice), or announce a later change (a second transaction): then look again at once
                noticedMeanwhile = notePending(connection);
                // from the commit when the notice says when it was; else (triggers not yet installed) from the statement
                double changedAtEpochSec = committedAtEpochSec >= 0 ? committedAtEpochSec : notifiedAtEpochSec;
                long detectionMs = changedAtEpochSec < 0 ? -1
                        : Math.max(0, System.currentTimeMillis() - Math.round(changedAtEpochSec * 1000));
                notifiedAtEpochSec = -1;
                committedAtEpochSec = -1;
                publish(Verdict.of(build, state, Instant.now()), detectionMs);
                // a stream of notices must not keep this thread from the wait: after a few, the next turn looks again
                if (noticedMeanwhile && ++probes == 3) recheckRequested = true;
            } while (noticedMeanwhile && probes < 3);
            completeWaiting();
            nextPollNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMs);
        }

        /** Notes the notices already on the connection, without waiting; whether there were any. */
        private boolean notePending(Connection connection) throws SQLException {
            PGNotification[] pending = connection.unwrap(PGConnection.class).getNotifications();
            if (pending == null || pending.length == 0) return false;
            for (PGNotification notification : pending) noteNotification(notification.getParameter());
            return true;
        }

        @Override
        public void notices(Connection connection, List<PGNotification> notices) {
            for (PGNotification notification : notices) noteNotification(notification.getParameter());
            recheckRequested = true;
        }

        @Override
        public long failed(Exception cause) {
            publish(Verdict.unreachableBecause(build, unreachableSentence.apply(describe(cause)), Instant.now()), -1);
            completeWaiting();
            long wait = backoffMs;
            backoffMs = Math.min(backoffMs * 2, retryMs());
            return wait;
        }
    }

    private void noteNotification(String payload) {
        Matcher committed = COMMITTED_AT.matcher(payload == null ? "" : payload);
        if (committed.find()) {
            // one notice per changed row, all sent as the transaction commits: the latest is nearest the commit
            committedAtEpochSec = Math.max(committedAtEpochSec, Double.parseDouble(committed.group(1)));
            return;
        }
        Matcher m = NOTIFIED_AT.matcher(payload == null ? "" : payload);
        if (m.find()) {
            double at = Double.parseDouble(m.group(1));
            if (notifiedAtEpochSec < 0 || at < notifiedAtEpochSec) notifiedAtEpochSec = at;
        }
    }

    private void publish(Verdict verdict, long detectionMs) {
        Transition transition;
        synchronized (this) {
            Verdict previous = current;
            if (verdict.sameAs(previous)) {
                // the same outcome said anew (a restart's next attempt): the sentence changes, nothing is logged or announced
                if (!verdict.message().equals(previous.message())) current = new Verdict(previous.compatible(), previous.reason(),
                        verdict.message(), previous.build(), previous.state(), previous.since());
                return;
            }
            Verdict reached = verdict.since(Instant.now());
            current = reached;
            transition = new Transition(reached.since(), previous, reached, detectionMs);
        }
        synchronized (history) {
            history.addFirst(transition);
            while (history.size() > 50) history.removeLast();
        }
        if (transition.to().compatible()) {
            log.info("Schema verdict: compatible ({})", transition.to().message());
        } else {
            log.warn("Schema verdict: {}: {}", transition.to().code(), transition.to().message());
        }
        if (registry != null) {
            registry.counter("valence.schema.transitions", "to", transition.to().code()).increment();
            if (detectionMs >= 0) detectionTimer.record(detectionMs, TimeUnit.MILLISECONDS);
        }
        for (var listener : listeners) {
            try {
                listener.accept(transition);
            } catch (RuntimeException e) {
                log.error("A schema transition listener failed", e);
            }
        }
    }

    private void completeWaiting() {
        List<CompletableFuture<Verdict>> done;
        synchronized (waiting) {
            done = List.copyOf(waiting);
            waiting.clear();
        }
        Verdict verdict = current;
        done.forEach(f -> f.complete(verdict));
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        running = false;
        loop.close();
        completeWaiting();
    }
}
