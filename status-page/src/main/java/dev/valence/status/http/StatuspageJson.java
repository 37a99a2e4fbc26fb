package dev.valence.status.http;

import dev.valence.status.model.Component;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The Statuspage v2 read format, field for field: the documents of {@code /api/v2/*.json} rendered
 * from a snapshot. Timestamps are ISO-8601 with an explicit offset; lists are newest first.
 */
public final class StatuspageJson {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);

    private final String pageUrl;

    /** @param pageUrl the public address of the page, ending in '/' */
    public StatuspageJson(String pageUrl) {
        this.pageUrl = pageUrl;
    }

    public static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    public JsonObject summary(Snapshot s) {
        var maintenances = new JsonArray();
        s.activeMaintenances().forEach(m -> maintenances.add(incident(s, m)));
        s.upcomingMaintenances().forEach(m -> maintenances.add(incident(s, m)));
        return new JsonObject().put("page", page(s)).put("components", components(s)).put("incidents", incidentArray(s, s.unresolvedIncidents()))
                .put("scheduled_maintenances", maintenances).put("status", status(s));
    }

    public JsonObject statusDocument(Snapshot s) {
        return new JsonObject().put("page", page(s)).put("status", status(s));
    }

    public JsonObject componentsDocument(Snapshot s) {
        return new JsonObject().put("page", page(s)).put("components", components(s));
    }

    public JsonObject incidentsDocument(Snapshot s, List<Incident> list) {
        return new JsonObject().put("page", page(s)).put("incidents", incidentArray(s, list));
    }

    public JsonObject maintenancesDocument(Snapshot s, List<Incident> list) {
        return new JsonObject().put("page", page(s)).put("scheduled_maintenances", incidentArray(s, list));
    }

    public JsonObject incidentDocument(Snapshot s, Incident i) {
        return new JsonObject().put("page", page(s)).put(i.isMaintenance() ? "scheduled_maintenance" : "incident", incident(s, i));
    }

    private JsonObject status(Snapshot s) {
        return new JsonObject().put("indicator", s.indicator().wire()).put("description", s.description());
    }

    private JsonObject page(Snapshot s) {
        Page p = s.page();
        return new JsonObject().put("id", p.id()).put("name", p.name()).put("url", pageUrl)
                .put("time_zone", p.timeZone()).put("updated_at", time(s.lastChange()));
    }

    private JsonArray components(Snapshot s) {
        var array = new JsonArray();
        s.components().forEach(c -> array.add(component(c)));
        return array;
    }

    public JsonObject component(Component c) {
        var json = new JsonObject()
                .put("id", c.id())
                .put("name", c.name())
                .put("status", c.status().wire())
                .put("created_at", time(c.createdAt()))
                .put("updated_at", time(c.updatedAt()))
                .put("position", c.position())
                .put("description", c.description())
                .put("showcase", c.showcase())
                .put("start_date", c.startDate() == null ? null : c.startDate().toString())
                .put("group_id", c.groupId())
                .put("page_id", c.pageId())
                .put("group", c.group())
                .put("only_show_if_degraded", c.onlyShowIfDegraded());
        if (c.group()) json.put("components", new JsonArray(c.children()));
        return json;
    }

    private JsonArray incidentArray(Snapshot s, List<Incident> list) {
        var array = new JsonArray();
        list.forEach(i -> array.add(incident(s, i)));
        return array;
    }

    public JsonObject incident(Snapshot s, Incident i) {
        var components = new JsonArray();
        for (String id : i.componentIds()) s.component(id).ifPresent(c -> components.add(component(c)));
        var updates = new JsonArray();
        i.updates().forEach(u -> updates.add(update(u)));
        var json = new JsonObject()
                .put("id", i.id())
                .put("name", i.name())
                .put("status", i.status().wire())
                .put("impact", i.impact().wire())
                .put("created_at", time(i.createdAt()))
                .put("updated_at", time(i.updatedAt()))
                .put("monitoring_at", time(i.monitoringAt()))
                .put("resolved_at", time(i.resolvedAt()))
                .put("started_at", time(i.startedAt()))
                .put("shortlink", pageUrl + "incidents/" + i.id())
                .put("page_id", i.pageId())
                .put("components", components)
                .put("incident_updates", updates);
        if (i.isMaintenance()) {
            json.put("scheduled_for", time(i.scheduledFor())).put("scheduled_until", time(i.scheduledUntil()));
        }
        return json;
    }

    private static JsonObject update(IncidentUpdate u) {
        return new JsonObject()
                .put("id", u.id())
                .put("incident_id", u.incidentId())
                .put("status", u.status().wire())
                .put("body", u.body())
                .put("created_at", time(u.createdAt()))
                .put("updated_at", time(u.updatedAt()))
                .put("display_at", time(u.displayAt()))
                .put("affected_components", u.affectedComponentsJson() == null || u.affectedComponentsJson().equals("[]")
                        ? null : new JsonArray(u.affectedComponentsJson()))
                .put("deliver_notifications", u.deliverNotifications());
    }
}
