package dev.valence.status.snapshot;

import dev.valence.status.model.Component;
import dev.valence.status.ComponentStatus;
import dev.valence.status.Impact;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import dev.valence.status.model.UptimeDay;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last good snapshot on disk, so a status page that restarts while its database is gone still
 * has something true to show. Written atomically (temporary file, then rename).
 */
final class SnapshotFile {
    private final Path path;

    SnapshotFile(Path path) {
        this.path = path;
    }

    void write(Snapshot s) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(temporary, encode(s).encode(), StandardCharsets.UTF_8);
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<Snapshot> read() {
        try {
            if (!Files.exists(path)) return Optional.empty();
            return Optional.of(decode(new JsonObject(Files.readString(path, StandardCharsets.UTF_8))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable snapshot is as good as none
        }
    }

    static JsonObject encode(Snapshot s) {
        var components = new JsonArray();
        for (Component c : s.components()) {
            components.add(new JsonObject().put("id", c.id()).put("pageId", c.pageId()).put("name", c.name())
                    .put("description", c.description()).put("status", c.status().wire()).put("position", c.position())
                    .put("groupId", c.groupId()).put("group", c.group()).put("showcase", c.showcase())
                    .put("onlyShowIfDegraded", c.onlyShowIfDegraded()).put("startDate", c.startDate() == null ? null : c.startDate().toString())
                    .put("automationKey", c.automationKey()).put("createdAt", str(c.createdAt())).put("updatedAt", str(c.updatedAt()))
                    .put("children", new JsonArray(c.children())));
        }
        var incidents = new JsonArray();
        for (Incident i : s.incidents()) {
            var updates = new JsonArray();
            for (IncidentUpdate u : i.updates()) {
                updates.add(new JsonObject().put("id", u.id()).put("status", u.status().name()).put("body", u.body())
                        .put("affected", u.affectedComponentsJson()).put("notify", u.deliverNotifications())
                        .put("createdAt", str(u.createdAt())).put("updatedAt", str(u.updatedAt())).put("displayAt", str(u.displayAt())));
            }
            incidents.add(new JsonObject().put("id", i.id()).put("pageId", i.pageId()).put("kind", i.kind().name()).put("name", i.name())
                    .put("status", i.status().name()).put("impact", i.impact().name()).put("automationKey", i.automationKey())
                    .put("createdAt", str(i.createdAt())).put("updatedAt", str(i.updatedAt())).put("startedAt", str(i.startedAt()))
                    .put("monitoringAt", str(i.monitoringAt())).put("resolvedAt", str(i.resolvedAt()))
                    .put("scheduledFor", str(i.scheduledFor())).put("scheduledUntil", str(i.scheduledUntil()))
                    .put("components", new JsonArray(i.componentIds())).put("updates", updates));
        }
        var uptime = new JsonObject();
        s.uptime().forEach((id, days) -> {
            var array = new JsonArray();
            for (UptimeDay d : days) {
                array.add(new JsonArray().add(d.day().toString()).add(d.operationalShare())
                        .add(d.worst() == null ? null : d.worst().wire()).add(d.outageSeconds()));
            }
            uptime.put(id, array);
        });
        Page p = s.page();
        return new JsonObject()
                .put("page", new JsonObject().put("id", p.id()).put("name", p.name()).put("url", p.url()).put("timeZone", p.timeZone())
                        .put("updatedAt", str(p.updatedAt())))
                .put("components", components).put("incidents", incidents).put("uptime", uptime).put("takenAt", str(s.takenAt()));
    }

    static Snapshot decode(JsonObject json) {
        JsonObject p = json.getJsonObject("page");
        var page = new Page(p.getString("id"), p.getString("name"), p.getString("url"), p.getString("timeZone"), at(p.getString("updatedAt")));
        var components = new ArrayList<Component>();
        for (Object o : json.getJsonArray("components")) {
            var c = (JsonObject) o;
            components.add(new Component(c.getString("id"), c.getString("pageId"), c.getString("name"), c.getString("description"),
                    ComponentStatus.fromWire(c.getString("status")), c.getInteger("position"), c.getString("groupId"), c.getBoolean("group"),
                    c.getBoolean("showcase"), c.getBoolean("onlyShowIfDegraded"),
                    c.getString("startDate") == null ? null : LocalDate.parse(c.getString("startDate")), c.getString("automationKey"),
                    at(c.getString("createdAt")), at(c.getString("updatedAt")), strings(c.getJsonArray("children"))));
        }
        var incidents = new ArrayList<Incident>();
        for (Object o : json.getJsonArray("incidents")) {
            var i = (JsonObject) o;
            var updates = new ArrayList<IncidentUpdate>();
            for (Object uo : i.getJsonArray("updates")) {
                var u = (JsonObject) uo;
                updates.add(new IncidentUpdate(u.getString("id"), i.getString("id"), IncidentStatus.valueOf(u.getString("status")),
                        u.getString("body"), u.getString("affected"), u.getBoolean("notify"), at(u.getString("createdAt")),
                        at(u.getString("updatedAt")), at(u.getString("displayAt"))));
            }
            incidents.add(new Incident(i.getString("id"), i.getString("pageId"), IncidentStatus.Kind.valueOf(i.getString("kind")),
                    i.getString("name"), IncidentStatus.valueOf(i.getString("status")), Impact.valueOf(i.getString("impact")),
                    i.getString("automationKey"), at(i.getString("createdAt")), at(i.getString("updatedAt")), at(i.getString("startedAt")),
                    at(i.getString("monitoringAt")), at(i.getString("resolvedAt")), at(i.getString("scheduledFor")),
                    at(i.getString("scheduledUntil")), strings(i.getJsonArray("components")), updates));
        }
        Map<String, List<UptimeDay>> uptime = new HashMap<>();
        json.getJsonObject("uptime").forEach(e -> {
            var days = new ArrayList<UptimeDay>();
            for (Object o : (JsonArray) e.getValue()) {
                var d = (JsonArray) o;
                days.add(new UptimeDay(LocalDate.parse(d.getString(0)), d.getDouble(1),
                        d.getString(2) == null ? null : ComponentStatus.fromWire(d.getString(2)), d.getLong(3)));
            }
            uptime.put(e.getKey(), days);
        });
        return new Snapshot(page, components, incidents, uptime, at(json.getString("takenAt")));
    }

    private static List<String> strings(JsonArray array) {
        var list = new ArrayList<String>();
        array.forEach(o -> list.add((String) o));
        return list;
    }

    private static String str(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant at(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
