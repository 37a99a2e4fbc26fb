package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.ComponentStatus;
import dev.valence.status.model.UptimeDay;
import java.util.List;
import java.util.Locale;

/**
 * A component's uptime bar: one block per day, oldest first, coloured by the day's worst status, each with its
 * own text ("Nov 26: 99.95% operational") for screen readers and as a tooltip, and the period's uptime in words.
 */
final class UptimeBar {

    private UptimeBar() {}

    static void render(StringBuilder out, String componentName, List<UptimeDay> days) {
        String name = HtmlEscape.escape(componentName);
        out.append("<div class=\"uptime\">\n<ol class=\"bar\" aria-label=\"Uptime of ").append(name).append(", last ")
                .append(days.size()).append(" days\">");
        for (UptimeDay day : days) {
            String text = HtmlEscape.escape(dayText(day));
            out.append("<li class=\"d-").append(tone(day)).append("\" title=\"").append(text).append("\"><span class=\"vh\">")
                    .append(text).append("</span></li>");
        }
        out.append("</ol>\n<p class=\"bar-legend\"><span>").append(days.size()).append(" days ago</span> <span class=\"uptime-total\">")
                .append(total(days)).append("</span> <span>Today</span></p>\n</div>\n");
    }

    /** "Nov 26: 99.95% operational", "Nov 26: 97.50% operational (worst: Partial Outage)" or "Nov 26: no data". */
    static String dayText(UptimeDay day) {
        String date = PageTimes.shortDay(day.day());
        if (day.operationalShare() < 0) return date + ": no data";
        String text = date + ": " + percent(day.operationalShare()) + " operational";
        if (day.worst() != null && day.worst() != ComponentStatus.OPERATIONAL) text += " (worst: " + day.worst().label() + ")";
        return text;
    }

    /** "99.95% uptime": the mean over the days that have data, each day counting once; "No data" when none has. */
    static String total(List<UptimeDay> days) {
        double sum = 0;
        int known = 0;
        for (UptimeDay day : days) {
            if (day.operationalShare() < 0) continue;
            sum += day.operationalShare();
            known++;
        }
        return known == 0 ? "No data" : percent(sum / known) + " uptime";
    }

    /**
     * Two decimals, rounded down so that a day with any outage never reads 100%; the tiny epsilon keeps binary
     * fractions such as 0.9995 (stored as 0.99949999...) from losing a hundredth.
     */
    static String percent(double share) {
        double hundredths = Math.floor(share * 10_000 + 1e-6);
        if (hundredths >= 10_000) return "100%";
        return String.format(Locale.ROOT, "%.2f%%", hundredths / 100);
    }

    private static String tone(UptimeDay day) {
        if (day.operationalShare() < 0 || day.worst() == null) return "none";
        return StatusTone.of(day.worst()).css();
    }
}
