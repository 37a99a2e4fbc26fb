package dev.valence.runtime.guard;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the work of non-HTTP triggers (cron ticks, script runs, inbound email) while the schema is
 * incompatible, and runs it once compatibility returns.
 *
 * <p>Held items are rows in {@code control.held_work} (writable whatever state {@code app} is in).
 * A unique idempotency key makes a repeated submission of the same work (a retried delivery, a tick
 * seen by two instances) a no-op. Instances drain the rows by claiming one at a time with
 * {@code FOR UPDATE SKIP LOCKED}, so two instances never run the same item; an item whose claimer
 * died is claimed again after the lease. The one case of a second run is an instance that dies after
 * running an item and before marking it done.
 */
public final class HeldWork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeldWork.class);
    static final long LEASE_SECONDS = 300;

    /** Runs one item of a kind; the payload is the JSON it was submitted with. Throwing marks the item failed. */
    @FunctionalInterface
    public interface Handler {
        void run(String payloadJson) throws Exception;
    }

    /**
     * Thrown by a handler whose run met a schema-class database error part-way (the run is recorded
     * with outcome {@code schema}): the item is not done, it goes back to waiting. What the run did
     * before the failure (a fetch, an email sent, a blob written) may happen again when it runs again.
     */
    public static final class Requeue extends RuntimeException {
        public Requeue(String message) {
            super(message, null, false, false);
        }
    }

    /** What became of a submission. */
    public enum Submitted {
        /** The schema is compatible: the work ran now. */
        RAN,
        /** The schema is incompatible: the work waits in control.held_work. */
        HELD,
        /** The same idempotency key is already held: nothing more to do. */
        ALREADY_HELD
    }

    /**
     * What one owner may have waiting at once, in requests and in bytes of their payloads; only work
     * submitted with a quota (requests sent by hand, not the platform's own cron ticks) counts.
     */
    public record OwnerQuota(String owner, int maxItems, long maxBytes) {}

    /** The owner's held requests would pass their quota: nothing was held. */
    public static final class OverQuota extends Exception {
        public final int heldItems;
        public final long heldBytes;
        public final long itemBytes;
        public final OwnerQuota quota;

        OverQuota(int heldItems, long heldBytes, long itemBytes, OwnerQuota quota) {
            super(quota.owner() + " has " + heldItems + " requests held", null, false, false);
            this.heldItems = heldItems;
            this.heldBytes = heldBytes;
            this.itemBytes = itemBytes;
            this.quota = quota;
        }
    }

    private final DataSource dataSource;
    private final SchemaGuard guard;
    private final String instanceId;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final ExecutorService drainer;
    private final ScheduledExecutorService sweeper;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final long sweepIntervalMs;
    private volatile java.util.concurrent.ScheduledFuture<?> sweeping;

    public HeldWork(DataSource dataSource, SchemaGuard guard, String instanceId, long sweepIntervalMs) {
        this.dataSource = dataSource;
        this.guard = guard;
        this.instanceId = instanceId;
        this.drainer = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("valence-held-work").unstarted(r));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("valence-held-sweep").unstarted(r));
        guard.onTransition(t -> {
            if (t.to().compatible()) drainSoon();
        });
        // other instances' held work, and items whose claimer died, are picked up by the sweep
        this.sweepIntervalMs = sweepIntervalMs;
        this.sweeping = sweeper.scheduleWithFixedDelay(this::sweep, sweepIntervalMs, sweepIntervalMs, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        if (guard.current().compatible()) drainSoon();
    }

    /** Whether the sweep still repeats (an error thrown by one cancels the rest): the supervisor asks. */
    public boolean loopAlive() {
        return sweeper.isShutdown() || !sweeping.isDone();
    }

    /** Schedules the sweep again after an error cancelled it; does nothing while it repeats. */
    public synchronized void restartLoop() {
        if (loopAlive()) return;
        log.error("The held-work sweep stopped on {}", sweeping.state() == java.util.concurrent.Future.State.FAILED ? sweeping.exceptionNow() : sweeping.state());
        sweeping = sweeper.scheduleWithFixedDelay(this::sweep, sweepIntervalMs, sweepIntervalMs, TimeUnit.MILLISECONDS);
    }

    public void register(String kind, Handler handler) {
        handlers.put(kind, handler);
    }

    /**
     * Runs the work now when the schema is compatible, else holds it.
     *
     * @param idempotencyKey the same key for the same piece of work, however often it is submitted
     */
    public Submitted submit(String kind, String idempotencyKey, String payloadJson) throws Exception {
        Handler handler = handlers.get(kind);
        if (handler == null) throw new IllegalArgumentException("no handler registered for held work of kind '" + kind + "'");
        Verdict verdict = guard.current();
        if (verdict.compatible()) {
            try {
                handler.run(payloadJson);
                return Submitted.RAN;
            } catch (Requeue e) {
                return hold(kind, idempotencyKey, payloadJson, reasonNow());
            }
        }
        return hold(kind, idempotencyKey, payloadJson, verdict.reason().code());
    }

    /** {@link #submit(String, String, String)}, holding only within the owner's quota. */
    public Submitted submit(String kind, String idempotencyKey, String payloadJson, OwnerQuota quota) throws Exception {
        Handler handler = handlers.get(kind);
        if (handler == null) throw new IllegalArgumentException("no handler registered for held work of kind '" + kind + "'");
        Verdict verdict = guard.current();
        if (verdict.compatible()) {
            try {
                handler.run(payloadJson);
                return Submitted.RAN;
            } catch (Requeue e) {
                return hold(kind, idempotencyKey, payloadJson, reasonNow(), quota);
            }
        }
        return hold(kind, idempotencyKey, payloadJson, verdict.reason().code(), quota);
    }

    /**
     * Why work is held after a schema-class failure: the verdict of an immediate recheck (waited for at
     * most 2 s), or {@code query_failed} when the schema still reads as compatible (changed without a
     * contract declaration).
     */
    public String reasonNow() {
        Verdict verdict;
        try {
            verdict = guard.recheck().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            verdict = guard.current();
        }
        return verdict.compatible() ? QUERY_FAILED : verdict.reason().code();
    }

    /** The reason code of work held because a query failed on a schema recorded as compatible. */
    public static final String QUERY_FAILED = "query_failed";

    /**
     * Holds the work whatever the verdict reads now (after a run met a schema-class error it must not
     * run again before the guard has looked); {@code reasonCode} as {@link #reasonNow()} gives it.
     */
    public Submitted hold(String kind, String idempotencyKey, String payloadJson, String reasonCode) throws SQLException {
        try (var connection = dataSource.getConnection();
             var insert = connection.prepareStatement("""
                     INSERT INTO control.held_work (kind, idempotency_key, payload, reason_code)
                     VALUES (?, ?, ?::jsonb, ?) ON CONFLICT (idempotency_key) DO NOTHING""")) {
            insert.setString(1, kind);
            insert.setString(2, idempotencyKey);
            insert.setString(3, dev.valence.runtime.store.DatabaseText.json(payloadJson)); // an email's subject may hold U+0000
            insert.setString(4, reasonCode);
            return insert.executeUpdate() == 1 ? Submitted.HELD : Submitted.ALREADY_HELD;
        }
    }

    /**
     * {@link #hold(String, String, String, String)} within the owner's quota. One owner's submissions
     * take turns (a transaction-scoped advisory lock), so two at once cannot both take the last place;
     * the same key again is {@code ALREADY_HELD} whatever the quota says. The payload is stored with
     * the owner under {@code quotaOwner}, which the count reads.
     */
    public Submitted hold(String kind, String idempotencyKey, String payloadJson, String reasonCode, OwnerQuota quota)
            throws SQLException, OverQuota {
        String payload = dev.valence.runtime.store.DatabaseText.json(payloadJson);
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Submitted submitted = holdWithin(connection, kind, idempotencyKey, payload, reasonCode, quota);
                connection.commit();
                return submitted;
            } catch (SQLException | OverQuota | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static Submitted holdWithin(Connection connection, String kind, String key, String payload, String reasonCode,
                                        OwnerQuota quota) throws SQLException, OverQuota {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "valence.held_work.owner:" + quota.owner());
            lock.execute();
        }
        try (var existing = connection.prepareStatement("SELECT 1 FROM control.held_work WHERE idempotency_key = ?")) {
            existing.setString(1, key);
            try (var rows = existing.executeQuery()) {
                if (rows.next()) return Submitted.ALREADY_HELD;
            }
        }
        int heldItems;
        long heldBytes;
        try (var usage = connection.prepareStatement("""
                SELECT count(*), coalesce(sum(octet_length(payload::text)), 0) FROM control.held_work
                WHERE done_at IS NULL AND payload->>'quotaOwner' = ?""")) {
            usage.setString(1, quota.owner());
            try (var rows = usage.executeQuery()) {
                rows.next();
                heldItems = rows.getInt(1);
                heldBytes = rows.getLong(2);
            }
        }
        long itemBytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (heldItems + 1 > quota.maxItems() || heldBytes + itemBytes > quota.maxBytes()) {
            throw new OverQuota(heldItems, heldBytes, itemBytes, quota);
        }
        try (var insert = connection.prepareStatement("""
                INSERT INTO control.held_work (kind, idempotency_key, payload, reason_code)
                VALUES (?, ?, jsonb_set(?::jsonb, '{quotaOwner}', to_jsonb(?::text)), ?)
                ON CONFLICT (idempotency_key) DO NOTHING""")) {
            insert.setString(1, kind);
            insert.setString(2, key);
            insert.setString(3, payload);
            insert.setString(4, quota.owner());
            insert.setString(5, reasonCode);
            return insert.executeUpdate() == 1 ? Submitted.HELD : Submitted.ALREADY_HELD;
        }
    }

    /** Starts a drain on the drainer thread unless one is running. */
    public void drainSoon() {
        if (draining.compareAndSet(false, true)) {
            drainer.execute(() -> {
                try {
                    drain();
                } finally {
                    draining.set(false);
                }
            });
        }
    }

    /** Claims and runs held items one by one while the schema stays compatible; returns how many ran. */
    int drain() {
        int ran = 0;
        while (guard.current().compatible()) {
            Item item;
            try {
                item = claim();
            } catch (SQLException e) {
                log.warn("Could not claim held work: {}", e.getMessage());
                return ran;
            }
            if (item == null) return ran;
            Handler handler = handlers.get(item.kind);
            String outcome = "ok";
            try {
                handler.run(item.payload);
            } catch (Requeue e) {
                // back to waiting; the guard was asked to recheck, and its next compatible verdict drains again
                log.warn("Held {} work {} met a schema problem and waits again: {}", item.kind, item.key, e.getMessage());
                unclaim(item.id);
                guard.recheck();
                return ran;
            } catch (Exception e) {
                outcome = "error: " + e.getMessage();
                log.warn("Held {} work {} failed: {}", item.kind, item.key, e.getMessage());
            }
            finish(item.id, outcome);
            ran++;
        }
        return ran;
    }

    private record Item(long id, String kind, String key, String payload) {}

    private Item claim() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             var claim = connection.prepareStatement("""
                     UPDATE control.held_work SET claimed_by = ?, claimed_at = now(), attempts = attempts + 1
                     WHERE id = (SELECT id FROM control.held_work
                                 WHERE done_at IS NULL AND kind = ANY (?)
                                   AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => ?))
                                 ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
                     RETURNING id, kind, idempotency_key, payload::text""")) {
            // only kinds this build can run: a newer build's kinds wait for a newer build
            claim.setString(1, instanceId);
            claim.setArray(2, connection.createArrayOf("text", handlers.keySet().toArray()));
            claim.setLong(3, LEASE_SECONDS);
            try (var rows = claim.executeQuery()) {
                return rows.next() ? new Item(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4)) : null;
            }
        }
    }

    private void unclaim(long id) {
        try (var connection = dataSource.getConnection();
             var release = connection.prepareStatement(
                     "UPDATE control.held_work SET claimed_by = NULL, claimed_at = NULL WHERE id = ? AND claimed_by = ? AND done_at IS NULL")) {
            release.setLong(1, id);
            release.setString(2, instanceId);
            release.executeUpdate();
        } catch (SQLException e) {
            log.warn("Could not put held work {} back (it is claimed again after its lease): {}", id, e.getMessage());
        }
    }

    private void finish(long id, String outcome) {
        try (var connection = dataSource.getConnection();
             var done = connection.prepareStatement("UPDATE control.held_work SET done_at = now(), outcome = ? WHERE id = ? AND claimed_by = ?")) {
            done.setString(1, outcome.length() > 1000 ? outcome.substring(0, 1000) : outcome);
            done.setLong(2, id);
            done.setString(3, instanceId);
            done.executeUpdate();
        } catch (SQLException e) {
            log.warn("Could not mark held work {} done (it may run again after its lease): {}", id, e.getMessage());
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        drainer.shutdownNow();
    }
}
