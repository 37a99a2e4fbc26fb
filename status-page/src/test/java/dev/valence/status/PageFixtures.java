package dev.valence.status;

import dev.valence.status.model.Component;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import dev.valence.status.model.UptimeDay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Snapshots built by hand for the page tests: a busy afternoon on Nov 26, 2026 at 15:00 UTC. */
final class PageFixtures {

    static final Instant NOW = Instant.parse("2026-11-26T15:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
    static final Page PAGE = new Page("page1", "Valence", "https://status.valence.dev", "Etc/UTC", NOW);

    /** The test stand-in for Markdown: plain text, escaped, in a paragraph. */
    static final Function<String, String> ESCAPED_TEXT = body -> "<p>" + body.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;") + "</p>";

    private PageFixtures() {}

    static Component component(String id, String name, ComponentStatus status) {
        return new Component(id, PAGE.id(), name, null, status, 0, null, false, false, false, null, null, NOW, NOW, List.of());
    }

    static Component describe(Component c, String description) {
        return new Component(c.id(), c.pageId(), c.name(), description, c.status(), c.position(), c.groupId(), c.group(), c.showcase(),
                c.onlyShowIfDegraded(), c.startDate(), c.automationKey(), c.createdAt(), c.updatedAt(), c.children());
    }

    static Component inGroup(Component c, String groupId) {
        return new Component(c.id(), c.pageId(), c.name(), c.description(), c.status(), c.position(), groupId, false, c.showcase(),
                c.onlyShowIfDegraded(), c.startDate(), c.automationKey(), c.createdAt(), c.updatedAt(), List.of());
    }

    static Component onlyIfDegraded(Component c) {
        return new Component(c.id(), c.pageId(), c.name(), c.description(), c.status(), c.position(), c.groupId(), c.group(), c.showcase(),
                true, c.startDate(), c.automationKey(), c.createdAt(), c.updatedAt(), c.children());
    }

    static Component group(String id, String name, ComponentStatus status, String... childIds) {
        return new Component(id, PAGE.id(), name, null, status, 0, null, true, false, false, null, null, NOW, NOW, List.of(childIds));
    }

    static IncidentUpdate update(String incidentId, IncidentStatus status, String body, Instant at) {
        return new IncidentUpdate(incidentId + "-" + at.getEpochSecond(), incidentId, status, body, "[]", true, at, at, at);
    }

    static Incident incident(String id, String name, IncidentStatus status, Impact impact, Instant startedAt, List<String> componentIds,
                             IncidentUpdate... updates) {
        Instant resolvedAt = status.isOpen() ? null : updates[updates.length - 1].createdAt();
        return new Incident(id, PAGE.id(), IncidentStatus.Kind.INCIDENT, name, status, impact, null, startedAt, startedAt, startedAt,
                null, resolvedAt, null, null, componentIds, List.of(updates));
    }

    static Incident maintenance(String id, String name, IncidentStatus status, Instant from, Instant until, List<String> componentIds,
                                IncidentUpdate... updates) {
        Instant created = from.minus(Duration.ofDays(3));
        return new Incident(id, PAGE.id(), IncidentStatus.Kind.MAINTENANCE, name, status, Impact.MAINTENANCE, null, created, created,
                null, null, status.isOpen() ? null : until, from, until, componentIds, List.of(updates));
    }

    static Instant at(String time) {
        return Instant.parse(time);
    }

    /** 90 days ending today, all fully operational unless {@code exceptions} says otherwise (by days back from today). */
    static List<UptimeDay> uptime(Map<Integer, UptimeDay> exceptions) {
        var days = new ArrayList<UptimeDay>();
        for (int back = 89; back >= 0; back--) {
            LocalDate day = TODAY.minusDays(back);
            UptimeDay exception = exceptions.get(back);
            days.add(exception != null ? exception : new UptimeDay(day, 1.0, ComponentStatus.OPERATIONAL, 0));
        }
        return days;
    }

    /** 90 days with data only for the last {@code knownDays} of them. */
    static List<UptimeDay> uptimeSince(int knownDays) {
        var days = new ArrayList<UptimeDay>();
        for (int back = 89; back >= 0; back--) {
            LocalDate day = TODAY.minusDays(back);
            days.add(back < knownDays ? new UptimeDay(day, 1.0, ComponentStatus.OPERATIONAL, 0) : new UptimeDay(day, -1, null, 0));
        }
        return days;
    }

    static Snapshot snapshot(List<Component> components, List<Incident> incidents, Map<String, List<UptimeDay>> uptime, Instant takenAt) {
        return new Snapshot(PAGE, components, incidents, uptime, takenAt);
    }

    static Snapshot allClear(Component... components) {
        var uptime = new LinkedHashMap<String, List<UptimeDay>>();
        for (Component c : components) if (!c.group()) uptime.put(c.id(), uptime(Map.of()));
        return snapshot(Arrays.asList(components), List.of(), uptime, NOW);
    }

    /**
     * A busy afternoon: the runtime degraded and the database partly down under an open incident, a database
     * upgrade in progress, network maintenance tomorrow, and three closed entries in the last two weeks.
     */
    static Snapshot busyAfternoon() {
        var api = describe(component("api", "Authoring API", ComponentStatus.OPERATIONAL), "Create, update and deploy vals");
        var runtime = inGroup(component("runtime", "Val runtime", ComponentStatus.DEGRADED_PERFORMANCE), "platform");
        var cron = inGroup(component("cron", "Scheduled vals", ComponentStatus.OPERATIONAL), "platform");
        var email = onlyIfDegraded(inGroup(component("email", "Email vals", ComponentStatus.OPERATIONAL), "platform"));
        var platform = group("platform", "Platform", ComponentStatus.DEGRADED_PERFORMANCE, "runtime", "cron", "email");
        var database = component("database", "Database", ComponentStatus.PARTIAL_OUTAGE);
        var website = component("website", "Website", ComponentStatus.OPERATIONAL);

        var errors = incident("inc-errors", "Elevated error rates for HTTP vals", IncidentStatus.IDENTIFIED, Impact.MAJOR,
                at("2026-11-26T14:05:00Z"), List.of("runtime", "database"),
                update("inc-errors", IncidentStatus.INVESTIGATING, "We are investigating elevated 5xx rates on HTTP vals.",
                        at("2026-11-26T14:10:00Z")),
                update("inc-errors", IncidentStatus.IDENTIFIED, "A database failover left one replica behind; we are rebuilding it.",
                        at("2026-11-26T14:40:00Z")));
        var upgrade = maintenance("mnt-upgrade", "Database upgrade to PostgreSQL 17", IncidentStatus.IN_PROGRESS,
                at("2026-11-26T14:00:00Z"), at("2026-11-26T16:00:00Z"), List.of("database"),
                update("mnt-upgrade", IncidentStatus.IN_PROGRESS, "The upgrade is under way.", at("2026-11-26T14:00:00Z")));
        var network = maintenance("mnt-network", "Network switch replacement", IncidentStatus.SCHEDULED,
                at("2026-11-28T02:00:00Z"), at("2026-11-28T04:00:00Z"), List.of("api", "website"),
                update("mnt-network", IncidentStatus.SCHEDULED, "Short connection resets are possible.", at("2026-11-25T09:00:00Z")));
        var cronDelay = incident("inc-cron", "Delayed cron runs", IncidentStatus.RESOLVED, Impact.MINOR,
                at("2026-11-24T08:15:00Z"), List.of("cron"),
                update("inc-cron", IncidentStatus.INVESTIGATING, "Cron runs start up to 5 minutes late.", at("2026-11-24T08:20:00Z")),
                update("inc-cron", IncidentStatus.RESOLVED, "Runs are on time again.", at("2026-11-24T09:05:00Z")));
        var logins = incident("inc-logins", "Login failures", IncidentStatus.RESOLVED, Impact.CRITICAL,
                at("2026-11-21T22:30:00Z"), List.of("api"),
                update("inc-logins", IncidentStatus.RESOLVED, "Logins work again.", at("2026-11-21T23:10:00Z")));
        var patching = maintenance("mnt-patch", "Kernel patching", IncidentStatus.COMPLETED,
                at("2026-11-24T03:00:00Z"), at("2026-11-24T03:30:00Z"), List.of("runtime"),
                update("mnt-patch", IncidentStatus.COMPLETED, "Patching is complete.", at("2026-11-24T03:30:00Z")));
        var oldOutage = incident("inc-old", "An outage three weeks ago", IncidentStatus.RESOLVED, Impact.MAJOR,
                at("2026-11-05T10:00:00Z"), List.of("api"),
                update("inc-old", IncidentStatus.RESOLVED, "Fixed.", at("2026-11-05T11:00:00Z")));

        var uptime = new LinkedHashMap<String, List<UptimeDay>>();
        uptime.put("api", uptime(Map.of(
                1, new UptimeDay(TODAY.minusDays(1), 0.9995, ComponentStatus.PARTIAL_OUTAGE, 43),
                9, new UptimeDay(TODAY.minusDays(9), 0.975, ComponentStatus.MAJOR_OUTAGE, 2160))));
        uptime.put("runtime", uptime(Map.of(0, new UptimeDay(TODAY, 0.9, ComponentStatus.DEGRADED_PERFORMANCE, 5400))));
        uptime.put("cron", uptime(Map.of(2, new UptimeDay(TODAY.minusDays(2), 0.96875, ComponentStatus.DEGRADED_PERFORMANCE, 2700))));
        uptime.put("email", uptime(Map.of()));
        uptime.put("database", uptime(Map.of(0, new UptimeDay(TODAY, 0.95, ComponentStatus.PARTIAL_OUTAGE, 2700))));
        uptime.put("website", uptimeSince(40));
        return snapshot(List.of(api, platform, runtime, cron, email, database, website),
                List.of(errors, upgrade, network, cronDelay, patching, logins, oldOutage), uptime, at("2026-11-26T14:59:30Z"));
    }
}
