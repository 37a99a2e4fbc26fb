package dev.valence.status.webhooks;

import dev.valence.status.http.StatuspageJson;
import dev.valence.status.model.Component;
import dev.valence.status.ComponentStatus;
import dev.valence.status.Impact;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The body of a webhook: {@code {"meta": {event, generated_at}, "page": {id, name, url}, "incident": ...}},
 * the incident in the Statuspage v2 shape, rendered by {@link StatuspageJson} from the rows the
 * outbox froze when the event happened. {@code generated_at} is when the event was enqueued, so
 * every attempt of one delivery sends the same bytes.
 */
final class WebhookPayload {
    private final StatuspageJson json;
    private final String pageUrl;

    /** @param pageUrl the public address of the page, ending in '/' */
    WebhookPayload(String pageUrl) {
        this.json = new StatuspageJson(pageUrl);
        this.pageUrl = pageUrl;
    }

    byte[] render(String event, Instant generatedAt, String frozenJson) {
        JsonObject frozen = new JsonObject(frozenJson);
        JsonObject p = frozen.getJsonObject("page");
        Page page = new Page(p.getString("id"), p.getString("name"), p.getString("url"), p.getString("time_zone"), instant(p, "updated_at"));
        List<Component> components = objects(frozen.getJsonArray("components")).stream().map(WebhookPayload::component).toList();
        List<IncidentUpdate> updates = objects(frozen.getJsonArray("updates")).stream().map(WebhookPayload::update).toList();
        Incident incident = incident(frozen.getJsonObject("incident"), components.stream().map(Component::id).toList(), updates);
        Snapshot snapshot = new Snapshot(page, components, List.of(incident), Map.of(), generatedAt);
        return new JsonObject()
                .put("meta", new JsonObject().put("event", event).put("generated_at", StatuspageJson.time(generatedAt)))
                .put("page", new JsonObject().put("id", page.id()).put("name", page.name()).put("url", pageUrl))
                .put("incident", json.incident(snapshot, incident))
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    private static Incident incident(JsonObject i, List<String> componentIds, List<IncidentUpdate> updates) {
        IncidentStatus.Kind kind = IncidentStatus.Kind.valueOf(i.getString("kind").toUpperCase());
        return new Incident(i.getString("id"), i.getString("page_id"), kind, i.getString("name"),
                IncidentStatus.fromDatabase(i.getString("status")), Impact.fromDatabase(i.getString("impact")), i.getString("automation_key"),
                instant(i, "created_at"), instant(i, "updated_at"), instant(i, "started_at"), instant(i, "monitoring_at"),
                instant(i, "resolved_at"), instant(i, "scheduled_for"), instant(i, "scheduled_until"), componentIds, updates);
    }

    private static IncidentUpdate update(JsonObject u) {
        return new IncidentUpdate(u.getString("id"), u.getString("incident_id"), IncidentStatus.fromDatabase(u.getString("status")),
                u.getString("body"), u.getJsonArray("affected_components").encode(), u.getBoolean("deliver_notifications"),
                instant(u, "created_at"), instant(u, "updated_at"), instant(u, "display_at"));
    }

    private static Component component(JsonObject c) {
        String start = c.getString("start_date");
        return new Component(c.getString("id"), c.getString("page_id"), c.getString("name"), c.getString("description"),
                ComponentStatus.fromWire(c.getString("status")), c.getInteger("position"), c.getString("group_id"), c.getBoolean("is_group"),
                c.getBoolean("showcase"), c.getBoolean("only_show_if_degraded"), start == null ? null : LocalDate.parse(start),
                c.getString("automation_key"), instant(c, "created_at"), instant(c, "updated_at"), List.of());
    }

    private static List<JsonObject> objects(JsonArray array) {
        return array.stream().map(JsonObject.class::cast).toList();
    }

    /** PostgreSQL's to_jsonb writes timestamptz as ISO-8601 with the session's offset. */
    private static Instant instant(JsonObject o, String field) {
        String value = o.getString(field);
        return value == null ? null : OffsetDateTime.parse(value).toInstant();
    }
}
