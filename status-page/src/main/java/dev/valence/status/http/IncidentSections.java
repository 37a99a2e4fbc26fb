package dev.valence.status.http;

import dev.valence.status.model.Incident;
import dev.valence.status.model.Snapshot;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The incident sections: what is wrong now, maintenance now and next, and the last two weeks day by day. */
final class IncidentSections {

    static final int HISTORY_DAYS = 14;

    private static final Comparator<Incident> LATEST_START_FIRST = Comparator.comparing(IncidentSections::startOf).reversed();

    private final IncidentView view;

    IncidentSections(IncidentView view) {
        this.view = view;
    }

    /** Unresolved incidents; no section at all when there are none, as the banner already says so. */
    void active(StringBuilder out, Snapshot snapshot, Instant now) {
        List<Incident> incidents = snapshot.unresolvedIncidents();
        if (incidents.isEmpty()) return;
        out.append("<section aria-labelledby=\"incidents-title\">\n<h2 id=\"incidents-title\">Active incidents</h2>\n");
        for (Incident incident : incidents) view.render(out, incident, snapshot, now, 3);
        out.append("</section>\n");
    }

    /** Maintenance in progress first, then upcoming maintenance, soonest first. */
    void maintenance(StringBuilder out, Snapshot snapshot, Instant now) {
        List<Incident> active = snapshot.activeMaintenances();
        List<Incident> upcoming = snapshot.upcomingMaintenances();
        if (active.isEmpty() && upcoming.isEmpty()) return;
        out.append("<section aria-labelledby=\"maintenance-title\">\n<h2 id=\"maintenance-title\">Scheduled maintenance</h2>\n");
        for (Incident m : active) view.render(out, m, snapshot, now, 3);
        for (Incident m : upcoming) view.render(out, m, snapshot, now, 3);
        out.append("</section>\n");
    }

    /** Resolved incidents and completed maintenance of the last {@value #HISTORY_DAYS} UTC days, newest day first. */
    void history(StringBuilder out, Snapshot snapshot, Instant now) {
        out.append("<section aria-labelledby=\"history-title\">\n<h2 id=\"history-title\">Past incidents</h2>\n");
        LocalDate today = PageTimes.day(now);
        for (int back = 0; back < HISTORY_DAYS; back++) {
            LocalDate day = today.minusDays(back);
            out.append("<div class=\"day\">\n<h3>").append(PageTimes.longDay(day)).append("</h3>\n");
            List<Incident> closed = closedOn(day, snapshot);
            if (closed.isEmpty()) out.append("<p class=\"quiet\">No incidents reported.</p>\n");
            for (Incident incident : closed) view.render(out, incident, snapshot, now, 4);
            out.append("</div>\n");
        }
        out.append("</section>\n");
    }

    private static List<Incident> closedOn(LocalDate day, Snapshot snapshot) {
        var closed = new ArrayList<Incident>();
        for (Incident incident : snapshot.incidents()) {
            if (!incident.isOpen() && PageTimes.day(startOf(incident)).equals(day)) closed.add(incident);
        }
        closed.sort(LATEST_START_FIRST);
        return closed;
    }

    /** The day an entry belongs to: when the incident started, or when the maintenance was scheduled to. */
    private static Instant startOf(Incident incident) {
        Instant start = incident.isMaintenance() ? incident.scheduledFor() : incident.startedAt();
        return start != null ? start : incident.createdAt();
    }
}
