package dev.valence.status.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.valence.status.StatusTestSupport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * In a real Chromium: the team member signs in to /ops and posts from its form (accepted), then
 * visits a page on another port of the same host (a val, say: same site, so the SameSite=Strict
 * cookie goes along) that submits a form to /ops/post by itself: refused, nothing posted.
 */
class CrossSiteOpsFormBrowserTest {

    private static int incidentsNamed(StatusTestSupport.Served served, String name) {
        try (var c = StatusTestSupport.dataSource(served.database()).getConnection(); var s = c.prepareStatement(
                "SELECT count(*) FROM control.incidents WHERE name = ?")) {
            s.setString(1, name);
            try (var rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_same_site_page_cannot_post_through_a_signed_in_browser_but_the_deploy_view_can() throws Exception {
        try (var served = StatusTestSupport.serve("browser_csrf"); var browser = new DevToolsBrowser()) {
            String ops = served.baseUrl();
            HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] page = ("<!doctype html><title>Free kittens</title><form method=\"post\" action=\"" + ops + "/ops/post\">"
                    + "<input name=\"name\" value=\"Planted by a val\"><input name=\"status\" value=\"investigating\">"
                    + "<input name=\"impact\" value=\"critical\"><input name=\"body\" value=\"Everything is down.\">"
                    + "<input name=\"csrf\" value=\"guessed\"></form><script>document.forms[0].submit()</script>").getBytes(StandardCharsets.UTF_8);
            hostile.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            hostile.start();
            try {
                browser.navigate(ops + "/ops");
                browser.awaitTitle(t -> t.startsWith("Sign in"), "the sign-in form");
                browser.evaluate("document.getElementById('token').value = '" + served.teamToken() + "'; document.forms[0].submit(); 'sent'");
                browser.awaitTitle(t -> t.startsWith("Deploy view"), "the deploy view after signing in");

                browser.evaluate("document.getElementById('name').value = 'Posted from the form';"
                        + "document.getElementById('body').value = 'Looking into it.'; document.getElementById('body').form.submit(); 'sent'");
                browser.awaitTitle(t -> t.startsWith("Deploy view") && incidentsNamed(served, "Posted from the form") == 1, "the posted update");

                browser.navigate("http://127.0.0.1:" + hostile.getAddress().getPort() + "/");
                String title = browser.awaitTitle(t -> t.startsWith("Refused"), "the refusal of the planted form");

                assertEquals("Refused · Valence", title);
                assertEquals(0, incidentsNamed(served, "Planted by a val"));
                assertEquals(1, incidentsNamed(served, "Posted from the form"));
            } finally {
                hostile.stop(0);
            }
        }
    }
}
