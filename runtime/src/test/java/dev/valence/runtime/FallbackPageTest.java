package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import dev.valence.runtime.guard.BuildInfo;
import dev.valence.status.http.HtmlPage;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page a val's visitors see while the runtime cannot serve them: the status page's look under the status page's
 * Content-Security-Policy, one plain sentence per cause, the open incident with human times and links; the machine
 * reason stays in the JSON answer and in a header for operators.
 */
class FallbackPageTest {
    private static final String STATUS_PAGE_URL = "https://status.example.com/";
    private static final String INCIDENT_NAME = "HTTP vals unavailable: database migration ahead of running code";
    private static final Pattern HUMAN_TIME = Pattern.compile("[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{2}:\\d{2} UTC \\((just now|\\d+ minutes? ago)\\)");
    private static final Pattern ISO_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
    private static final List<String> JARGON = List.of("code level", "contract migration", "app v", "schema", "level ", "migration app",
            "by itself", "flyway", "ops migrate", "_");

    private static final String TOO_OLD = "This service is in the middle of an update and will answer again as soon as the update is finished.";
    private static final String TOO_NEW = "This service is unavailable until its operators finish deploying an update.";
    private static final String UNREACHABLE = "This service cannot reach its database and will answer again as soon as the connection is back.";

    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestPlatform platform;

