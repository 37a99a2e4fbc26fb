package dev.valence.status;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.http.PageLook;
import dev.valence.status.model.Incident;
import dev.valence.status.model.Snapshot;
import dev.valence.status.snapshot.SnapshotKeeper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the embedding platform answers while it cannot serve, as far as the status page is concerned: the open
 * incident (for its JSON answer) and the whole page a browser gets, in the status page's look (serve it with
 * {@link #contentSecurityPolicy()}): one plain sentence about what is going on, since when, the open incident as the
 * status page shows it, and links there. Everything comes from the page's last snapshot in memory, so it is served the
 * same with the database gone. The sentence and the reason code are the platform's; the reason code appears only in a
 * {@code <meta>} tag, for operators.
 */
public final class FallbackPage {

    static final String TITLE = "Service unavailable";

    private final SnapshotKeeper keeper;
    private final String pageUrl;

    FallbackPage(SnapshotKeeper keeper, String pageUrl) {
        this.keeper = keeper;
        this.pageUrl = pageUrl;
    }

    /** The status page's own {@code Content-Security-Policy}, which allows the page's inline style sheet by its hash. */
    public static String contentSecurityPolicy() {
        return PageLook.contentSecurityPolicy();
    }

    /**
     * The incident to show: the open one opened automatically under {@code automationKey}, else the first open one;
     * empty when none is open or the page has not read its data yet.
     */
    public Optional<OpenIncident> openIncident(String automationKey) {
        return shown(automationKey).map(s -> s.open(pageUrl));
    }

    /**
     * The page a browser gets.
     *
     * @param reasonCode the platform's machine reason, for operators (a {@code <meta>} tag)
     * @param sentence what a visitor is told, in plain words
     * @param since when the platform stopped answering, or null when unknown
     * @param automationKey which open incident to prefer (see {@link #openIncident})
     */
    public String render(String reasonCode, String sentence, Instant since, String automationKey, Instant now) {
        String statusPage = HtmlEscape.escape(pageUrl);
        var out = new StringBuilder(16 * 1024);
        out.append(PageLook.head(TITLE, "<meta name=\"valence-fallback-reason\" content=\"" + HtmlEscape.escape(reasonCode) + "\">\n"))
                .append("<body>\n<header class=\"site-header\">\n<div class=\"wrap\">\n<h1>").append(TITLE).append("</h1>\n")
                .append("<nav aria-label=\"Status\"><a href=\"").append(statusPage).append("\">Status page</a></nav>\n")
                .append("</div>\n</header>\n<main id=\"main\" class=\"wrap\">\n")
                .append(PageLook.outageBanner(sentence));
        if (since != null) out.append("<p class=\"updated\">Unavailable since ").append(PageLook.time(since, now)).append("</p>\n");
        Optional<Shown> shown = shown(automationKey);
        if (shown.isPresent()) {
            Incident incident = shown.get().incident();
            out.append("<section aria-labelledby=\"incident-title\">\n<h2 id=\"incident-title\">Current incident</h2>\n")
                    .append(PageLook.incident(incident, shown.get().snapshot(), now, 3))
                    .append("<p><a href=\"").append(HtmlEscape.escape(incidentUrl(pageUrl, incident))).append("\">")
                    .append("Follow this incident on the status page</a></p>\n</section>\n");
        } else {
            out.append("<section>\n<p>Follow updates on the <a href=\"").append(statusPage).append("\">status page</a>.</p>\n</section>\n");
        }
        out.append("</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>Times are in UTC.</p>\n</div>\n</footer>\n")
                .append("</body>\n</html>\n");
        return out.toString();
    }

    /** An incident and the snapshot it was read from (its components' names come from there). */
    private record Shown(Incident incident, Snapshot snapshot) {
        OpenIncident open(String pageUrl) {
            return new OpenIncident(incident.id(), incident.name(), incident.status().wire(), incident.impact().wire(),
                    incidentUrl(pageUrl, incident), incident.updates().stream()
                            .map(u -> new OpenIncident.Update(u.displayAt(), u.status().wire(), u.body())).toList());
        }
    }

    private Optional<Shown> shown(String automationKey) {
        SnapshotKeeper.View view = keeper.view();
        if (view == null) return Optional.empty();
        List<Incident> open = view.snapshot().unresolvedIncidents();
        return open.stream().filter(i -> automationKey.equals(i.automationKey())).findFirst()
                .or(() -> open.stream().findFirst())
                .map(i -> new Shown(i, view.snapshot()));
    }

    /** The incident's shortlink on the status page (it leads to the incident's card there). */
    private static String incidentUrl(String pageUrl, Incident incident) {
        return pageUrl + (pageUrl.endsWith("/") ? "" : "/") + "incidents/" + incident.id();
    }
}
