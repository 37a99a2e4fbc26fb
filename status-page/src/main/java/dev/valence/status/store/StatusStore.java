package dev.valence.status.store;

import dev.valence.status.model.Component;
import dev.valence.status.ComponentStatus;
import dev.valence.status.Impact;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import dev.valence.status.model.UptimeDay;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The status page's data in {@code control}. Reads build a whole {@link Snapshot}; writes are small
 * transactions that also record component status history (for uptime bars). Parameterised SQL only.
 */
public final class StatusStore {
    public static final int RECENT = 50;
    public static final int UPTIME_DAYS = 90;

    private final DataSource dataSource;

    public StatusStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The webhook subscribers of this page's database. */
    public WebhookSubscribers webhookSubscribers() {
        return new WebhookSubscribers(dataSource);
    }

    /** A failure talking to the database, keeping its cause. */
    public static final class StoreFailure extends RuntimeException {
        public StoreFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    // ------------------------------------------------------------------ reads

    public Snapshot snapshot(Instant now) {
        return inTransaction(c -> {
            try (var s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            Page page = page(c);
            List<Component> components = components(c);
            List<Incident> incidents = incidents(c);
            Map<String, List<UptimeDay>> uptime = uptime(c, components, now);
            return new Snapshot(page, components, incidents, uptime, now);
        });
    }

    private static Page page(Connection c) throws SQLException {
        try (var rows = c.createStatement().executeQuery("SELECT id, name, url, time_zone, updated_at FROM control.status_pages ORDER BY id LIMIT 1")) {
            if (!rows.next()) throw new SQLException("control.status_pages has no page: run the control migrations", "55000");
            return new Page(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getTimestamp(5).toInstant());
        }
    }

    private static List<Component> components(Connection c) throws SQLException {
        var list = new ArrayList<Component>();
        var children = new HashMap<String, List<String>>();
        try (var rows = c.createStatement().executeQuery("""
                SELECT id, page_id, name, description, status, position, group_id, is_group, showcase,
                       only_show_if_degraded, start_date, automation_key, created_at, updated_at
                FROM control.components ORDER BY position, name""")) {
            while (rows.next()) {
                String groupId = rows.getString("group_id");
                if (groupId != null) children.computeIfAbsent(groupId, k -> new ArrayList<>()).add(rows.getString("id"));
                var start = rows.getDate("start_date");
                list.add(new Component(rows.getString("id"), rows.getString("page_id"), rows.getString("name"),
                        rows.getString("description"), ComponentStatus.fromWire(rows.getString("status")), rows.getInt("position"),
                        groupId, rows.getBoolean("is_group"), rows.getBoolean("showcase"), rows.getBoolean("only_show_if_degraded"),
                        start == null ? null : start.toLocalDate(), rows.getString("automation_key"),
                        instant(rows, "created_at"), instant(rows, "updated_at"), List.of()));
            }
        }
        return list.stream().map(x -> x.group() ? new Component(x.id(), x.pageId(), x.name(), x.description(), groupStatus(x, list),
                x.position(), x.groupId(), true, x.showcase(), x.onlyShowIfDegraded(), x.startDate(), x.automationKey(),
                x.createdAt(), x.updatedAt(), children.getOrDefault(x.id(), List.of())) : x).toList();
    }

    /** A group shows the worst status of its components. */
    private static ComponentStatus groupStatus(Component group, List<Component> all) {
        ComponentStatus worst = ComponentStatus.OPERATIONAL;
        for (Component c : all) {
            if (group.id().equals(c.groupId()) && (c.status().severity() > worst.severity()
                    || (worst == ComponentStatus.OPERATIONAL && c.status() == ComponentStatus.UNDER_MAINTENANCE))) {
                worst = c.status();
            }
        }
        return worst;
    }

    private static List<Incident> incidents(Connection c) throws SQLException {
        var byId = new LinkedHashMap<String, Incident>();
        try (var statement = c.prepareStatement("""
                SELECT * FROM (
                  (SELECT * FROM control.incidents WHERE kind = 'incident' ORDER BY created_at DESC LIMIT ?)
                  UNION (SELECT * FROM control.incidents WHERE kind = 'maintenance' ORDER BY created_at DESC LIMIT ?)
                  UNION (SELECT * FROM control.incidents WHERE resolved_at IS NULL)
                ) i ORDER BY created_at DESC, id""")) {
            statement.setInt(1, RECENT);
            statement.setInt(2, RECENT);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    IncidentStatus.Kind kind = IncidentStatus.Kind.valueOf(rows.getString("kind").toUpperCase());
                    byId.put(rows.getString("id"), new Incident(rows.getString("id"), rows.getString("page_id"), kind,
                            rows.getString("name"), IncidentStatus.fromDatabase(rows.getString("status")),
                            Impact.fromDatabase(rows.getString("impact")), rows.getString("automation_key"),
                            instant(rows, "created_at"), instant(rows, "updated_at"), instant(rows, "started_at"),
                            instant(rows, "monitoring_at"), instant(rows, "resolved_at"), instant(rows, "scheduled_for"),
                            instant(rows, "scheduled_until"), new ArrayList<>(), new ArrayList<>()));
                }
            }
        }
        if (byId.isEmpty()) return List.of();
        var ids = c.createArrayOf("text", byId.keySet().toArray());
        try (var statement = c.prepareStatement("""
                SELECT ic.incident_id, ic.component_id FROM control.incident_components ic
                JOIN control.components co ON co.id = ic.component_id
                WHERE ic.incident_id = ANY (?) ORDER BY co.position""")) {
            statement.setArray(1, ids);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) byId.get(rows.getString(1)).componentIds().add(rows.getString(2));
            }
        }
        try (var statement = c.prepareStatement("""
                SELECT id, incident_id, status, body, affected_components::text, deliver_notifications, created_at, updated_at, display_at
                FROM control.incident_updates WHERE incident_id = ANY (?) ORDER BY display_at DESC, created_at DESC, id""")) {
            statement.setArray(1, ids);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    byId.get(rows.getString(2)).updates().add(new IncidentUpdate(rows.getString(1), rows.getString(2),
                            IncidentStatus.fromDatabase(rows.getString(3)), rows.getString(4), rows.getString(5), rows.getBoolean(6),
                            instant(rows, "created_at"), instant(rows, "updated_at"), instant(rows, "display_at")));
                }
            }
        }
        return byId.values().stream().map(i -> new Incident(i.id(), i.pageId(), i.kind(), i.name(), i.status(), i.impact(),
                i.automationKey(), i.createdAt(), i.updatedAt(), i.startedAt(), i.monitoringAt(), i.resolvedAt(), i.scheduledFor(),
                i.scheduledUntil(), List.copyOf(i.componentIds()), List.copyOf(i.updates()))).toList();
    }

    /** Per component, per UTC day of the last 90: the share of the day spent operational (or under maintenance). */
    private static Map<String, List<UptimeDay>> uptime(Connection c, List<Component> components, Instant now) throws SQLException {
        Instant from = now.truncatedTo(ChronoUnit.DAYS).minus(UPTIME_DAYS - 1, ChronoUnit.DAYS);
        record Change(Instant at, ComponentStatus status) {}
        var changes = new HashMap<String, List<Change>>();
        try (var statement = c.prepareStatement("""
                SELECT component_id, status, started_at FROM control.component_status_history h
                WHERE started_at >= ? OR id IN (SELECT max(id) FROM control.component_status_history
                                               WHERE started_at < ? GROUP BY component_id)
                ORDER BY component_id, started_at, id""")) {
            statement.setTimestamp(1, Timestamp.from(from));
            statement.setTimestamp(2, Timestamp.from(from));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    changes.computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
                            .add(new Change(rows.getTimestamp(3).toInstant(), ComponentStatus.fromWire(rows.getString(2))));
                }
            }
        }
        var result = new HashMap<String, List<UptimeDay>>();
        for (Component component : components) {
            if (component.group()) continue;
            List<Change> history = changes.getOrDefault(component.id(), List.of());
            var days = new ArrayList<UptimeDay>(UPTIME_DAYS);
            for (int d = 0; d < UPTIME_DAYS; d++) {
                Instant dayStart = from.plus(d, ChronoUnit.DAYS);
                Instant dayEnd = dayStart.plus(1, ChronoUnit.DAYS);
                Instant end = dayEnd.isAfter(now) ? now : dayEnd;
                long known = 0;
                long outage = 0;
                ComponentStatus worst = null;
                for (int i = 0; i < history.size(); i++) {
                    Instant a = max(history.get(i).at(), dayStart);
                    Instant b = i + 1 < history.size() ? min(history.get(i + 1).at(), end) : end;
                    if (!b.isAfter(a)) continue;
                    long seconds = b.getEpochSecond() - a.getEpochSecond();
                    ComponentStatus status = history.get(i).status();
                    known += seconds;
                    if (status.severity() > 0) outage += seconds;
                    if (worst == null || status.severity() > worst.severity()) worst = status;
                }
                LocalDate day = LocalDate.ofInstant(dayStart, ZoneOffset.UTC);
                days.add(new UptimeDay(day, known == 0 ? -1 : 1.0 - (double) outage / known, worst, outage));
            }
            result.put(component.id(), days);
        }
        return result;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp t = rows.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    // ------------------------------------------------------------------ writes

    /** What a new incident or maintenance says: components to set, and the first update's body. */
    public record NewIncident(String name, IncidentStatus status, Impact impact, Map<String, ComponentStatus> components,
                              String body, String automationKey, Instant scheduledFor, Instant scheduledUntil, String author) {}

    /**
     * Creates an incident or maintenance with its first update. With an automation key, at most one
     * open incident per key exists, whoever creates it first: empty when one is already open.
     */
    public Optional<String> createIncident(NewIncident n) {
        return inTransaction(c -> {
            String id = Ids.next();
            IncidentStatus.Kind kind = n.status().kind();
            try (var insert = c.prepareStatement("""
                    INSERT INTO control.incidents (id, page_id, kind, name, status, impact, automation_key, scheduled_for, scheduled_until,
                                                   monitoring_at, resolved_at)
                    SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'monitoring' THEN now() END,
                           CASE WHEN ? IN ('resolved', 'completed', 'postmortem') THEN now() END
                    FROM control.status_pages ORDER BY id LIMIT 1
                    ON CONFLICT (automation_key) WHERE resolved_at IS NULL DO NOTHING""")) {
                insert.setString(1, id);
                insert.setString(2, kind.wire());
                insert.setString(3, n.name());
                insert.setString(4, n.status().wire());
                insert.setString(5, kind == IncidentStatus.Kind.MAINTENANCE ? "maintenance" : n.impact().wire());
                insert.setString(6, n.automationKey());
                insert.setTimestamp(7, n.scheduledFor() == null ? null : Timestamp.from(n.scheduledFor()));
                insert.setTimestamp(8, n.scheduledUntil() == null ? null : Timestamp.from(n.scheduledUntil()));
                insert.setString(9, n.status().wire());
                insert.setString(10, n.status().wire());
                if (insert.executeUpdate() == 0) return Optional.<String>empty();
            }
            for (String componentId : n.components().keySet()) {
                try (var link = c.prepareStatement("INSERT INTO control.incident_components (incident_id, component_id) VALUES (?, ?)")) {
                    link.setString(1, id);
                    link.setString(2, componentId);
                    link.executeUpdate();
                }
            }
            String affected = setComponents(c, n.components());
            addUpdate(c, id, n.status(), n.body(), affected, n.author());
            WebhookOutbox.enqueue(c, WebhookOutbox.Event.created(kind), id);
            return Optional.of(id);
        });
    }

    /** Adds an update (with a status change and component changes) to an incident or maintenance. */
    public Optional<String> postUpdate(String incidentId, IncidentStatus status, String body, Map<String, ComponentStatus> components, String author) {
        return inTransaction(c -> {
            try (var update = c.prepareStatement("""
                    UPDATE control.incidents SET status = ?, updated_at = now(),
                           monitoring_at = CASE WHEN ? = 'monitoring' THEN coalesce(monitoring_at, now()) ELSE monitoring_at END,
                           resolved_at = CASE WHEN ? IN ('resolved', 'completed', 'postmortem') THEN coalesce(resolved_at, now()) ELSE NULL END
                    WHERE id = ? AND kind = ?""")) {
                update.setString(1, status.wire());
                update.setString(2, status.wire());
                update.setString(3, status.wire());
                update.setString(4, incidentId);
                update.setString(5, status.kind().wire());
                if (update.executeUpdate() == 0) return Optional.<String>empty();
            }
            for (String componentId : components.keySet()) {
                try (var link = c.prepareStatement("INSERT INTO control.incident_components (incident_id, component_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    link.setString(1, incidentId);
                    link.setString(2, componentId);
                    link.executeUpdate();
                }
            }
            String affected = setComponents(c, components);
            String updateId = addUpdate(c, incidentId, status, body, affected, author);
            WebhookOutbox.enqueue(c, WebhookOutbox.Event.updated(status), incidentId);
            return Optional.of(updateId);
        });
    }

    /**
     * Resolves the open incident of an automation key with a final update and component changes.
     * Only the first of several instances racing to do it succeeds; the others get false.
     */
    public boolean resolveAutomatic(String automationKey, String body, Map<String, ComponentStatus> components) {
        return inTransaction(c -> {
            String id;
            try (var update = c.prepareStatement("""
                    UPDATE control.incidents SET status = 'resolved', resolved_at = now(), updated_at = now()
                    WHERE automation_key = ? AND resolved_at IS NULL RETURNING id""")) {
                update.setString(1, automationKey);
                try (var rows = update.executeQuery()) {
                    if (!rows.next()) return false;
                    id = rows.getString(1);
                }
            }
            String affected = setComponents(c, components);
            addUpdate(c, id, IncidentStatus.RESOLVED, body, affected, "valence");
            WebhookOutbox.enqueue(c, WebhookOutbox.Event.updated(IncidentStatus.RESOLVED), id);
            return true;
        });
    }

    /**
     * Adds an update to the open incident of an automation key, keeping its status, unless its latest update
     * already says exactly this: several instances may notice the same change, and readers should see it once.
     */
    public boolean updateAutomatic(String automationKey, String body) {
        return inTransaction(c -> {
            String id;
            IncidentStatus status;
            try (var select = c.prepareStatement("""
                    SELECT id, status FROM control.incidents WHERE automation_key = ? AND resolved_at IS NULL FOR UPDATE""")) {
                select.setString(1, automationKey);
                try (var rows = select.executeQuery()) {
                    if (!rows.next()) return false;
                    id = rows.getString(1);
                    status = IncidentStatus.fromDatabase(rows.getString(2));
                }
            }
            try (var latest = c.prepareStatement("""
                    SELECT body FROM control.incident_updates WHERE incident_id = ? ORDER BY created_at DESC LIMIT 1""")) {
                latest.setString(1, id);
                try (var rows = latest.executeQuery()) {
                    if (rows.next() && rows.getString(1).equals(body)) return false;
                }
            }
            addUpdate(c, id, status, body, "[]", "valence");
            WebhookOutbox.enqueue(c, WebhookOutbox.Event.updated(status), id);
            return true;
        });
    }

    /** The automation keys of open automatic incidents. */
    public List<String> openAutomationKeys() {
        try (var c = dataSource.getConnection();
             var rows = c.createStatement().executeQuery("SELECT automation_key FROM control.incidents WHERE automation_key IS NOT NULL AND resolved_at IS NULL")) {
            var keys = new ArrayList<String>();
            while (rows.next()) keys.add(rows.getString(1));
            return keys;
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    /** Sets one component's status; empty when there is no such component (or it is a group). */
    public boolean setComponentStatus(String componentId, ComponentStatus status) {
        return inTransaction(c -> {
            try (var check = c.prepareStatement("SELECT 1 FROM control.components WHERE id = ? AND NOT is_group")) {
                check.setString(1, componentId);
                try (var rows = check.executeQuery()) {
                    if (!rows.next()) return false;
                }
            }
            setComponents(c, Map.of(componentId, status));
            return true;
        });
    }

    /** The open incident with this automation key, if any. */
    public Optional<String> openIncidentFor(String automationKey) {
        try (var c = dataSource.getConnection();
             var s = c.prepareStatement("SELECT id FROM control.incidents WHERE automation_key = ? AND resolved_at IS NULL")) {
            s.setString(1, automationKey);
            try (var rows = s.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    /** The ids of components by automation key (the runtime names components by key, not id). */
    public Map<String, String> componentIdsByKey() {
        try (var c = dataSource.getConnection();
             var rows = c.createStatement().executeQuery("SELECT automation_key, id FROM control.components WHERE automation_key IS NOT NULL")) {
            var map = new HashMap<String, String>();
            while (rows.next()) map.put(rows.getString(1), rows.getString(2));
            return map;
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    /** Sets statuses, records history, and returns the change as Statuspage's affected_components JSON. */
    private static String setComponents(Connection c, Map<String, ComponentStatus> components) throws SQLException {
        var elements = new ArrayList<String>();
        for (var entry : components.entrySet()) {
            String old;
            try (var select = c.prepareStatement("""
                    SELECT status, jsonb_build_object('code', id, 'name', name, 'old_status', status, 'new_status', ?::text)::text
                    FROM control.components WHERE id = ? FOR UPDATE""")) {
                select.setString(1, entry.getValue().wire());
                select.setString(2, entry.getKey());
                try (var rows = select.executeQuery()) {
                    if (!rows.next()) throw new SQLException("no component " + entry.getKey(), "23503");
                    old = rows.getString(1);
                    elements.add(rows.getString(2));
                }
            }
            if (!old.equals(entry.getValue().wire())) {
                try (var update = c.prepareStatement("UPDATE control.components SET status = ?, updated_at = now() WHERE id = ?")) {
                    update.setString(1, entry.getValue().wire());
                    update.setString(2, entry.getKey());
                    update.executeUpdate();
                }
                try (var history = c.prepareStatement("INSERT INTO control.component_status_history (component_id, status) VALUES (?, ?)")) {
                    history.setString(1, entry.getKey());
                    history.setString(2, entry.getValue().wire());
                    history.executeUpdate();
                }
            }
        }
        return "[" + String.join(",", elements) + "]";
    }

    private static String addUpdate(Connection c, String incidentId, IncidentStatus status, String body, String affectedJson, String author)
            throws SQLException {
        String id = Ids.next();
        try (var insert = c.prepareStatement("""
                INSERT INTO control.incident_updates (id, incident_id, status, body, affected_components, author)
                VALUES (?, ?, ?, ?, ?::jsonb, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, incidentId);
            insert.setString(3, status.wire());
            insert.setString(4, body);
            insert.setString(5, affectedJson);
            insert.setString(6, author == null ? "" : author);
            insert.executeUpdate();
        }
        return id;
    }
}
