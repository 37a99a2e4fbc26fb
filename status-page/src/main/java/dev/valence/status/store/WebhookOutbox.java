package dev.valence.status.store;

import dev.valence.status.model.IncidentStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The transactional outbox of webhook deliveries, and the claims the deliverer takes on it.
 *
 * <p>{@link #enqueue} runs inside the transaction of the write it announces: a rolled-back write
 * announces nothing, a committed one is never missed. Each row freezes the incident as that
 * transaction left it (its row, its updates and its components, as PostgreSQL's {@code to_jsonb}),
 * so a delivery that is late or retried still tells what this event told: an "incident.created"
 * sent after the resolution shows the first update, not the last. The Statuspage JSON is rendered
 * from the frozen rows at delivery time, by the code that serves the read API.
 *
 * <p>Claims: only the oldest undelivered row of each subscriber is due (so a subscriber sees its
 * events in the order they were written), claimed with {@code FOR UPDATE SKIP LOCKED} and held
 * until a deadline, so several status page processes share one outbox without sending a row twice,
 * and the rows of a process that died are sent again after their claim lapses.
 */
public final class WebhookOutbox {

    /** What happened to an incident or maintenance, as the webhook's event name. */
    public enum Event {
        INCIDENT_CREATED("incident.created"),
        INCIDENT_UPDATED("incident.updated"),
        INCIDENT_RESOLVED("incident.resolved"),
        MAINTENANCE_CREATED("maintenance.created"),
        MAINTENANCE_UPDATED("maintenance.updated"),
        MAINTENANCE_COMPLETED("maintenance.completed");

        private final String wire;

        Event(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Event created(IncidentStatus.Kind kind) {
            return kind == IncidentStatus.Kind.INCIDENT ? INCIDENT_CREATED : MAINTENANCE_CREATED;
        }

        /** The event of an update that moves the incident or maintenance to this status. */
        public static Event updated(IncidentStatus status) {
            return switch (status) {
                case RESOLVED -> INCIDENT_RESOLVED;
                case COMPLETED -> MAINTENANCE_COMPLETED;
                default -> status.kind() == IncidentStatus.Kind.INCIDENT ? INCIDENT_UPDATED : MAINTENANCE_UPDATED;
            };
        }
    }

    // Incidents link leaf components only (the write API refuses groups), so a group's children and
    // worst-of status are not needed here.
    private static final String ENQUEUE = """
            INSERT INTO control.webhook_deliveries (subscriber_id, event, incident_id, payload)
            SELECT s.id, ?, f.id, f.frozen
            FROM control.webhook_subscribers s
            CROSS JOIN (
                SELECT i.id, jsonb_build_object(
                    'page', (SELECT to_jsonb(p) FROM control.status_pages p WHERE p.id = i.page_id),
                    'incident', to_jsonb(i),
                    'components', coalesce((SELECT jsonb_agg(to_jsonb(co) ORDER BY co.position, co.name)
                                            FROM control.incident_components ic
                                            JOIN control.components co ON co.id = ic.component_id
                                            WHERE ic.incident_id = i.id), '[]'),
                    'updates', coalesce((SELECT jsonb_agg(to_jsonb(u) ORDER BY u.display_at DESC, u.created_at DESC, u.id)
                                         FROM control.incident_updates u WHERE u.incident_id = i.id), '[]')) AS frozen
                FROM control.incidents i WHERE i.id = ?
            ) f
            WHERE s.active
            ORDER BY s.id""";

    /**
     * Adds one delivery of the event per active subscriber, on the caller's connection and so in the
     * caller's transaction. Returns the number of deliveries added.
     */
    public static int enqueue(Connection connection, Event event, String incidentId) throws SQLException {
        try (var insert = connection.prepareStatement(ENQUEUE)) {
            insert.setString(1, event.wire());
            insert.setString(2, incidentId);
            return insert.executeUpdate();
        }
    }

    /**
     * A delivery claimed for one attempt: where to send it, the subscriber's secret, and the frozen
     * incident. {@code attempt} counts this attempt (1 for the first).
     */
    public record Claim(long id, String subscriberId, String url, String secret, String event, String incidentId,
                        String frozenJson, int attempt, Instant createdAt) {}

    private final DataSource dataSource;

    public WebhookOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Claims up to {@code limit} due deliveries for {@code claimant} until {@code hold} from now. */
    public List<Claim> claim(String claimant, int limit, Duration hold) {
        try (var c = dataSource.getConnection();
             var claim = c.prepareStatement("""
                     UPDATE control.webhook_deliveries d
                     SET claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond', attempts = d.attempts + 1
                     FROM control.webhook_subscribers s
                     WHERE s.id = d.subscriber_id AND d.id IN (
                         SELECT h.id FROM control.webhook_deliveries h
                         JOIN control.webhook_subscribers hs ON hs.id = h.subscriber_id AND hs.active
                         WHERE h.delivered_at IS NULL AND h.failed_at IS NULL AND h.next_attempt_at <= now()
                           AND (h.claimed_until IS NULL OR h.claimed_until < now())
                           AND h.id = (SELECT min(o.id) FROM control.webhook_deliveries o
                                       WHERE o.subscriber_id = h.subscriber_id AND o.delivered_at IS NULL AND o.failed_at IS NULL)
                         ORDER BY h.id LIMIT ?
                         FOR UPDATE OF h SKIP LOCKED)
                     RETURNING d.id, d.subscriber_id, s.url, s.secret, d.event, d.incident_id, d.payload::text, d.attempts, d.created_at""")) {
            claim.setString(1, claimant);
            claim.setLong(2, hold.toMillis());
            claim.setInt(3, limit);
            var claims = new ArrayList<Claim>();
            try (var rows = claim.executeQuery()) {
                while (rows.next()) {
                    claims.add(new Claim(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.getString(6), rows.getString(7), rows.getInt(8), rows.getTimestamp(9).toInstant()));
                }
            }
            claims.sort((a, b) -> Long.compare(a.id(), b.id()));
            return claims;
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** How an attempt ended. */
    private enum Outcome { DELIVERED, RETRY, FAILED }

    /** The receiver answered 2xx. False when the claim had lapsed and someone else holds the row. */
    public boolean delivered(Claim claim, String claimant, int status) {
        return finish(claim, claimant, Outcome.DELIVERED, status, null, Duration.ZERO);
    }

    /** The attempt failed; the next one is due {@code delay} from now. */
    public boolean retryLater(Claim claim, String claimant, Integer status, String error, Duration delay) {
        return finish(claim, claimant, Outcome.RETRY, status, error, delay);
    }

    /** The delivery will not be attempted again (refused, or out of attempts). */
    public boolean giveUp(Claim claim, String claimant, Integer status, String error) {
        return finish(claim, claimant, Outcome.FAILED, status, error, Duration.ZERO);
    }

    private boolean finish(Claim claim, String claimant, Outcome outcome, Integer status, String error, Duration delay) {
        try (var c = dataSource.getConnection();
             var update = c.prepareStatement("""
                     UPDATE control.webhook_deliveries SET
                         delivered_at = CASE WHEN ? THEN now() END,
                         failed_at = CASE WHEN ? THEN now() END,
                         next_attempt_at = CASE WHEN ? THEN now() + ? * interval '1 millisecond' ELSE next_attempt_at END,
                         last_status = ?, last_error = ?, last_attempt_at = now(), claimed_by = NULL, claimed_until = NULL
                     WHERE id = ? AND claimed_by = ? AND attempts = ?""")) {
            update.setBoolean(1, outcome == Outcome.DELIVERED);
            update.setBoolean(2, outcome == Outcome.FAILED);
            update.setBoolean(3, outcome == Outcome.RETRY);
            update.setLong(4, delay.toMillis());
            update.setObject(5, status, java.sql.Types.INTEGER);
            update.setString(6, error);
            update.setLong(7, claim.id());
            update.setString(8, claimant);
            update.setInt(9, claim.attempt());
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }
}
