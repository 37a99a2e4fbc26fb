package dev.valence.status.http;

import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Snapshot;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The incident history as feeds, like Statuspage's {@code /history.atom} (RFC 4287) and {@code /history.rss}
 * (RSS 2.0): one entry per incident and per scheduled maintenance in the snapshot, in the snapshot's order
 * (newest first), each entry's HTML listing every update newest first.
 */
public final class Feeds {
    private static final String ATOM_NS = "http://www.w3.org/2005/Atom";
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_INSTANT;
    private static final DateTimeFormatter RFC_822 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UPDATE_TIME =
            DateTimeFormatter.ofPattern("MMM d, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WINDOW_DAY_TIME =
            DateTimeFormatter.ofPattern("MMM d, HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WINDOW_TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private Feeds() {}

    /** The history as an Atom 1.0 document; {@code pageUrl} is the page's public address, ending in '/'. */
    public static String atom(Snapshot snapshot, String pageUrl) {
        requireTrailingSlash(pageUrl);
        return document(xml -> {
            xml.setDefaultNamespace(ATOM_NS);
            xml.writeStartElement("feed");
            xml.writeDefaultNamespace(ATOM_NS);
            element(xml, "id", pageUrl + "history.atom");
            element(xml, "title", title(snapshot));
            link(xml, "alternate", "text/html", pageUrl);
            link(xml, "self", "application/atom+xml", pageUrl + "history.atom");
            element(xml, "updated", RFC_3339.format(updatedAt(snapshot)));
            xml.writeStartElement("author");
            element(xml, "name", snapshot.page().name());
            element(xml, "uri", pageUrl);
            xml.writeEndElement();
            for (Incident incident : snapshot.incidents()) {
                String url = incidentUrl(pageUrl, incident);
                xml.writeStartElement("entry");
                element(xml, "id", url);
                element(xml, "title", incident.name());
                link(xml, "alternate", "text/html", url);
                element(xml, "published", RFC_3339.format(incident.createdAt()));
                element(xml, "updated", RFC_3339.format(incident.updatedAt()));
                xml.writeStartElement("content");
                xml.writeAttribute("type", "html");
                xml.writeCharacters(xmlText(contentHtml(incident)));
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();
        });
    }

    /** The history as an RSS 2.0 document; {@code pageUrl} is the page's public address, ending in '/'. */
    public static String rss(Snapshot snapshot, String pageUrl) {
        requireTrailingSlash(pageUrl);
        return document(xml -> {
            xml.writeStartElement("rss");
            xml.writeAttribute("version", "2.0");
            xml.writeNamespace("atom", ATOM_NS);
            xml.writeStartElement("channel");
            element(xml, "title", title(snapshot));
            element(xml, "link", pageUrl);
            element(xml, "description", "Incidents and scheduled maintenance on the " + snapshot.page().name() + " status page");
            // RSS has no self link of its own; feed validators ask for Atom's.
            xml.writeEmptyElement("atom", "link", ATOM_NS);
            xml.writeAttribute("href", xmlText(pageUrl + "history.rss"));
            xml.writeAttribute("rel", "self");
            xml.writeAttribute("type", "application/rss+xml");
            element(xml, "lastBuildDate", RFC_822.format(updatedAt(snapshot)));
            for (Incident incident : snapshot.incidents()) {
                String url = incidentUrl(pageUrl, incident);
                xml.writeStartElement("item");
                element(xml, "title", incident.name());
                element(xml, "link", url);
                xml.writeStartElement("guid");
                xml.writeAttribute("isPermaLink", "true");
                xml.writeCharacters(xmlText(url));
                xml.writeEndElement();
                element(xml, "pubDate", RFC_822.format(incident.updatedAt()));
                element(xml, "description", contentHtml(incident));
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    /**
     * The entry's HTML: for maintenance the scheduled window first, then every update newest first as
     * {@code <p><small>date</small><br><strong>Status</strong> - body</p>}, as Statuspage writes them.
     */
    static String contentHtml(Incident incident) {
        var html = new StringBuilder();
        if (incident.isMaintenance()) {
            html.append("<p><strong>Scheduled maintenance: ").append(window(incident)).append("</strong></p>\n");
        }
        var newestFirst = incident.updates().stream().sorted(Comparator.comparing(IncidentUpdate::displayAt).reversed());
        for (IncidentUpdate update : newestFirst.toList()) {
            html.append("<p><small>").append(UPDATE_TIME.format(update.displayAt())).append("</small><br><strong>")
                    .append(update.status().label()).append("</strong>");
            String body = Markdown.toSafeHtml(update.body());
            // Paragraphs cannot nest: a body's first paragraph carries on the update's own paragraph, and a body
            // that opens with another block (a list, code) follows the closed header instead.
            if (body.startsWith("<p>")) html.append(" - ").append(body, "<p>".length(), body.length());
            else html.append("</p>\n").append(body);
        }
        return html.toString();
    }

    /** "Nov 27, 02:00 - 04:00 UTC", the end's day shown only when it differs from the start's. */
    private static String window(Incident maintenance) {
        Instant from = maintenance.scheduledFor();
        Instant until = maintenance.scheduledUntil();
        if (until == null) return WINDOW_DAY_TIME.format(from) + " UTC";
        boolean sameDay = from.atZone(ZoneOffset.UTC).toLocalDate().equals(until.atZone(ZoneOffset.UTC).toLocalDate());
        return WINDOW_DAY_TIME.format(from) + " - " + (sameDay ? WINDOW_TIME : WINDOW_DAY_TIME).format(until) + " UTC";
    }

    private static String title(Snapshot snapshot) {
        return snapshot.page().name() + " Status - Incident History";
    }

    private static String incidentUrl(String pageUrl, Incident incident) {
        return pageUrl + "incidents/" + incident.id();
    }

    /** The newest change to any incident, so the feed's date moves only when its entries do. */
    private static Instant updatedAt(Snapshot snapshot) {
        return snapshot.incidents().stream().map(Incident::updatedAt).max(Comparator.naturalOrder())
                .orElse(snapshot.takenAt());
    }

    private static void requireTrailingSlash(String pageUrl) {
        if (!pageUrl.endsWith("/")) {
            throw new IllegalArgumentException("pageUrl must end with '/' so incident paths can be appended to it; got '"
                    + pageUrl + "'");
        }
    }

    @FunctionalInterface
    private interface Content {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    private static String document(Content content) {
        var out = new StringWriter();
        try {
            // The JDK's own writer, not whichever StAX implementation happens to be on the class path.
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            content.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing a feed into memory failed", e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(xmlText(text));
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, String rel, String type, String href) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("type", type);
        xml.writeAttribute("href", xmlText(href));
    }

    /**
     * The writer escapes markup but passes through characters XML 1.0 forbids (most control characters, lone
     * surrogates); one such character in one update body would make the whole feed unreadable, so each becomes
     * U+FFFD.
     */
    static String xmlText(String text) {
        var clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> clean.appendCodePoint(isXmlChar(c) ? c : 0xFFFD));
        return clean.toString();
    }

    private static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
