package dev.valence.status.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import dev.valence.status.Impact;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.IncidentUpdate;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedsTest {
    private static final String PAGE_URL = "https://status.example.com/";
    private static final String PAGE_NAME = "Acme \"Cloud\" & Co's";
    private static final String HOSTILE_NAME = "Errors on <script>alert(1)</script> & \" '";
    private static final Instant TAKEN_AT = Instant.parse("2026-11-27T08:00:00Z");
    private static final Page PAGE = new Page("page00000001", PAGE_NAME, PAGE_URL, "UTC", Instant.parse("2026-01-01T00:00:00Z"));

    private static final Incident OPEN = incident("open00000001", IncidentStatus.Kind.INCIDENT, HOSTILE_NAME,
            IncidentStatus.INVESTIGATING, Impact.MAJOR, "2026-11-26T23:00:00Z", "2026-11-26T23:12:49Z", null, null,
            update("open00000001", IncidentStatus.INVESTIGATING, "2026-11-26T23:12:49Z",
                    "Looking into <script>alert(1)</script> & \" '"));

    private static final Incident RESOLVED = incident("resolved0001", IncidentStatus.Kind.INCIDENT, "Database failover",
            IncidentStatus.RESOLVED, Impact.MINOR, "2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z", null, null,
            update("resolved0001", IncidentStatus.RESOLVED, "2026-11-20T11:30:00Z", "This incident has been resolved."),
            update("resolved0001", IncidentStatus.MONITORING, "2026-11-20T10:45:00Z",
                    "A fix has been deployed; we are **monitoring**."),
            update("resolved0001", IncidentStatus.INVESTIGATING, "2026-11-20T10:05:00Z",
                    "We are investigating `db-1` replication lag."));

    private static final Incident MAINTENANCE = incident("maint0000001", IncidentStatus.Kind.MAINTENANCE,
            "Database upgrade", IncidentStatus.COMPLETED, Impact.MAINTENANCE, "2026-11-10T09:00:00Z",
            "2026-11-15T04:01:00Z", "2026-11-15T02:00:00Z", "2026-11-15T04:00:00Z",
            update("maint0000001", IncidentStatus.COMPLETED, "2026-11-15T04:01:00Z",
                    "The scheduled maintenance has been completed."),
            update("maint0000001", IncidentStatus.IN_PROGRESS, "2026-11-15T02:00:00Z",
                    "Scheduled maintenance is currently in progress."),
            update("maint0000001", IncidentStatus.SCHEDULED, "2026-11-10T09:00:00Z", "We will be upgrading the database."));

    private static final Snapshot SNAPSHOT = snapshot(OPEN, RESOLVED, MAINTENANCE);

    private static final String OPEN_HTML = "<p><small>Nov 26, 23:12 UTC</small><br><strong>Investigating</strong> -"
            + " Looking into &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot; '</p>\n";
    private static final String RESOLVED_HTML = """
            <p><small>Nov 20, 11:30 UTC</small><br><strong>Resolved</strong> - This incident has been resolved.</p>
            <p><small>Nov 20, 10:45 UTC</small><br><strong>Monitoring</strong> - A fix has been deployed; we are <strong>monitoring</strong>.</p>
            <p><small>Nov 20, 10:05 UTC</small><br><strong>Investigating</strong> - We are investigating <code>db-1</code> replication lag.</p>
            """;
    private static final String MAINTENANCE_HTML = """
            <p><strong>Scheduled maintenance: Nov 15, 02:00 - 04:00 UTC</strong></p>
            <p><small>Nov 15, 04:01 UTC</small><br><strong>Completed</strong> - The scheduled maintenance has been completed.</p>
            <p><small>Nov 15, 02:00 UTC</small><br><strong>In progress</strong> - Scheduled maintenance is currently in progress.</p>
            <p><small>Nov 10, 09:00 UTC</small><br><strong>Scheduled</strong> - We will be upgrading the database.</p>
            """;

    // Atom

    @Test
    void atom_feed_is_atom_1_0_with_the_page_title_link_and_one_entry_per_incident_and_maintenance() throws Exception {
        SyndFeed feed = parse(Feeds.atom(SNAPSHOT, PAGE_URL));
        assertEquals("atom_1.0", feed.getFeedType());
        assertEquals(PAGE_NAME + " Status - Incident History", feed.getTitle());
        // ROME 2.1's getLink() prefers an Atom feed's self link, so the page link is checked among all links.
        assertEquals(List.of("alternate text/html " + PAGE_URL, "self application/atom+xml " + PAGE_URL + "history.atom"),
                feed.getLinks().stream().map(l -> l.getRel() + " " + l.getType() + " " + l.getHref()).toList());
        assertEquals(PAGE_URL + "history.atom", feed.getUri());
        assertEquals(PAGE_NAME, feed.getAuthors().getFirst().getName());
        assertEquals(3, feed.getEntries().size());
    }

    @Test
    void atom_feed_is_updated_when_its_newest_incident_was() throws Exception {
        SyndFeed feed = parse(Feeds.atom(SNAPSHOT, PAGE_URL));
        assertEquals(Instant.parse("2026-11-26T23:12:49Z"), feed.getPublishedDate().toInstant());
    }

    @Test
    void atom_entries_have_the_incident_names_links_and_ids_newest_first() throws Exception {
        List<SyndEntry> entries = parse(Feeds.atom(SNAPSHOT, PAGE_URL)).getEntries();
        assertEquals(List.of(HOSTILE_NAME, "Database failover", "Database upgrade"), entries.stream().map(SyndEntry::getTitle).toList());
        List<String> links = List.of(PAGE_URL + "incidents/open00000001", PAGE_URL + "incidents/resolved0001",
                PAGE_URL + "incidents/maint0000001");
        assertEquals(links, entries.stream().map(SyndEntry::getLink).toList());
        assertEquals(links, entries.stream().map(SyndEntry::getUri).toList());
    }

    @Test
    void atom_entries_are_dated_by_the_incidents_creation_and_last_update() throws Exception {
        List<SyndEntry> entries = parse(Feeds.atom(SNAPSHOT, PAGE_URL)).getEntries();
        assertEquals(List.of(Instant.parse("2026-11-26T23:12:49Z"), Instant.parse("2026-11-20T11:30:00Z"),
                Instant.parse("2026-11-15T04:01:00Z")), entries.stream().map(e -> e.getUpdatedDate().toInstant()).toList());
        assertEquals(List.of(Instant.parse("2026-11-26T23:00:00Z"), Instant.parse("2026-11-20T10:00:00Z"),
                Instant.parse("2026-11-10T09:00:00Z")), entries.stream().map(e -> e.getPublishedDate().toInstant()).toList());
    }

    @Test
    void atom_timestamps_are_rfc_3339_in_utc() {
        String xml = Feeds.atom(SNAPSHOT, PAGE_URL);
        assertTrue(xml.contains("<updated>2026-11-20T11:30:00Z</updated>"), xml);
        assertTrue(xml.contains("<published>2026-11-20T10:00:00Z</published>"), xml);
    }

    @Test
    void atom_entry_content_is_html_listing_every_update_newest_first() throws Exception {
        List<SyndEntry> entries = parse(Feeds.atom(SNAPSHOT, PAGE_URL)).getEntries();
        assertEquals("html", entries.get(1).getContents().getFirst().getType());
        assertEquals(List.of(OPEN_HTML, RESOLVED_HTML, MAINTENANCE_HTML),
                entries.stream().map(e -> e.getContents().getFirst().getValue()).toList());
    }

    // RSS

    @Test
    void rss_feed_is_rss_2_0_with_the_page_title_link_and_one_item_per_incident_and_maintenance() throws Exception {
        SyndFeed feed = parse(Feeds.rss(SNAPSHOT, PAGE_URL));
        assertEquals("rss_2.0", feed.getFeedType());
        assertEquals(PAGE_NAME + " Status - Incident History", feed.getTitle());
        assertEquals(PAGE_URL, feed.getLink());
        assertEquals("Incidents and scheduled maintenance on the " + PAGE_NAME + " status page", feed.getDescription());
        assertEquals(3, feed.getEntries().size());
    }

    @Test
    void rss_items_have_the_incident_names_links_and_permalink_guids_newest_first() throws Exception {
        List<SyndEntry> entries = parse(Feeds.rss(SNAPSHOT, PAGE_URL)).getEntries();
        assertEquals(List.of(HOSTILE_NAME, "Database failover", "Database upgrade"), entries.stream().map(SyndEntry::getTitle).toList());
        List<String> links = List.of(PAGE_URL + "incidents/open00000001", PAGE_URL + "incidents/resolved0001",
                PAGE_URL + "incidents/maint0000001");
        assertEquals(links, entries.stream().map(SyndEntry::getLink).toList());
        assertEquals(links, entries.stream().map(SyndEntry::getUri).toList());
    }

    @Test
    void rss_items_are_dated_by_the_incidents_last_update_in_rfc_822() throws Exception {
        String xml = Feeds.rss(SNAPSHOT, PAGE_URL);
        assertTrue(xml.contains("<pubDate>Fri, 20 Nov 2026 11:30:00 GMT</pubDate>"), xml);
        assertTrue(xml.contains("<lastBuildDate>Thu, 26 Nov 2026 23:12:49 GMT</lastBuildDate>"), xml);
        assertEquals(List.of(Instant.parse("2026-11-26T23:12:49Z"), Instant.parse("2026-11-20T11:30:00Z"),
                Instant.parse("2026-11-15T04:01:00Z")),
                parse(xml).getEntries().stream().map(e -> e.getPublishedDate().toInstant()).toList());
    }

    @Test
    void rss_item_description_is_html_listing_every_update_newest_first() throws Exception {
        List<SyndEntry> entries = parse(Feeds.rss(SNAPSHOT, PAGE_URL)).getEntries();
        assertEquals(List.of(OPEN_HTML, RESOLVED_HTML, MAINTENANCE_HTML),
                entries.stream().map(e -> e.getDescription().getValue()).toList());
    }

    @Test
    void the_resolved_incident_lists_its_three_update_bodies_newest_first_in_both_feeds() throws Exception {
        for (String xml : List.of(Feeds.atom(SNAPSHOT, PAGE_URL), Feeds.rss(SNAPSHOT, PAGE_URL))) {
            SyndEntry resolved = parse(xml).getEntries().get(1);
            String html = resolved.getContents().isEmpty() ? resolved.getDescription().getValue()
                    : resolved.getContents().getFirst().getValue();
            int resolvedAt = html.indexOf("This incident has been resolved.");
            int monitoringAt = html.indexOf("A fix has been deployed; we are <strong>monitoring</strong>.");
            int investigatingAt = html.indexOf("We are investigating <code>db-1</code> replication lag.");
            assertTrue(0 < resolvedAt && resolvedAt < monitoringAt && monitoringAt < investigatingAt, html);
        }
    }

    // Both

    @Test
    void both_feeds_are_utf_8_documents_with_an_xml_declaration() {
        for (String xml : List.of(Feeds.atom(SNAPSHOT, PAGE_URL), Feeds.rss(SNAPSHOT, PAGE_URL))) {
            assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), xml);
        }
    }

    @Test
    void hostile_names_and_bodies_are_escaped_in_both_feeds() throws Exception {
        for (String xml : List.of(Feeds.atom(SNAPSHOT, PAGE_URL), Feeds.rss(SNAPSHOT, PAGE_URL))) {
            assertFalse(xml.contains("<script>"), xml);
            assertTrue(xml.contains("<title>Errors on &lt;script&gt;alert(1)&lt;/script&gt; &amp; \" '</title>"), xml);
            // The body is HTML inside XML: escaped once by the Markdown renderer and once more by the XML writer.
            assertTrue(xml.contains("Looking into &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; &amp;quot; '"), xml);
            assertEquals(HOSTILE_NAME, parse(xml).getEntries().getFirst().getTitle());
        }
    }

    @Test
    void characters_xml_forbids_become_replacement_characters_instead_of_breaking_the_feed() throws Exception {
        Incident broken = incident("broken000001", IncidentStatus.Kind.INCIDENT, "Bell \u0007 here", IncidentStatus.RESOLVED,
                Impact.NONE, "2026-11-01T00:00:00Z", "2026-11-01T01:00:00Z", null, null,
                update("broken000001", IncidentStatus.RESOLVED, "2026-11-01T01:00:00Z", "nul \u0000 lone \uD800 ok \uD83D\uDE00"));
        for (String xml : List.of(Feeds.atom(snapshot(broken), PAGE_URL), Feeds.rss(snapshot(broken), PAGE_URL))) {
            SyndEntry entry = parse(xml).getEntries().getFirst();
            assertEquals("Bell \uFFFD here", entry.getTitle());
            String html = entry.getContents().isEmpty() ? entry.getDescription().getValue()
                    : entry.getContents().getFirst().getValue();
            assertEquals("<p><small>Nov 1, 01:00 UTC</small><br><strong>Resolved</strong> - nul \uFFFD lone \uFFFD ok \uD83D\uDE00</p>\n",
                    html);
        }
    }

    @Test
    void an_empty_snapshot_gives_valid_feeds_with_no_entries_dated_when_it_was_taken() throws Exception {
        SyndFeed atom = parse(Feeds.atom(snapshot(), PAGE_URL));
        assertEquals("atom_1.0", atom.getFeedType());
        assertEquals(0, atom.getEntries().size());
        assertEquals(TAKEN_AT, atom.getPublishedDate().toInstant());

        String rssXml = Feeds.rss(snapshot(), PAGE_URL);
        SyndFeed rss = parse(rssXml);
        assertEquals("rss_2.0", rss.getFeedType());
        assertEquals(0, rss.getEntries().size());
        assertTrue(rssXml.contains("<lastBuildDate>Fri, 27 Nov 2026 08:00:00 GMT</lastBuildDate>"), rssXml);
    }

    @Test
    void a_body_that_opens_with_a_list_follows_the_closed_update_header() {
        Incident listed = incident("listed000001", IncidentStatus.Kind.INCIDENT, "Two regions", IncidentStatus.IDENTIFIED,
                Impact.MINOR, "2026-11-02T00:00:00Z", "2026-11-02T00:30:00Z", null, null,
                update("listed000001", IncidentStatus.IDENTIFIED, "2026-11-02T00:30:00Z", "- eu-west\n- us-east\n\nBoth degraded."));
        assertEquals("<p><small>Nov 2, 00:30 UTC</small><br><strong>Identified</strong></p>\n"
                + "<ul>\n<li>eu-west</li>\n<li>us-east</li>\n</ul>\n<p>Both degraded.</p>\n", Feeds.contentHtml(listed));
    }

    @Test
    void updates_are_listed_newest_first_whatever_order_they_arrive_in() {
        Incident reversed = incident("reversed0001", IncidentStatus.Kind.INCIDENT, "Slow", IncidentStatus.RESOLVED,
                Impact.MINOR, "2026-11-03T00:00:00Z", "2026-11-03T02:00:00Z", null, null,
                update("reversed0001", IncidentStatus.INVESTIGATING, "2026-11-03T00:00:00Z", "first"),
                update("reversed0001", IncidentStatus.RESOLVED, "2026-11-03T02:00:00Z", "last"));
        assertEquals("<p><small>Nov 3, 02:00 UTC</small><br><strong>Resolved</strong> - last</p>\n"
                + "<p><small>Nov 3, 00:00 UTC</small><br><strong>Investigating</strong> - first</p>\n", Feeds.contentHtml(reversed));
    }

    @Test
    void a_maintenance_window_across_midnight_names_both_days() {
        Incident overnight = incident("overnight001", IncidentStatus.Kind.MAINTENANCE, "Overnight", IncidentStatus.SCHEDULED,
                Impact.MAINTENANCE, "2026-11-04T00:00:00Z", "2026-11-04T00:00:00Z", "2026-11-05T22:00:00Z",
                "2026-11-06T02:00:00Z");
        assertEquals("<p><strong>Scheduled maintenance: Nov 5, 22:00 - Nov 6, 02:00 UTC</strong></p>\n",
                Feeds.contentHtml(overnight));
    }

    @Test
    void a_page_url_without_a_trailing_slash_is_refused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Feeds.atom(SNAPSHOT, "https://status.example.com"));
        assertEquals("pageUrl must end with '/' so incident paths can be appended to it; got 'https://status.example.com'",
                e.getMessage());
    }

    private static SyndFeed parse(String xml) throws FeedException {
        return new SyndFeedInput().build(new StringReader(xml));
    }

    private static Snapshot snapshot(Incident... newestFirst) {
        return new Snapshot(PAGE, List.of(), List.of(newestFirst), Map.of(), TAKEN_AT);
    }

    private static Incident incident(String id, IncidentStatus.Kind kind, String name, IncidentStatus status, Impact impact,
            String createdAt, String updatedAt, String scheduledFor, String scheduledUntil, IncidentUpdate... updates) {
        Instant created = Instant.parse(createdAt);
        Instant resolved = status.isOpen() ? null : Instant.parse(updatedAt);
        return new Incident(id, PAGE.id(), kind, name, status, impact, null, created, Instant.parse(updatedAt), created, null,
                resolved, instant(scheduledFor), instant(scheduledUntil), List.of(), List.of(updates));
    }

    private static IncidentUpdate update(String incidentId, IncidentStatus status, String displayAt, String body) {
        Instant at = Instant.parse(displayAt);
        return new IncidentUpdate(incidentId + status.wire(), incidentId, status, body, "[]", true, at, at, at);
    }

    private static Instant instant(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }
}
