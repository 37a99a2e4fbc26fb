package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import dev.valence.runtime.guard.BuildInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runtime announces its own trouble: a real schema flip opens one automatic incident for many
 * instances within a second, sets the val components, and recovery resolves it and restores them.
 */
class AutomaticIncidentTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JsonObject getJson(int port, String path) throws Exception {
        var r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private static Valence start(String db, String instance) {
        return start(db, instance, new BuildInfo(1, 1, "level-1"));
    }

    private static Valence start(String db, String instance, BuildInfo build) {
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", db);
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("HEARTBEAT_MS", "200");
        env.put("INSTANCE_ID", instance);
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-auto").toString());
        return TestPlatform.awaitUp(Valence.start(Config.fromEnv(env), build));
    }

    private static String componentStatus(JsonObject components, String name) {
        for (Object o : components.getJsonArray("components")) {
            var c = (JsonObject) o;
            if (c.getString("name").equals(name)) return c.getString("status");
        }
        throw new AssertionError("no component " + name);
    }

    @Test
    void a_schema_flip_opens_one_incident_for_all_instances_within_a_second_and_recovery_resolves_it() throws Exception {
        String db = TestDatabase.newDatabase("automatic_incident");
        var flips = new SchemaFlips(db);
        try (var a = start(db, "auto-a"); var b = start(db, "auto-b")) {
            int statusPort = a.statusPage().port();
            var before = getJson(statusPort, "/api/v2/summary.json");
            assertEquals("none", before.getJsonObject("status").getString("indicator"));
            assertEquals(new JsonArray(), before.getJsonArray("incidents"));

            flips.applyTestContractMigration();
            long committed = System.nanoTime();
            eventually("an open incident on the status page", 1000, () -> {
                try {
                    return getJson(statusPort, "/api/v2/incidents/unresolved.json").getJsonArray("incidents").size() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            long openedMs = (System.nanoTime() - committed) / 1_000_000;
            System.out.println("automatic incident visible " + openedMs + " ms after the migration's commit");
            // both instances have reacted: each one's heartbeat reports the verdict its announcer was handed
            eventually("both instances report the incompatible verdict", 10_000, () -> flips.count(
                    "SELECT count(*) FROM control.instances WHERE instance_id IN ('auto-a', 'auto-b') AND verdict = 'incompatible'") == 2);

            assertEquals(1, flips.count("SELECT count(*) FROM control.incidents WHERE resolved_at IS NULL"), "one incident for two instances");
            var summary = getJson(statusPort, "/api/v2/summary.json");
            var incident = summary.getJsonArray("incidents").getJsonObject(0);
            assertEquals("HTTP vals unavailable: database migration ahead of running code", incident.getString("name"));
            assertEquals("investigating", incident.getString("status"));
            assertEquals("major", incident.getString("impact"));
            assertEquals("A database migration (app v900) needs code level 900; instances running level 1 are answering 503. Cron, script"
                    + " and email work is held and will run once they are replaced or the migration is rolled back.",
                    incident.getJsonArray("incident_updates").getJsonObject(0).getString("body"));
            assertEquals("critical", summary.getJsonObject("status").getString("indicator"));
            assertEquals("major_outage", componentStatus(summary, "HTTP vals"));
            assertEquals("degraded_performance", componentStatus(summary, "Cron vals"));

            // people can add updates to the automatic incident
            String team = teamToken(db);
            var post = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + statusPort + "/api/v2/incidents/"
                            + incident.getString("id") + "/updates"))
                    .header("Authorization", "Bearer " + team)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"identified\",\"body\":\"Rolling back the migration.\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, post.statusCode(), post.body());

            flips.removeContractRow(900);
            eventually("resolved after recovery", 10_000, () -> flips.count("SELECT count(*) FROM control.incidents WHERE resolved_at IS NULL") == 0);
            eventually("the status page shows the resolution", 10_000, () -> {
                try {
                    return getJson(statusPort, "/api/v2/incidents.json").getJsonArray("incidents").getJsonObject(0)
                            .getString("status").equals("resolved");
                } catch (Exception e) {
                    return false;
                }
            });
            var after = getJson(statusPort, "/api/v2/incidents.json").getJsonArray("incidents").getJsonObject(0);
            assertEquals("resolved", after.getString("status"));
            var updates = after.getJsonArray("incident_updates");
            assertEquals(3, updates.size());
            assertEquals("resolved", updates.getJsonObject(0).getString("status"));
            assertEquals("identified", updates.getJsonObject(1).getString("status"));
            assertEquals("investigating", updates.getJsonObject(2).getString("status"));
            var summaryAfter = getJson(statusPort, "/api/v2/summary.json");
            assertEquals("operational", componentStatus(summaryAfter, "HTTP vals"));
            assertEquals("none", summaryAfter.getJsonObject("status").getString("indicator"));
            assertEquals("All Systems Operational", summaryAfter.getJsonObject("status").getString("description"));
        }
    }

    @Test
    void the_incident_stays_open_while_no_compatible_instance_answers_and_resolves_within_a_second_of_one_becoming_ready()
            throws Exception {
        String db = TestDatabase.newDatabase("automatic_incident_handover");
        var flips = new SchemaFlips(db);
        String unresolved = "SELECT count(*) FROM control.incidents WHERE resolved_at IS NULL";
        var old = start(db, "auto-old");
        try {
            flips.applyTestContractMigration();
            eventually("an open incident", 1000, () -> flips.count(unresolved) == 1);
        } finally {
            old.close(); // the only instance, running code the contract migration broke, stops
        }

        Thread.sleep(1500); // nothing answers vals now: nothing may claim they are back
        assertEquals(1, flips.count(unresolved), "still open while no instance answers");
        assertEquals(List.of("investigating|The instances running incompatible code have stopped; waiting for an instance running"
                        + " compatible code to answer. HTTP vals stay unavailable until one does.",
                "investigating|A database migration (app v900) needs code level 900; instances running level 1 are answering 503. Cron,"
                        + " script and email work is held and will run once they are replaced or the migration is rolled back."),
                updates(flips));

        try (var fresh = start(db, "auto-new", new BuildInfo(900, 900, "level-900"))) {
            var ready = fresh.guard().current();
            assertTrue(ready.compatible(), ready.message());
            eventually("resolved once a compatible instance is ready", 1000, () -> flips.count(unresolved) == 0);
            long resolvedAfterReadyMs = flips.count("SELECT (extract(epoch FROM resolved_at) * 1000)::bigint FROM control.incidents")
                    - ready.since().toEpochMilli();
            System.out.println("incident resolved " + resolvedAfterReadyMs + " ms after the compatible instance became ready");
            assertTrue(resolvedAfterReadyMs >= 0 && resolvedAfterReadyMs <= 1000, resolvedAfterReadyMs + " ms");
            var updates = updates(flips);
            assertEquals(3, updates.size(), updates.toString());
            assertEquals("resolved|Resolved: instance auto-new (build level-900, level 900) runs compatible code and is answering: schema"
                    + " is at app v900 (floor 900); this build is level 900 (minimum 900): compatible. No instance running incompatible"
                    + " code is live; HTTP vals are answering normally and held cron, script and email work is running.", updates.getFirst());
        }
    }

    /** "status|body" of the incident's updates, newest first. */
    private static List<String> updates(SchemaFlips flips) {
        return flips.strings("SELECT u.status || '|' || u.body FROM control.incident_updates u ORDER BY u.created_at DESC");
    }

    /** A team token made the way an operator would: through the status page's own bootstrap. */
    private static String teamToken(String db) {
        String jdbc = TestDatabase.jdbcUrl(db);
        var hikari = new com.zaxxer.hikari.HikariDataSource();
        hikari.setJdbcUrl(jdbc);
        hikari.setUsername("postgres");
        try (hikari) {
            return new dev.valence.status.store.TeamTokens(hikari).create("test");
        }
    }
}
