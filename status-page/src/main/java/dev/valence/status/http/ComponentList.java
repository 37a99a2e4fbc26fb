package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.model.Component;
import dev.valence.status.ComponentStatus;
import dev.valence.status.model.Snapshot;
import dev.valence.status.model.UptimeDay;
import java.util.ArrayList;
import java.util.List;

/**
 * The components section: top-level components and groups in position order, a group listing its children,
 * each with its status and (for anything that is not a group) its uptime bar.
 */
final class ComponentList {

    private ComponentList() {}

    static void render(StringBuilder out, Snapshot snapshot) {
        out.append("<section aria-labelledby=\"components-title\">\n<h2 id=\"components-title\">Components</h2>\n");
        List<Component> top = topLevel(snapshot);
        if (top.isEmpty()) {
            out.append("<p class=\"quiet\">No components are listed yet.</p>\n</section>\n");
            return;
        }
        int barDays = snapshot.uptime().values().stream().mapToInt(List::size).max().orElse(0);
        if (barDays > 0) {
            out.append("<p class=\"hint\">Uptime over the past ").append(barDays).append(" days, one block per day (UTC).</p>\n");
        }
        out.append("<ul class=\"components\">\n");
        for (Component c : top) {
            if (c.group()) group(out, c, snapshot);
            else component(out, c, snapshot);
        }
        out.append("</ul>\n</section>\n");
    }

    /** Groups and ungrouped components that are shown; a group whose children are all hidden is hidden too. */
    private static List<Component> topLevel(Snapshot snapshot) {
        var top = new ArrayList<Component>();
        for (Component c : snapshot.components()) {
            boolean inKnownGroup = c.groupId() != null && snapshot.component(c.groupId()).map(Component::group).orElse(false);
            if (inKnownGroup || !shown(c)) continue;
            if (c.group() && children(c, snapshot).isEmpty()) continue;
            top.add(c);
        }
        return top;
    }

    private static List<Component> children(Component group, Snapshot snapshot) {
        var children = new ArrayList<Component>();
        for (String id : group.children()) {
            snapshot.component(id).filter(c -> !c.group() && shown(c)).ifPresent(children::add);
        }
        return children;
    }

    /** Statuspage's "only show if degraded": hidden while operational, shown in any other status. */
    private static boolean shown(Component c) {
        return !(c.onlyShowIfDegraded() && c.status() == ComponentStatus.OPERATIONAL);
    }

    private static void group(StringBuilder out, Component group, Snapshot snapshot) {
        out.append("<li class=\"component group\">\n<div class=\"row\"><h3 class=\"name\">").append(HtmlEscape.escape(group.name()))
                .append("</h3> ").append(status(group)).append("</div>\n");
        description(out, group);
        out.append("<ul class=\"children\" aria-label=\"").append(HtmlEscape.escape(group.name())).append(" components\">\n");
        for (Component child : children(group, snapshot)) component(out, child, snapshot);
        out.append("</ul>\n</li>\n");
    }

    private static void component(StringBuilder out, Component c, Snapshot snapshot) {
        out.append("<li class=\"component\">\n<div class=\"row\"><span class=\"name\">").append(HtmlEscape.escape(c.name()))
                .append("</span> ").append(status(c)).append("</div>\n");
        description(out, c);
        List<UptimeDay> days = snapshot.uptime().get(c.id());
        if (days != null && !days.isEmpty()) UptimeBar.render(out, c.name(), days);
        out.append("</li>\n");
    }

    private static String status(Component c) {
        return StatusTone.of(c.status()).badge(c.status().label());
    }

    private static void description(StringBuilder out, Component c) {
        if (c.description() == null || c.description().isBlank()) return;
        out.append("<p class=\"desc\">").append(HtmlEscape.escape(c.description())).append("</p>\n");
    }
}
