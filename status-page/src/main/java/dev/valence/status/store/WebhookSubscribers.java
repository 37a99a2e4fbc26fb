package dev.valence.status.store;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Webhook subscribers and their delivery logs. A subscriber's secret is shown once, when it is
 * created; it is kept in the clear because every delivery is signed with it. Deleting a subscriber
 * deactivates it, wipes its secret and cancels what it had not received; its rows stay as history.
 */
public final class WebhookSubscribers {
    public static final int LOG_LIMIT = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;

    public WebhookSubscribers(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Subscriber(String id, String url, Instant createdAt) {}

    /** A new subscriber and its signing secret (64 hex digits), which is not shown again. */
    public record Created(Subscriber subscriber, String secret) {}

    /** Where a delivery stands. */
    public enum DeliveryState {
        PENDING, DELIVERED, FAILED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** One row of a subscriber's delivery log; {@code nextAttemptAt} is null once it is no longer pending. */
    public record Delivery(long id, String event, String incidentId, DeliveryState state, int attempts, Integer lastStatus,
                           String lastError, Instant lastAttemptAt, Instant nextAttemptAt, Instant deliveredAt, Instant failedAt,
                           Instant createdAt) {}

    /** Adds a subscriber; {@code url} must already be validated (the table only insists on http(s)). */
    public Created create(String url) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        try (var c = dataSource.getConnection();
             var insert = c.prepareStatement("INSERT INTO control.webhook_subscribers (id, url, secret) VALUES (?, ?, ?) RETURNING created_at")) {
            String id = Ids.next();
            insert.setString(1, id);
            insert.setString(2, url);
            insert.setString(3, secret);
            try (var rows = insert.executeQuery()) {
                rows.next();
                return new Created(new Subscriber(id, url, rows.getTimestamp(1).toInstant()), secret);
            }
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** The active subscribers, oldest first. */
    public List<Subscriber> list() {
        try (var c = dataSource.getConnection();
             var rows = c.createStatement().executeQuery(
                     "SELECT id, url, created_at FROM control.webhook_subscribers WHERE active ORDER BY created_at, id")) {
            var list = new ArrayList<Subscriber>();
            while (rows.next()) list.add(new Subscriber(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant()));
            return list;
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** Deactivates a subscriber and cancels its pending deliveries; false when there is no active one by that id. */
    public boolean delete(String id) {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var deactivate = c.prepareStatement("UPDATE control.webhook_subscribers SET active = false, secret = '' WHERE id = ? AND active");
                 var cancel = c.prepareStatement("""
                         UPDATE control.webhook_deliveries SET failed_at = now(), last_error = 'cancelled: the subscriber was deleted',
                                claimed_by = NULL, claimed_until = NULL
                         WHERE subscriber_id = ? AND delivered_at IS NULL AND failed_at IS NULL""")) {
                deactivate.setString(1, id);
                boolean found = deactivate.executeUpdate() == 1;
                if (found) {
                    cancel.setString(1, id);
                    cancel.executeUpdate();
                }
                c.commit();
                return found;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** The newest {@link #LOG_LIMIT} deliveries of an active subscriber, newest first; empty when there is none. */
    public Optional<List<Delivery>> deliveries(String subscriberId) {
        try (var c = dataSource.getConnection();
             var check = c.prepareStatement("SELECT 1 FROM control.webhook_subscribers WHERE id = ? AND active");
             var select = c.prepareStatement("""
                     SELECT id, event, incident_id, attempts, last_status, last_error, last_attempt_at, next_attempt_at,
                            delivered_at, failed_at, created_at
                     FROM control.webhook_deliveries WHERE subscriber_id = ? ORDER BY id DESC LIMIT ?""")) {
            check.setString(1, subscriberId);
            try (var rows = check.executeQuery()) {
                if (!rows.next()) return Optional.empty();
            }
            select.setString(1, subscriberId);
            select.setInt(2, LOG_LIMIT);
            var list = new ArrayList<Delivery>();
            try (var rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant delivered = instant(rows, "delivered_at");
                    Instant failed = instant(rows, "failed_at");
                    DeliveryState state = delivered != null ? DeliveryState.DELIVERED : failed != null ? DeliveryState.FAILED : DeliveryState.PENDING;
                    list.add(new Delivery(rows.getLong("id"), rows.getString("event"), rows.getString("incident_id"), state,
                            rows.getInt("attempts"), (Integer) rows.getObject("last_status"), rows.getString("last_error"),
                            instant(rows, "last_attempt_at"), state == DeliveryState.PENDING ? instant(rows, "next_attempt_at") : null,
                            delivered, failed, instant(rows, "created_at")));
                }
            }
            return Optional.of(list);
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp t = rows.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