    /** One runtime of this build on a schema a contract migration moved past it, with its automatic incident open. */
    @BeforeAll
    static void startOnASchemaTooNewWithTheIncidentOpen() throws Exception {
        platform = TestPlatform.start("fallback_page", Map.of("STATUS_PAGE_URL", STATUS_PAGE_URL, "HEARTBEAT_MS", "200"));
        new SchemaFlips(platform.databaseUrl).applyTestContractMigration();
        eventually("the automatic incident is open on the status page", 15_000, () -> {
            var open = statusJson("/api/v2/incidents/unresolved.json").getJsonArray("incidents");
            return open.size() == 1 && platform.get("/v/admin/shop").status() == 503;
        });
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void a_browser_gets_one_plain_sentence_and_the_open_incident_with_human_times_and_links_in_the_status_page_look() throws Exception {
        var reply = platform.send("GET", "/v/admin/shop", null, null, Map.of("Accept", "text/html,application/xhtml+xml"));
        assertEquals(503, reply.status(), reply.body());
        assertEquals("text/html; charset=utf-8", reply.header("content-type"));
        assertEquals("schema_too_new", reply.header("valence-fallback-reason"));
        assertEquals("5", reply.header("retry-after"));
        assertEquals("no-store", reply.header("cache-control"));
        assertEquals(HtmlPage.contentSecurityPolicy(), reply.header("content-security-policy"), "the status page's own policy");

        Document page = Jsoup.parse(reply.body());
        // the one style sheet, byte for byte the status page's, allowed by its hash; nothing else styles or scripts the page
        String css = page.selectFirst("head > style").data();
        Document statusPage = Jsoup.parse(statusText("/"));
        assertEquals(statusPage.selectFirst("head > style").data(), css);
        assertTrue(reply.header("content-security-policy").contains("style-src '" + sha256(css) + "'"), reply.header("content-security-policy"));
        assertEquals(1, page.select("style").size());
        assertTrue(page.select("script, [style], link[rel=stylesheet]").isEmpty(), reply.body());
        assertEquals("schema_too_new", page.selectFirst("meta[name=valence-fallback-reason]").attr("content"));

        assertEquals(TOO_NEW, page.selectFirst(".banner h2").text());
        assertEquals("Service unavailable", page.title());
        assertNotNull(page.selectFirst(".site-header a[href=" + STATUS_PAGE_URL + "]"), "the header links to the status page");

        // the incident's name heads its card; its public updates follow, newest first, with the status page's times
        JsonObject incident = statusJson("/api/v2/incidents/unresolved.json").getJsonArray("incidents").getJsonObject(0);
        Element card = page.selectFirst("article.incident");
        assertEquals(INCIDENT_NAME, card.selectFirst("h3.incident-name").text());
        assertNull(card.selectFirst("li h3, li .incident-name"), "the name is not numbered as an update");
        var updates = card.select("li.update");
        var published = incident.getJsonArray("incident_updates");
        assertEquals(published.size(), updates.size());
        for (int i = 0; i < updates.size(); i++) {
            Element time = updates.get(i).selectFirst(".update-head time");
            assertTrue(HUMAN_TIME.matcher(time.text()).matches(), time.text());
            assertTrue(ISO_TIME.matcher(time.attr("datetime")).lookingAt(), time.attr("datetime"));
            assertEquals(published.getJsonObject(i).getString("body"), updates.get(i).selectFirst(".update-body").text());
        }
        assertNotNull(page.selectFirst("a[href=" + STATUS_PAGE_URL + "incidents/" + incident.getString("id") + "]"), reply.body());
        String since = page.selectFirst(".updated").text();
        assertTrue(since.startsWith("Unavailable since ") && HUMAN_TIME.matcher(since.substring("Unavailable since ".length())).matches(), since);

        assertOwnWordsArePlain(page);
    }

    /** What the page says in its own words (update bodies are the incident's, quoted from the status page as they are). */
    private static void assertOwnWordsArePlain(Document page) {
        Document own = page.clone();
        own.select(".update-body, head").remove();
        String text = own.text();
        for (String word : JARGON) assertFalse(text.toLowerCase().contains(word), "'" + word + "' in: " + text);
        assertFalse(ISO_TIME.matcher(text).find(), text);
    }

    @Test
    void a_program_gets_the_machine_reason_in_the_json_answer_and_the_header() {
        var reply = platform.send("GET", "/v/admin/shop", null, null, Map.of("Accept", "application/json"));
        assertEquals(503, reply.status(), reply.body());
        assertEquals("application/json", reply.header("content-type"));
        assertEquals("schema_too_new", reply.header("valence-fallback-reason"));
        var error = reply.json().getJsonObject("error");
        assertEquals("unavailable", error.getString("code"));
        assertEquals("schema_too_new", error.getString("reason"));
        assertEquals("schema is at app v900, which requires code level >= 900; this build is level " + BuildInfo.current().codeLevel()
                + " (contract migration app v900 removed what older code uses); deploy a build of level 900 or newer", error.getString("message"));
        assertEquals(INCIDENT_NAME, reply.json().getJsonObject("status").getJsonObject("incident").getString("name"));
        assertEquals("schema_too_new", platform.get("/api/v1/vals").header("valence-fallback-reason"), "the authoring API's 503 too");
    }

    @Test
    void chromium_renders_the_page_in_the_status_page_colours_in_light_and_dark_mode() throws Exception {
        HeadlessChromium.ensureInstalled();
        Path light = Path.of("target", "screenshots", "fallback-light.png").toAbsolutePath();
        Path dark = Path.of("target", "screenshots", "fallback-dark.png").toAbsolutePath();
        HeadlessChromium.screenshot(platform.baseUrl + "/v/admin/shop", light, "--window-size=1280,1000");
        HeadlessChromium.screenshot(platform.baseUrl + "/v/admin/shop", dark, "--window-size=1280,1000", "--force-dark-mode");
        System.out.println("Fallback page screenshots: " + light + " and " + dark);
        // the page's background and the major-outage banner, in the status page's colours (--bg and --solid-major)
        assertColours(light, 0xffffff, 0xbc4c00);
        assertColours(dark, 0x0d1117, 0x953800);
    }

    @Test
    void each_cause_has_its_own_sentence_and_only_a_passing_one_promises_that_the_service_comes_back() throws Exception {
        var level1 = new BuildInfo(1, 1, "level-1");
        String empty = TestDatabase.newDatabase("fallback_too_old");
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var tooOld = TestPlatform.awaitUp(start(empty, level1, Map.of("MIGRATE_ON_START", "false")));
             var unreachable = start("postgres://postgres@localhost:" + closedPort + "/postgres", level1, Map.of())) {
            eventually("unreachable reported", 15_000, () -> unreachable.guard().current().code().equals("database_unreachable"));
            var sentences = new HashSet<String>();
            for (var expected : List.of(new String[] {"schema_too_old", TOO_OLD, "http://localhost:" + tooOld.port()},
                    new String[] {"database_unreachable", UNREACHABLE, "http://localhost:" + unreachable.port()},
                    new String[] {"schema_too_new", TOO_NEW, platform.baseUrl})) {
                var reply = client.send(HttpRequest.newBuilder(URI.create(expected[2] + "/v/admin/x")).header("Accept", "text/html").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, reply.statusCode());
                assertEquals(expected[0], reply.headers().firstValue("valence-fallback-reason").orElse(null));
                Document page = Jsoup.parse(reply.body());
                assertEquals(expected[1], page.selectFirst(".banner h2").text(), expected[0]);
                sentences.add(page.selectFirst(".banner h2").text());
                assertNotNull(page.selectFirst("main a[href^=" + STATUS_PAGE_URL + "]"), "a link to the status page: " + reply.body());
                assertOwnWordsArePlain(page);
            }
            assertEquals(3, sentences.size(), sentences.toString());
            assertFalse(TOO_NEW.contains("answer again") || TOO_NEW.contains("by itself"), "a newer schema needs a deploy: " + TOO_NEW);
        }
    }

    private static Valence start(String databaseUrl, BuildInfo build, Map<String, String> extra) {
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", databaseUrl);
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("SCHEMA_POLL_MS", "200");
        env.put("STATUS_PAGE_URL", STATUS_PAGE_URL);
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-fallback").toString());
        // with the database gone every connection wait, at start, in checks and in the stop, lasts this long
        env.put("DB_CONNECT_TIMEOUT_MS", "2000");
        env.putAll(extra);
        return Valence.start(Config.fromEnv(env), build);
    }

    private static void assertColours(Path png, int background, int banner) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Integer.toHexString(background), Integer.toHexString(image.getRGB(2, 2) & 0xffffff), png + " background");
        int bannerPixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == banner) bannerPixels++;
            }
        }
        // the banner spans the 54rem column and is over 3 rem tall: far more than any icon or border in that colour
        assertTrue(bannerPixels > 20_000, png + " has " + bannerPixels + " pixels of #" + Integer.toHexString(banner));
    }

    private static String statusText(String path) throws Exception {
        var reply = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + platform.valence.statusPage().port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        return reply.body();
    }

    private static JsonObject statusJson(String path) {
        try {
            return new JsonObject(statusText(path));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
