package dev.valence.runtime.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.http.PageLook;
import dev.valence.status.model.Incident;
import dev.valence.status.model.Snapshot;
import java.time.Instant;

/**
 * The fallback as a val's visitors see it, in the status page's look ({@link PageLook}; serve it with
 * {@link PageLook#contentSecurityPolicy()}): one plain sentence about what is going on, since when, the open incident
 * as the status page shows it, and links there. Versions, levels and reason codes are for operators: they get them
 * in the JSON answer and the {@value Fallback#REASON_HEADER} header, and here only in a {@code <meta>} tag.
 */
final class FallbackPage {

    static final String TITLE = "Service unavailable";

    private FallbackPage() {}

    /** What a visitor is told for a reason code: what is true, and a promise to come back only where one is kept. */
    static String sentence(String reasonCode) {
        return switch (reasonCode) {
            case "starting" -> "This service is starting up and will answer in a few seconds.";
            // new code waits for its migrations, which a deploy applies next
            case "schema_too_old" -> "This service is in the middle of an update and will answer again as soon as the update is finished.";
            // only a deploy of newer code ends this: nothing here comes back by waiting
            case "schema_too_new" -> "This service is unavailable until its operators finish deploying an update.";
            case "failed_migration" -> "An update to this service failed, and it is unavailable until its operators repair it.";
            case "database_unreachable" -> "This service cannot reach its database and will answer again as soon as the connection is back.";
            case "query_failed" -> "This service ran into a problem with its database and cannot answer right now.";
            default -> "This service cannot answer right now.";
        };
    }

    /**
     * @param since when the service stopped answering, or null when unknown
     * @param incident the open incident to show, or null for none
     * @param snapshot the status data the incident comes from (its components' names), or null with no incident
     */
    static String render(String reasonCode, String statusPageUrl, Instant since, Incident incident, Snapshot snapshot, Instant now) {
        String statusPage = HtmlEscape.escape(statusPageUrl);
        var out = new StringBuilder(16 * 1024);
        out.append(PageLook.head(TITLE, "<meta name=\"valence-fallback-reason\" content=\"" + HtmlEscape.escape(reasonCode) + "\">\n"))
                .append("<body>\n<header class=\"site-header\">\n<div class=\"wrap\">\n<h1>").append(TITLE).append("</h1>\n")
                .append("<nav aria-label=\"Status\"><a href=\"").append(statusPage).append("\">Status page</a></nav>\n")
                .append("</div>\n</header>\n<main id=\"main\" class=\"wrap\">\n")
                .append(PageLook.outageBanner(sentence(reasonCode)));
        if (since != null) out.append("<p class=\"updated\">Unavailable since ").append(PageLook.time(since, now)).append("</p>\n");
        if (incident != null) {
            out.append("<section aria-labelledby=\"incident-title\">\n<h2 id=\"incident-title\">Current incident</h2>\n")
                    .append(PageLook.incident(incident, snapshot, now, 3))
                    .append("<p><a href=\"").append(HtmlEscape.escape(incidentUrl(statusPageUrl, incident))).append("\">")
                    .append("Follow this incident on the status page</a></p>\n</section>\n");
        } else {
            out.append("<section>\n<p>Follow updates on the <a href=\"").append(statusPage).append("\">status page</a>.</p>\n</section>\n");
        }
        out.append("</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>Times are in UTC.</p>\n</div>\n</footer>\n")
                .append("</body>\n</html>\n");
        return out.toString();
    }

    /** The incident's shortlink on the status page (it leads to the incident's card there). */
    static String incidentUrl(String statusPageUrl, Incident incident) {
        return statusPageUrl + (statusPageUrl.endsWith("/") ? "" : "/") + "incidents/" + incident.id();
    }
}
