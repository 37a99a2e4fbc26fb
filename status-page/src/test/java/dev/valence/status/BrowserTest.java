package dev.valence.status;

import static dev.valence.status.PageFixtures.ESCAPED_TEXT;
import static dev.valence.status.PageFixtures.NOW;
import static dev.valence.status.PageFixtures.allClear;
import static dev.valence.status.PageFixtures.busyAfternoon;
import static dev.valence.status.PageFixtures.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.status.http.HtmlPage;
import dev.valence.status.model.Snapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser: Debian's headless Chromium against a Vert.x server that serves the page with its
 * Content-Security-Policy and a stand-in event stream.
 */
class BrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final String NOTICE = "Deploy in progress: instances run different versions";
    /** Virtual time, so Chromium waits for the script's stream and fetch without the test sleeping for real. */
    private static final String SETTLE = "--virtual-time-budget=3000";

    private static Vertx vertx;
    private static String base;

    private static final AtomicReference<Snapshot> shown = new AtomicReference<>();
    /** When set, the next stream connection switches the page to this snapshot and sends one event. */
    private static final AtomicReference<Snapshot> afterEvent = new AtomicReference<>();
    /** The page's Content-Security-Policy; a test swaps in one that blocks the inline script to read the page without it. */
    private static final AtomicReference<String> policy = new AtomicReference<>();
    private static final AtomicInteger pageRequests = new AtomicInteger();
    private static final AtomicInteger streamRequests = new AtomicInteger();

    @BeforeAll
    static void startServerAndInstallChromium() throws Exception {
        Chromium.ensureInstalled();
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/").handler(BrowserTest::page);
        router.get(HtmlPage.STREAM_PATH).handler(BrowserTest::stream);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void resetServer() {
        shown.set(busyAfternoon());
        afterEvent.set(null);
        policy.set(HtmlPage.contentSecurityPolicy());
        pageRequests.set(0);
        streamRequests.set(0);
    }

    private static void page(RoutingContext ctx) {
        pageRequests.incrementAndGet();
        String html = new HtmlPage(ESCAPED_TEXT).render(shown.get(), new HtmlPage.Options(base, false, NOTICE, NOW));
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", policy.get()).end(html);
    }

    /** Ends after at most one event, so Chromium's virtual time can run out; the long retry keeps it from reconnecting. */
    private static void stream(RoutingContext ctx) {
        streamRequests.incrementAndGet();
        var response = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store");
        response.write("retry: 600000\n\n");
        Snapshot next = afterEvent.getAndSet(null);
        if (next != null) {
            shown.set(next);
            response.write("event: incident\ndata: {\"id\":\"inc-errors\"}\n\n");
        }
        response.end();
    }

    @Test
    void chromium_shows_banner_components_and_incident_and_the_script_opens_the_stream_under_the_policy() {
        Document doc = Jsoup.parse(Chromium.dumpDom(base + "/", SETTLE));

        assertEquals("Partial System Outage", doc.selectFirst("section.banner h2").text());
        assertEquals(NOTICE, doc.selectFirst("p.notice-info").text());
        assertEquals(List.of("Authoring API", "Platform", "Val runtime", "Scheduled vals", "Database", "Website"),
                doc.select("ul.components .name").eachText());
        assertEquals("Elevated error rates for HTTP vals", doc.selectFirst("#incidents-title ~ article h3").text());
        assertEquals(List.of("Identified", "Investigating"), doc.select("#incidents-title ~ article .update-status").eachText());
        assertEquals(90, doc.select("ul.components > li").first().select("ol.bar > li").size());
        assertEquals(1, pageRequests.get());
        assertEquals(1, streamRequests.get(), "the inline script ran and its EventSource reached " + HtmlPage.STREAM_PATH);
    }

    @Test
    void an_event_on_the_stream_swaps_in_the_fresh_page_without_reloading() {
        shown.set(allClear(component("api", "Authoring API", ComponentStatus.OPERATIONAL)));
        afterEvent.set(busyAfternoon());

        Document doc = Jsoup.parse(Chromium.dumpDom(base + "/", SETTLE));

        assertEquals("Partial System Outage", doc.selectFirst("section.banner h2").text());
        assertEquals("Elevated error rates for HTTP vals", doc.selectFirst("#incidents-title ~ article h3").text());
        assertEquals("Valence status: Partial System Outage", doc.title());
        assertEquals("Status updated.", doc.getElementById("live").text(), "a reload would have left the live region empty");
        assertEquals(2, pageRequests.get());
        assertEquals(1, streamRequests.get());
    }

    /**
     * Chromium's --dump-dom reads the DOM with JavaScript, so turning JavaScript off would empty the dump; a policy
     * that blocks the page's script gives the same page a reader without JavaScript gets.
     */
    @Test
    void without_its_script_the_page_is_complete() {
        policy.set(HtmlPage.contentSecurityPolicy().replaceFirst("script-src '[^']+'", "script-src 'none'"));
        assertTrue(policy.get().contains("script-src 'none';"));

        Document doc = Jsoup.parse(Chromium.dumpDom(base + "/", SETTLE));

        assertEquals("Partial System Outage", doc.selectFirst("section.banner h2").text());
        assertEquals(List.of("Operational", "Degraded Performance", "Degraded Performance", "Operational", "Partial Outage",
                "Operational"), doc.select("ul.components .tone").eachText());
        assertEquals(List.of("Database upgrade to PostgreSQL 17", "Network switch replacement"),
                doc.select("#maintenance-title ~ article h3").eachText());
        assertEquals(14, doc.select("#history-title ~ .day").size());
        assertEquals(0, streamRequests.get());
    }

    @Test
    void screenshots_in_light_and_dark_mode_follow_the_operating_system() throws Exception {
        Path light = SCREENSHOTS.resolve("status-page.png");
        Path dark = SCREENSHOTS.resolve("status-page-dark.png");

        Chromium.screenshot(base + "/", light, "--window-size=1280,2000", SETTLE);
        Chromium.screenshot(base + "/", dark, "--window-size=1280,2000", "--force-dark-mode", SETTLE);
        System.out.println("Status page screenshots: " + light + " and " + dark);

        assertScreenshot(light, 0xffffff);
        assertScreenshot(dark, 0x0d1117);
    }

    /** The page's background in the top-left corner proves the inline style sheet applied under the policy. */
    private static void assertScreenshot(Path png, int background) throws Exception {
        long bytes = Files.size(png);
        assertTrue(bytes > 20_000, png + " is only " + bytes + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        assertEquals(2000, image.getHeight());
        assertEquals(Integer.toHexString(background), Integer.toHexString(image.getRGB(2, 2) & 0xffffff), png + " background");
    }
}
