package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.model.Indicator;
import dev.valence.status.model.Snapshot;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * The status page as one self-contained HTML document: no external requests, complete without JavaScript,
 * light and dark from the operating system's setting, every status shown as colour, icon and text.
 * A small inline script listens to {@value #STREAM_PATH} and swaps in a fresh {@code <main>} on every event.
 * Serve it with {@link #contentSecurityPolicy()} so that only the page's own style and script can run.
 */
public final class HtmlPage {

    /** The server-sent-events stream the page's script subscribes to. */
    public static final String STREAM_PATH = "/api/v2/stream";

    /**
     * @param pageUrl the page's public address (canonical link and feed links)
     * @param stale true when the snapshot is the last one read because the database cannot be reached now
     * @param notice a short operator banner, such as a deploy in progress; null for none
     * @param now the time relative times ("5 minutes ago") and the past-incident days count from
     */
    public record Options(String pageUrl, boolean stale, String notice, Instant now) {
        public Options {
            Objects.requireNonNull(pageUrl, "HtmlPage.Options.pageUrl must be the page's public URL, such as http://localhost:8081; got null");
            Objects.requireNonNull(now, "HtmlPage.Options.now must be set; got null");
        }
    }

    private final IncidentSections incidents;

    /** @param renderBody turns an update body (Markdown) into HTML that is safe to insert as is: it must escape or sanitise */
    public HtmlPage(Function<String, String> renderBody) {
        this.incidents = new IncidentSections(new IncidentView(Objects.requireNonNull(renderBody, "renderBody")));
    }

    /** The value for the page's {@code Content-Security-Policy} header: the inline style and script by hash, nothing else. */
    public static String contentSecurityPolicy() {
        return PageAssets.CONTENT_SECURITY_POLICY;
    }

    public String render(Snapshot snapshot, Options options) {
        var out = new StringBuilder(64 * 1024);
        String name = HtmlEscape.escape(snapshot.page().name());
        head(out, snapshot, options, name);
        out.append("<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
                .append("<header class=\"site-header\">\n<div class=\"wrap\">\n<h1>").append(name).append("</h1>\n")
                .append("<nav aria-label=\"Subscribe\"><a href=\"/history.atom\">Atom feed</a> <a href=\"/history.rss\">RSS feed</a></nav>\n")
                .append("</div>\n</header>\n<div id=\"live\" class=\"vh\" aria-live=\"polite\"></div>\n")
                .append("<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");
        notices(out, snapshot, options);
        overall(out, snapshot, options.now());
        incidents.active(out, snapshot, options.now());
        incidents.maintenance(out, snapshot, options.now());
        ComponentList.render(out, snapshot);
        incidents.history(out, snapshot, options.now());
        out.append("</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>Times are in UTC. Powered by Valence.</p>\n")
                .append("<nav aria-label=\"Machine-readable status\"><a href=\"/api/v2/summary.json\">JSON API</a> ")
                .append("<a href=\"/history.atom\">Atom</a> <a href=\"/history.rss\">RSS</a></nav>\n</div>\n</footer>\n")
                .append("<script>").append(PageAssets.SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void head(StringBuilder out, Snapshot snapshot, Options options, String name) {
        String base = options.pageUrl().endsWith("/") ? options.pageUrl().substring(0, options.pageUrl().length() - 1) : options.pageUrl();
        String url = HtmlEscape.escape(base);
        out.append("<!DOCTYPE html>\n<html lang=\"en\" data-stream=\"").append(STREAM_PATH).append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"color-scheme\" content=\"light dark\">\n")
                .append("<title>").append(name).append(" status: ").append(HtmlEscape.escape(snapshot.description())).append("</title>\n")
                .append("<meta name=\"description\" content=\"Current status, incidents and maintenance of ").append(name).append(".\">\n")
                .append("<link rel=\"canonical\" href=\"").append(url).append("/\">\n")
                .append("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"").append(name).append(" status history (Atom)\" href=\"")
                .append(url).append("/history.atom\">\n")
                .append("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"").append(name).append(" status history (RSS)\" href=\"")
                .append(url).append("/history.rss\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n<style>").append(PageAssets.CSS).append("</style>\n</head>\n");
    }

    private static void notices(StringBuilder out, Snapshot snapshot, Options options) {
        if (options.stale()) {
            out.append("<p class=\"notice notice-stale\" role=\"status\">").append(StatusTone.MAJOR.icon())
                    .append("<span>Showing the status as of ").append(PageTimes.time(snapshot.takenAt(), options.now()))
                    .append(". The status database cannot be reached right now, so newer changes may be missing.</span></p>\n");
        }
        if (options.notice() != null && !options.notice().isBlank()) {
            out.append("<p class=\"notice notice-info\" role=\"status\">").append(StatusTone.NEUTRAL.icon())
                    .append("<span>").append(HtmlEscape.escape(options.notice())).append("</span></p>\n");
        }
    }

    private static void overall(StringBuilder out, Snapshot snapshot, Instant now) {
        String description = snapshot.description();
        StatusTone tone = StatusTone.of(snapshot.indicator(), description.equals(Indicator.MAINTENANCE_DESCRIPTION));
        out.append("<section class=\"banner banner-").append(tone.css()).append("\" aria-labelledby=\"status-title\">\n")
                .append("<h2 id=\"status-title\">").append(tone.icon()).append(HtmlEscape.escape(description)).append("</h2>\n</section>\n")
                .append("<p class=\"updated\">Last updated ").append(PageTimes.time(snapshot.takenAt(), now)).append("</p>\n");
    }
}
