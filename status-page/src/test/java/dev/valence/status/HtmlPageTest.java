package dev.valence.status;

import static dev.valence.status.PageFixtures.ESCAPED_TEXT;
import static dev.valence.status.PageFixtures.NOW;
import static dev.valence.status.PageFixtures.allClear;
import static dev.valence.status.PageFixtures.at;
import static dev.valence.status.PageFixtures.busyAfternoon;
import static dev.valence.status.PageFixtures.component;
import static dev.valence.status.PageFixtures.group;
import static dev.valence.status.PageFixtures.inGroup;
import static dev.valence.status.PageFixtures.incident;
import static dev.valence.status.PageFixtures.onlyIfDegraded;
import static dev.valence.status.PageFixtures.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.status.http.HtmlPage;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlPageTest {

    private static final String URL = "https://status.valence.dev";

    private static Document render(Snapshot snapshot) {
        return render(snapshot, new HtmlPage.Options(URL, false, null, NOW));
    }

    private static Document render(Snapshot snapshot, HtmlPage.Options options) {
        return Jsoup.parse(new HtmlPage(ESCAPED_TEXT).render(snapshot, options));
    }

    private static List<String> texts(Element root, String cssQuery) {
        return root.select(cssQuery).eachText();
    }

    @ParameterizedTest(name = "a component {0} makes the banner read \"{1}\"")
    @CsvSource({
            "OPERATIONAL, All Systems Operational, banner-ok",
            "DEGRADED_PERFORMANCE, Minor Service Outage, banner-minor",
            "PARTIAL_OUTAGE, Partial System Outage, banner-major",
            "MAJOR_OUTAGE, Major Service Outage, banner-critical",
            "UNDER_MAINTENANCE, Service Under Maintenance, banner-maint"})
    void the_banner_names_the_overall_status_with_colour_icon_and_text(ComponentStatus status, String text, String cssClass) {
        Document doc = render(allClear(component("api", "API", ComponentStatus.OPERATIONAL), component("db", "Database", status)));

        Element banner = doc.selectFirst("main > section.banner");
        assertEquals("banner " + cssClass, banner.className());
        assertEquals(text, banner.selectFirst("h2").text());
        assertEquals("true", banner.selectFirst("h2 > svg").attr("aria-hidden"));
        assertEquals("Valence status: " + text, doc.title());
    }

    @Test
    void an_unresolved_critical_incident_turns_the_banner_red_even_when_every_component_is_operational() {
        var outage = incident("inc", "Everything is slow", IncidentStatus.INVESTIGATING, Impact.CRITICAL, at("2026-11-26T14:00:00Z"),
                List.of(), update("inc", IncidentStatus.INVESTIGATING, "Looking.", at("2026-11-26T14:00:00Z")));
        Snapshot clear = allClear(component("api", "API", ComponentStatus.OPERATIONAL));
        Document doc = render(new Snapshot(clear.page(), clear.components(), List.of(outage), clear.uptime(), NOW));

        assertEquals("banner banner-critical", doc.selectFirst("section.banner").className());
        assertEquals("Major Service Outage", doc.selectFirst("section.banner h2").text());
    }

    @Test
    void components_show_their_status_as_icon_and_text_in_page_order_with_groups_nesting_their_children() {
        Document doc = render(busyAfternoon());

        Element list = doc.selectFirst("ul.components");
        assertEquals(List.of("Authoring API", "Platform", "Database", "Website"), texts(list, ":root > li > .row > .name"));
        assertEquals(List.of("Operational", "Degraded Performance", "Partial Outage", "Operational"),
                texts(list, ":root > li > .row > .tone"));
        assertEquals(List.of("tone t-ok", "tone t-minor", "tone t-major", "tone t-ok"),
                list.select(":root > li > .row > .tone").eachAttr("class"));
        list.select(".tone").forEach(tone -> assertEquals("true", tone.selectFirst("svg").attr("aria-hidden")));

        Element platform = list.child(1);
        assertEquals("h3", platform.selectFirst(".row > .name").tagName());
        assertEquals("Platform components", platform.selectFirst("ul.children").attr("aria-label"));
        assertEquals(List.of("Val runtime", "Scheduled vals"), texts(platform, "ul.children > li > .row > .name"));
        assertEquals(List.of("Degraded Performance", "Operational"), texts(platform, "ul.children > li > .row > .tone"));
        assertEquals(0, platform.select(":root > .uptime").size(), "a group has no uptime bar of its own");
        assertEquals(2, platform.select("ul.children .uptime").size());
        assertEquals("Create, update and deploy vals", list.child(0).selectFirst(".desc").text());
    }

    @Test
    void an_only_show_if_degraded_component_appears_only_while_it_is_not_operational() {
        var hidden = onlyIfDegraded(inGroup(component("email", "Email vals", ComponentStatus.OPERATIONAL), "platform"));
        var shown = onlyIfDegraded(inGroup(component("email", "Email vals", ComponentStatus.MAJOR_OUTAGE), "platform"));
        var cron = inGroup(component("cron", "Scheduled vals", ComponentStatus.OPERATIONAL), "platform");
        var lonely = onlyIfDegraded(component("sms", "SMS", ComponentStatus.OPERATIONAL));

        Document quiet = render(allClear(group("platform", "Platform", ComponentStatus.OPERATIONAL, "cron", "email"), cron, hidden, lonely));
        assertEquals(List.of("Platform", "Scheduled vals"), texts(quiet, "ul.components .name"));

        Document loud = render(allClear(group("platform", "Platform", ComponentStatus.MAJOR_OUTAGE, "cron", "email"), cron, shown, lonely));
        assertEquals(List.of("Platform", "Scheduled vals", "Email vals"), texts(loud, "ul.components .name"));
        assertEquals("Major Outage", loud.select("ul.children > li").get(1).selectFirst(".tone").text());

        Document empty = render(allClear(group("platform", "Platform", ComponentStatus.OPERATIONAL, "email"), hidden));
        assertEquals(0, empty.select("ul.components").size(), "a group whose only child is hidden is hidden too");
        assertEquals("No components are listed yet.", empty.selectFirst("#components-title + p").text());
    }

    @Test
    void an_unresolved_incident_shows_impact_affected_components_and_every_update_newest_first() {
        Document doc = render(busyAfternoon());

        Element section = doc.selectFirst("section[aria-labelledby=incidents-title]");
        assertEquals("Active incidents", section.selectFirst("h2").text());
        Element incident = section.selectFirst("article.incident");
        assertEquals(1, section.select("article.incident").size());
        assertEquals("incident edge-major", incident.className());
        assertEquals("Elevated error rates for HTTP vals", incident.selectFirst("h3").text());
        assertEquals("Major impact", incident.selectFirst(".meta > .tone").text());
        assertEquals("Affects Val runtime, Database", incident.selectFirst(".affects").text());

        assertEquals(List.of("Identified", "Investigating"), texts(incident, ".update-status"));
        assertEquals(List.of("2026-11-26T14:40:00Z", "2026-11-26T14:10:00Z"), incident.select(".update time").eachAttr("datetime"));
        assertEquals(List.of("Nov 26, 2026, 14:40 UTC (20 minutes ago)", "Nov 26, 2026, 14:10 UTC (50 minutes ago)"),
                texts(incident, ".update time"));
        assertEquals(List.of("A database failover left one replica behind; we are rebuilding it.",
                "We are investigating elevated 5xx rates on HTTP vals."), texts(incident, ".update-body > p"));
    }

    @Test
    void maintenance_in_progress_comes_before_upcoming_maintenance_each_with_its_window() {
        Document doc = render(busyAfternoon());

        Element section = doc.selectFirst("section[aria-labelledby=maintenance-title]");
        assertEquals("Scheduled maintenance", section.selectFirst("h2").text());
        assertEquals(List.of("Database upgrade to PostgreSQL 17", "Network switch replacement"), texts(section, "article h3"));
        assertEquals(List.of("In progress", "Scheduled"), texts(section, "article .meta > .tone"));
        assertEquals(List.of("tone t-maint", "tone t-maint"), section.select("article .meta > .tone").eachAttr("class"));
        assertEquals(List.of("Scheduled for Nov 26, 2026, 14:00 UTC to 16:00 UTC (ends in 1 hour)",
                "Scheduled for Nov 28, 2026, 02:00 UTC to 04:00 UTC (starts in 1 day)"), texts(section, "article .window"));
        assertEquals(List.of("2026-11-28T02:00:00Z", "2026-11-28T04:00:00Z"), section.select("article").get(1).select(".window time")
                .eachAttr("datetime"));
        assertEquals("Affects Authoring API, Website", section.select("article").get(1).selectFirst(".affects").text());
    }

    @Test
    void sections_for_incidents_and_maintenance_are_left_out_when_there_are_none() {
        Document doc = render(allClear(component("api", "API", ComponentStatus.OPERATIONAL)));

        assertEquals(List.of("All Systems Operational", "Components", "Past incidents"), texts(doc, "main h2"));
    }

    @Test
    void past_incidents_cover_fourteen_utc_days_newest_first_with_a_line_for_quiet_days() {
        Document doc = render(busyAfternoon());

        Element history = doc.selectFirst("section[aria-labelledby=history-title]");
        assertEquals("Past incidents", history.selectFirst("h2").text());
        assertEquals(List.of("Nov 26, 2026", "Nov 25, 2026", "Nov 24, 2026", "Nov 23, 2026", "Nov 22, 2026", "Nov 21, 2026",
                "Nov 20, 2026", "Nov 19, 2026", "Nov 18, 2026", "Nov 17, 2026", "Nov 16, 2026", "Nov 15, 2026", "Nov 14, 2026",
                "Nov 13, 2026"), texts(history, ".day > h3"));
        var days = history.select(".day");
        assertEquals(List.of("Delayed cron runs", "Kernel patching"), texts(days.get(2), "article h4"));
        assertEquals(List.of("Minor impact", "Completed"), texts(days.get(2), "article .meta > .tone"));
        assertEquals(List.of("Resolved", "Investigating"), texts(days.get(2).selectFirst("article"), ".update-status"));
        assertEquals(List.of("Login failures"), texts(days.get(5), "article h4"));
        assertEquals("Critical impact", days.get(5).selectFirst(".tone").text());
        for (int i : new int[] {0, 1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13}) {
            assertEquals(List.of("No incidents reported."), texts(days.get(i), "p.quiet"), "day " + days.get(i).selectFirst("h3").text());
            assertEquals(0, days.get(i).select("article").size());
        }
    }

    @Test
    void the_uptime_bar_has_ninety_blocks_with_text_equivalents_and_the_period_percentage() {
        Document doc = render(busyAfternoon());

        Element api = doc.selectFirst("ul.components > li");
        Element bar = api.selectFirst("ol.bar");
        assertEquals("Uptime of Authoring API, last 90 days", bar.attr("aria-label"));
        var blocks = bar.children();
        assertEquals(90, blocks.size());
        blocks.forEach(b -> assertEquals(b.attr("title"), b.selectFirst("span.vh").text()));
        assertEquals("Aug 29: 100% operational", blocks.get(0).attr("title"));
        assertEquals("Nov 17: 97.50% operational (worst: Major Outage)", blocks.get(80).attr("title"));
        assertEquals("Nov 25: 99.95% operational (worst: Partial Outage)", blocks.get(88).attr("title"));
        assertEquals("Nov 26: 100% operational", blocks.get(89).attr("title"));
        assertEquals("d-critical", blocks.get(80).className());
        assertEquals("d-major", blocks.get(88).className());
        assertEquals("d-ok", blocks.get(89).className());
        assertEquals("90 days ago 99.97% uptime Today", api.selectFirst(".bar-legend").text());

        assertEquals(List.of("99.97% uptime", "99.88% uptime", "99.96% uptime", "99.94% uptime", "100% uptime"),
                texts(doc, ".uptime-total"));
        Element website = doc.select("ul.components > li").get(3);
        var websiteBlocks = website.select("ol.bar > li");
        assertEquals("Oct 17: no data", websiteBlocks.get(49).attr("title"));
        assertEquals("d-none", websiteBlocks.get(49).className());
        assertEquals("Oct 18: 100% operational", websiteBlocks.get(50).attr("title"));
    }

    @Test
    void a_component_without_any_uptime_data_says_no_data() {
        Snapshot clear = allClear(component("api", "API", ComponentStatus.OPERATIONAL));
        Snapshot empty = new Snapshot(clear.page(), clear.components(), List.of(),
                Map.of("api", PageFixtures.uptimeSince(0)), NOW);

        Document doc = render(empty);
        assertEquals("No data", doc.selectFirst(".uptime-total").text());
        assertEquals("Nov 26: no data", doc.select("ol.bar > li").last().attr("title"));
    }

    @Test
    void a_stale_snapshot_shows_when_it_was_taken() {
        Snapshot busy = busyAfternoon();
        Snapshot stale = new Snapshot(busy.page(), busy.components(), busy.incidents(), busy.uptime(), at("2026-11-26T14:48:00Z"));

        Document doc = render(stale, new HtmlPage.Options(URL, true, null, NOW));
        Element notice = doc.selectFirst("main > p.notice-stale");
        assertEquals("Showing the status as of Nov 26, 2026, 14:48 UTC (12 minutes ago). The status database cannot be reached"
                + " right now, so newer changes may be missing.", notice.text());
        assertEquals("2026-11-26T14:48:00Z", notice.selectFirst("time").attr("datetime"));
        assertEquals("Last updated Nov 26, 2026, 14:48 UTC (12 minutes ago)", doc.selectFirst("p.updated").text());

        Document fresh = render(busy);
        assertEquals(0, fresh.select(".notice").size());
        assertEquals("Last updated Nov 26, 2026, 14:59 UTC (just now)", fresh.selectFirst("p.updated").text());
    }

    @Test
    void an_operator_notice_is_shown_above_the_banner() {
        Document doc = render(busyAfternoon(), new HtmlPage.Options(URL, false,
                "Deploy in progress: instances run different versions", NOW));

        Element notice = doc.selectFirst("main > p.notice-info");
        assertEquals("Deploy in progress: instances run different versions", notice.text());
        assertEquals("status", notice.attr("role"));
        assertEquals("section", notice.nextElementSibling().tagName());
    }

    @Test
    void the_page_has_landmarks_a_skip_link_one_h1_and_a_heading_per_section() {
        Document doc = render(busyAfternoon());

        assertEquals("en", doc.selectFirst("html").attr("lang"));
        assertEquals(List.of("Valence"), texts(doc, "h1"));
        assertEquals(1, doc.select("body > header").size());
        assertEquals(1, doc.select("body > main#main").size());
        assertEquals(1, doc.select("body > footer").size());
        Element skip = doc.selectFirst("body > a:first-child");
        assertEquals("Skip to content", skip.text());
        assertEquals("#main", skip.attr("href"));
        for (Element section : doc.select("section")) {
            Element heading = section.selectFirst("h2");
            assertEquals(section.attr("aria-labelledby"), heading.id(), "section " + heading.text());
        }
        assertEquals(List.of("Partial System Outage", "Active incidents", "Scheduled maintenance", "Components", "Past incidents"),
                texts(doc, "main h2"));
        doc.select("svg").forEach(svg -> assertEquals("true", svg.attr("aria-hidden")));
        assertEquals("polite", doc.selectFirst("#live").attr("aria-live"));
    }

    @Test
    void the_page_makes_no_outside_requests_and_refreshes_through_the_stream_not_meta_refresh() {
        Document doc = render(busyAfternoon());

        assertEquals(0, doc.select("[src], link[rel=stylesheet], iframe, object, embed, img").size());
        assertEquals(0, doc.select("meta[http-equiv]").size());
        assertEquals(List.of(URL + "/", URL + "/history.atom", URL + "/history.rss", "data:,"), doc.select("head link").eachAttr("href"));
        String css = doc.selectFirst("head > style").data();
        assertTrue(!css.contains("url(") && !css.contains("@import"), "the style sheet loads nothing");
        assertTrue(css.contains("@media (prefers-color-scheme: dark)"));
        assertEquals("/api/v2/stream", doc.selectFirst("html").attr("data-stream"));
        assertEquals(HtmlPage.STREAM_PATH, doc.selectFirst("html").attr("data-stream"));
        assertTrue(doc.selectFirst("script").data().contains("new EventSource(root.dataset.stream)"));
    }

    @Test
    void the_content_security_policy_allows_exactly_the_inline_style_and_script() throws Exception {
        Document doc = render(busyAfternoon());

        String policy = HtmlPage.contentSecurityPolicy();
        assertEquals("default-src 'none'; style-src '" + sha256(doc.selectFirst("style").data()) + "'; script-src '"
                + sha256(doc.selectFirst("script").data()) + "'; connect-src 'self'; img-src 'self' data:; base-uri 'none';"
                + " form-action 'none'; frame-ancestors 'none'", policy);
        assertEquals(1, doc.select("style").size());
        assertEquals(0, doc.select("[style]").size(), "style attributes would be blocked by the policy");
    }

    @Test
    void names_bodies_and_notices_full_of_markup_stay_text() {
        String script = "<script>alert(1)</script>";
        String breakout = "\"><img src=x onerror=alert(1)>";
        var api = PageFixtures.describe(component("api", script + breakout, ComponentStatus.MAJOR_OUTAGE), breakout + script);
        var child = inGroup(component("child", breakout, ComponentStatus.OPERATIONAL), "grp");
        var grp = group("grp", script, ComponentStatus.OPERATIONAL, "child");
        var evil = incident("inc", breakout + script, IncidentStatus.INVESTIGATING, Impact.MAJOR, at("2026-11-26T14:00:00Z"),
                List.of("api"), update("inc", IncidentStatus.INVESTIGATING, script + breakout, at("2026-11-26T14:00:00Z")));
        var past = incident("old", script, IncidentStatus.RESOLVED, Impact.MINOR, at("2026-11-25T14:00:00Z"),
                List.of("child"), update("old", IncidentStatus.RESOLVED, breakout, at("2026-11-25T15:00:00Z")));
        Snapshot clear = allClear(api, grp, child);
        var snapshot = new Snapshot(new Page("p", script + breakout, "x", "UTC", NOW), clear.components(), List.of(evil, past),
                clear.uptime(), NOW);

        String html = new HtmlPage(ESCAPED_TEXT).render(snapshot,
                new HtmlPage.Options("https://x/" + breakout, true, breakout + script, NOW));
        Document doc = Jsoup.parse(html);

        assertEquals(1, doc.select("script").size(), "only the page's own script");
        assertNull(doc.selectFirst("script").attribute("src"));
        assertEquals(0, doc.select("img").size());
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) assertTrue(!a.getKey().toLowerCase().startsWith("on"), e.tagName() + " has " + a);
        }
        assertEquals(script + breakout, doc.selectFirst("h1").text());
        assertEquals(script + breakout + " status: Major Service Outage", doc.title());
        assertEquals(script + breakout, doc.selectFirst("ul.components > li .name").text());
        assertEquals(breakout + script, doc.selectFirst("ul.components > li .desc").text());
        assertEquals("Uptime of " + script + breakout + ", last 90 days", doc.selectFirst("ol.bar").attr("aria-label"));
        assertEquals(script + " components", doc.selectFirst("ul.children").attr("aria-label"));
        assertEquals(breakout + script, doc.selectFirst("#incidents-title ~ article h3").text());
        assertEquals("Affects " + script + breakout, doc.selectFirst("#incidents-title ~ article .affects").text());
        assertEquals(script + breakout, doc.selectFirst("#incidents-title ~ article .update-body").text());
        assertEquals(breakout + script, doc.selectFirst("main > p.notice-info").text());
        assertEquals("https://x/" + breakout + "/", doc.selectFirst("link[rel=canonical]").attr("href"));
        assertTrue(!html.contains("<img") && !html.contains("<script>alert"), "no raw markup from data anywhere in the source");
    }

    @Test
    void options_without_a_page_url_or_a_clock_are_refused_with_the_field_name() {
        var noUrl = assertThrows(NullPointerException.class, () -> new HtmlPage.Options(null, false, null, NOW));
        assertEquals("HtmlPage.Options.pageUrl must be the page's public URL, such as http://localhost:8081; got null", noUrl.getMessage());
        var noNow = assertThrows(NullPointerException.class, () -> new HtmlPage.Options(URL, false, null, null));
        assertEquals("HtmlPage.Options.now must be set; got null", noNow.getMessage());
    }

    @Test
    void relative_times_read_naturally_in_the_past_and_the_future() {
        assertEquals("(just now)", agoOfAnUpdatePostedAt("2026-11-26T14:59:01Z"));
        assertEquals("(1 minute ago)", agoOfAnUpdatePostedAt("2026-11-26T14:59:00Z"));
        assertEquals("(59 minutes ago)", agoOfAnUpdatePostedAt("2026-11-26T14:00:01Z"));
        assertEquals("(1 hour ago)", agoOfAnUpdatePostedAt("2026-11-26T14:00:00Z"));
        assertEquals("(23 hours ago)", agoOfAnUpdatePostedAt("2026-11-25T15:00:01Z"));
        assertEquals("(1 day ago)", agoOfAnUpdatePostedAt("2026-11-25T15:00:00Z"));
        assertEquals("(12 days ago)", agoOfAnUpdatePostedAt("2026-11-14T09:00:00Z"));
        assertEquals("(in 5 minutes)", agoOfAnUpdatePostedAt("2026-11-26T15:05:00Z"));
    }

    private static String agoOfAnUpdatePostedAt(String iso) {
        var slow = incident("inc", "Slow", IncidentStatus.INVESTIGATING, Impact.MINOR, at(iso), List.of(),
                update("inc", IncidentStatus.INVESTIGATING, "Looking.", at(iso)));
        Snapshot clear = allClear(component("api", "API", ComponentStatus.OPERATIONAL));
        Snapshot snapshot = new Snapshot(clear.page(), clear.components(), List.of(slow), clear.uptime(), NOW);
        return render(snapshot).selectFirst(".update time .ago").text();
    }

    private static String sha256(String text) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
