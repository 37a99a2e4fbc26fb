package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.dataSource;
import static dev.valence.ops.OpsTestSupport.migrateControl;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.query;
import static dev.valence.ops.OpsTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.status.StatusPage;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status commands against a real status page on a random port. */
class StatusCommandTest {
    private static String db;
    private static StatusPage page;
    private static Vertx vertx;
    private static String url;
    private static String token;

    @BeforeAll
    static void serveAStatusPage() throws Exception {
        db = newDatabase("status");
        migrateControl(db);
        var ds = dataSource(db);
        var dir = Files.createTempDirectory("valence-ops-status");
        page = new StatusPage(ds, ds::getConnection, new StatusPage.Settings("https://status.example.com/", dir.resolve("snapshot.json"), 500));
        token = page.ensureTeamToken(dir).orElseThrow();
        vertx = Vertx.vertx();
        url = "http://127.0.0.1:" + page.serve(vertx, "127.0.0.1", 0) + "/";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (page.keeper().view() == null && System.nanoTime() < deadline) Thread.sleep(10);
    }

    @AfterAll
    static void stop() {
        page.close();
        vertx.close().await();
    }

    private static String open(String name) {
        var result = run("status", "open", "--url", url, "--token", token, "--name", name, "--impact", "major",
                "--component", "httpvals0001=major_outage", "--component", "cronvals0001=degraded_performance",
                "--body", "Vals answer 503 while we migrate.");
        assertEquals("", result.err());
        assertEquals(ExitCodes.OK, result.exit());
        assertTrue(result.out().matches("[a-z0-9]{12}\n"), result.out());
        return result.out().strip();
    }

    @Test
    void status_open_posts_an_incident_with_its_components_and_prints_its_id() {
        String id = open("Schema migration");

        assertEquals("Schema migration|investigating|major", query(db, "SELECT name || '|' || status || '|' || impact FROM control.incidents WHERE id = '" + id + "'"));
        assertEquals("Vals answer 503 while we migrate.", query(db, "SELECT body FROM control.incident_updates WHERE incident_id = '" + id + "'"));
        assertEquals("major_outage", query(db, "SELECT status FROM control.components WHERE id = 'httpvals0001'"));
        assertEquals("degraded_performance", query(db, "SELECT status FROM control.components WHERE id = 'cronvals0001'"));
    }

    @Test
    void status_update_then_resolve_moves_the_incident_and_restores_its_components() {
        String id = open("Slow deploy");

        var update = run("status", "update", id, "--url", url, "--token", token, "--status", "monitoring", "--body", "Code of level 2 is out.");
        assertEquals(ExitCodes.OK, update.exit());
        assertEquals("incident " + id + ": monitoring\n", update.out());

        var resolve = run("status", "resolve", id, "--url", url, "--token", token, "--body", "All instances run level 2.");
        assertEquals(ExitCodes.OK, resolve.exit());
        assertEquals("incident " + id + ": resolved\n", resolve.out());
        assertEquals("All instances run level 2.", query(db, "SELECT body FROM control.incident_updates WHERE incident_id = '" + id
                + "' AND status = 'resolved'"));
        assertEquals("operational", query(db, "SELECT status FROM control.components WHERE id = 'httpvals0001'"));
    }

    @Test
    void status_component_sets_a_components_status() {
        var result = run("status", "component", "emailvals001", "under_maintenance", "--url", url, "--token", token);

        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("emailvals001: under_maintenance\n", result.out());
        assertEquals("under_maintenance", query(db, "SELECT status FROM control.components WHERE id = 'emailvals001'"));
        assertEquals(ExitCodes.OK, run("status", "component", "emailvals001", "operational", "--url", url, "--token", token).exit());
    }

    @Test
    void status_with_a_wrong_token_exits_1_with_the_apis_message() {
        var result = run("status", "open", "--url", url, "--token", "vst_wrong", "--name", "x", "--body", "y");

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("", result.out());
        assertEquals("error: the status page answered POST /api/v2/incidents with 401: unauthorized: The team token is not valid.\n", result.err());
    }

    @Test
    void status_with_a_component_the_page_does_not_have_exits_1_with_the_apis_message() {
        var result = run("status", "component", "nosuchthing1", "operational", "--url", url, "--token", token);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("error: the status page answered PATCH /api/v2/components/nosuchthing1 with 404: not_found: No component nosuchthing1"
                + " (groups take the status of their components).\n", result.err());
    }

    @Test
    void status_without_a_reachable_status_page_exits_3() {
        var result = run("status", "resolve", "abcdefabcdef", "--url", "http://127.0.0.1:1/", "--token", token);

        assertEquals(ExitCodes.ENVIRONMENT, result.exit());
        assertTrue(result.err().startsWith("error: cannot reach the status page at http://127.0.0.1:1/api/v2/incidents/abcdefabcdef/resolve ("),
                result.err());
        assertTrue(result.err().endsWith("); check --url or STATUS_PAGE_URL and that the status page is running\n"), result.err());
    }
}
