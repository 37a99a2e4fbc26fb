package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.model.Incident;
import dev.valence.status.model.Snapshot;
import java.time.Instant;
import java.util.Objects;

/**
 * The status page's look for the platform's other pages ({@link dev.valence.status.FallbackPage}, which the runtime
 * serves while it cannot serve a val), so that a visitor sees one design from the outage page to the status page it
 * links to: the same style sheet, allowed by the same Content-Security-Policy, the same human times and the same
 * incident card. The style sheet has one source, {@code status-page.css} next to {@link PageAssets}; nothing here
 * copies it.
 */
public final class PageLook {

    private static final IncidentView INCIDENTS = new IncidentView(Markdown::toSafeHtml);

    private PageLook() {}

    /** The status page's own {@code Content-Security-Policy}: a page whose head is {@link #head} must be served with it. */
    public static String contentSecurityPolicy() {
        return PageAssets.CONTENT_SECURITY_POLICY;
    }

    /**
     * {@code <!DOCTYPE html>} to {@code </head>}: charset, viewport, both colour schemes, the title, and the style
     * sheet inline (byte for byte what {@link #contentSecurityPolicy()} allows by hash).
     *
     * @param extraHead more elements for the head, already safe to insert (such as {@code <meta>} tags); may be empty
     */
    public static String head(String title, String extraHead) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"color-scheme\" content=\"light dark\">\n"
                + "<title>" + HtmlEscape.escape(title) + "</title>\n" + Objects.requireNonNullElse(extraHead, "")
                + "<link rel=\"icon\" href=\"data:,\">\n<style>" + PageAssets.CSS + "</style>\n</head>\n";
    }

    /** The page's headline banner in the colour of a major outage, with its icon; {@code text} is escaped. */
    public static String outageBanner(String text) {
        StatusTone tone = StatusTone.MAJOR;
        return "<section class=\"banner banner-" + tone.css() + "\" aria-labelledby=\"status-title\">\n<h2 id=\"status-title\">"
                + tone.icon() + HtmlEscape.escape(text) + "</h2>\n</section>\n";
    }

    /** A time as the status page shows it: {@code Nov 26, 2026, 14:05 UTC (5 minutes ago)}, in a {@code <time>} element. */
    public static String time(Instant at, Instant now) {
        return PageTimes.time(at, now);
    }

    /**
     * An incident as the status page shows it: its name as a heading of {@code level}, its impact and affected
     * components, then its public updates newest first with their times, bodies rendered from Markdown safely.
     */
    public static String incident(Incident incident, Snapshot snapshot, Instant now, int level) {
        var out = new StringBuilder(2048);
        INCIDENTS.render(out, incident, snapshot, now, level);
        return out.toString();
    }
}
