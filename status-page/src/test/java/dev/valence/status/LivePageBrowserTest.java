package dev.valence.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real status page server in real headless Chromium: key elements, then a screenshot kept by the test run. */
class LivePageBrowserTest {
    @Test
    void the_served_page_shows_components_and_the_open_incident_in_chromium() throws Exception {
        Chromium.ensureInstalled();
        try (var served = StatusTestSupport.serve("live_page")) {
            var client = HttpClient.newHttpClient();
            var created = client.send(HttpRequest.newBuilder(URI.create(served.baseUrl() + "/api/v2/incidents"))
                    .header("Authorization", "Bearer " + served.teamToken())
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"name": "HTTP vals unavailable: database migration ahead of running code", "impact": "major",
                             "status": "identified", "components": {"httpvals0001": "major_outage", "cronvals0001": "degraded_performance"},
                             "body": "A database migration (app v12) needs code level 12; instances running level 11 are answering 503."}""")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());

            var page = client.send(HttpRequest.newBuilder(URI.create(served.baseUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElse(null));
            assertTrue(page.headers().firstValue("content-security-policy").isPresent());

            String dom = Chromium.dumpDom(served.baseUrl() + "/");
            assertTrue(dom.contains("HTTP vals unavailable: database migration ahead of running code"), dom);
            assertTrue(dom.contains("Major Outage") && dom.contains("Degraded Performance"), dom);
            assertTrue(dom.contains("instances running level 11 are answering 503"), dom);

            Path png = Path.of("target", "screenshots", "status-page-live.png").toAbsolutePath();
            Files.createDirectories(png.getParent());
            Chromium.screenshot(served.baseUrl() + "/", png, "--window-size=1280,1600");
            assertTrue(Files.size(png) > 20_000, "screenshot is " + Files.size(png) + " bytes");
            System.out.println("status page screenshot: " + png);
        }
    }
}
