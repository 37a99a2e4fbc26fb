package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.Impact;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** One incident or maintenance: name, impact or maintenance status, affected components, window, and its updates. */
final class IncidentView {

    private static final Comparator<IncidentUpdate> NEWEST_FIRST = Comparator.comparing(IncidentView::shownAt).reversed();

    private final Function<String, String> renderBody;

    /** @param renderBody turns an update's Markdown into HTML that is already safe to insert as is */
    IncidentView(Function<String, String> renderBody) {
        this.renderBody = renderBody;
    }

    /** @param level the heading level of the incident's name, under the section's own heading */
    void render(StringBuilder out, Incident incident, Snapshot snapshot, Instant now, int level) {
        StatusTone tone = incident.isMaintenance() ? StatusTone.MAINTENANCE : StatusTone.of(incident.impact());
        // the id is the target of the shortlinks in the JSON and the feeds (/incidents/{id} redirects here)
        out.append("<article id=\"incident-").append(HtmlEscape.escape(incident.id())).append("\" class=\"incident edge-")
                .append(tone.css()).append("\">\n<h").append(level).append(" class=\"incident-name\">")
                .append(HtmlEscape.escape(incident.name())).append("</h").append(level).append(">\n<p class=\"meta\">")
                .append(tone.badge(incident.isMaintenance() ? incident.status().label() : impactLabel(incident.impact())));
        List<String> affected = affected(incident, snapshot);
        if (!affected.isEmpty()) {
            out.append(" <span class=\"affects\">Affects ").append(HtmlEscape.escape(String.join(", ", affected))).append("</span>");
        }
        out.append("</p>\n");
        if (incident.isMaintenance() && incident.scheduledFor() != null) window(out, incident, now);
        timeline(out, incident.updates(), now);
        out.append("</article>\n");
    }

    private static String impactLabel(Impact impact) {
        return switch (impact) {
            case NONE -> "No impact";
            case MINOR -> "Minor impact";
            case MAJOR -> "Major impact";
            case CRITICAL -> "Critical impact";
            case MAINTENANCE -> "Maintenance";
        };
    }

    private static List<String> affected(Incident incident, Snapshot snapshot) {
        var names = new ArrayList<String>();
        for (String id : incident.componentIds()) snapshot.component(id).ifPresent(c -> names.add(c.name()));
        return names;
    }

    private static void window(StringBuilder out, Incident m, Instant now) {
        out.append("<p class=\"window\">Scheduled for ").append(PageTimes.window(m.scheduledFor(), m.scheduledUntil()));
        String when = null;
        if (m.status() == IncidentStatus.SCHEDULED) {
            when = m.scheduledFor().isAfter(now) ? "starts " + PageTimes.relative(m.scheduledFor(), now) : "due to start";
        } else if (m.status().isActiveMaintenance() && m.scheduledUntil() != null) {
            when = m.scheduledUntil().isAfter(now) ? "ends " + PageTimes.relative(m.scheduledUntil(), now)
                    : "was due to end " + PageTimes.relative(m.scheduledUntil(), now);
        }
        if (when != null) out.append(" <span class=\"ago\">(").append(when).append(")</span>");
        out.append("</p>\n");
    }

    private void timeline(StringBuilder out, List<IncidentUpdate> updates, Instant now) {
        if (updates.isEmpty()) return;
        out.append("<ol class=\"timeline\" aria-label=\"Updates, newest first\">\n");
        for (IncidentUpdate update : updates.stream().sorted(NEWEST_FIRST).toList()) {
            out.append("<li class=\"update\">\n<p class=\"update-head\"><strong class=\"update-status\">")
                    .append(HtmlEscape.escape(update.status().label())).append("</strong> ")
                    .append(PageTimes.time(shownAt(update), now)).append("</p>\n");
            if (update.body() != null && !update.body().isBlank()) {
                out.append("<div class=\"update-body\">").append(renderBody.apply(update.body())).append("</div>\n");
            }
            out.append("</li>\n");
        }
        out.append("</ol>\n");
    }

    /** Statuspage's display_at lets an operator backdate an update; without one, when it was posted. */
    private static Instant shownAt(IncidentUpdate update) {
        return update.displayAt() != null ? update.displayAt() : update.createdAt();
    }
}
