package dev.valence.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The status page does not go down with its database: it serves the last snapshot, marked, and recovers. */
class StatusSurvivalTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static EmbeddedPostgres postgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    void with_the_database_gone_the_page_serves_its_last_snapshot_marked_stale_and_recovers() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path pgData = StatusTestSupport.tempDir().resolve("pg");
        Path dataDir = StatusTestSupport.tempDir();
        String jdbc = "jdbc:postgresql://localhost:" + port + "/postgres";
        var ds = new PGSimpleDataSource();
        ds.setUrl(jdbc);
        ds.setUser("postgres");
        ds.setConnectTimeout(2);

        var postgres = postgres(pgData, port);
        Flyway.configure().dataSource(ds).schemas("control").defaultSchema("control").createSchemas(true)
                .locations("classpath:db/migration/control").load().migrate();
        var served = StatusTestSupport.serveOn("postgres", ds, dataDir);
        String incidentId;
        try {
            var created = client.send(HttpRequest.newBuilder(URI.create(served.baseUrl() + "/api/v2/incidents"))
                    .header("Authorization", "Bearer " + served.teamToken())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Elevated errors\",\"impact\":\"major\",\"body\":\"Looking.\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            incidentId = new JsonObject(created.body()).getJsonObject("incident").getString("id");

            postgres.close();
            eventually("the snapshot is marked stale", 20_000, () -> served.page().keeper().view().stale());
            var summary = get(served.baseUrl(), "/api/v2/summary.json");
            assertEquals(200, summary.statusCode());
            assertEquals("true", summary.headers().firstValue("x-snapshot-stale").orElse(null));
            assertTrue(summary.headers().firstValue("x-snapshot-taken-at").isPresent());
            assertEquals(incidentId, new JsonObject(summary.body()).getJsonArray("incidents").getJsonObject(0).getString("id"));
            assertEquals(200, get(served.baseUrl(), "/history.atom").statusCode());

            var write = client.send(HttpRequest.newBuilder(URI.create(served.baseUrl() + "/api/v2/incidents/" + incidentId + "/resolve"))
                    .header("Authorization", "Bearer " + served.teamToken()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, write.statusCode(), write.body());
        } finally {
            served.close();
        }

        // a status page started while the database is still gone serves the snapshot file
        var restarted = StatusTestSupport.serveOnWithoutToken("postgres", ds, dataDir);
        try {
            var summary = get(restarted.baseUrl(), "/api/v2/summary.json");
            assertEquals(200, summary.statusCode());
            assertEquals("true", summary.headers().firstValue("x-snapshot-stale").orElse(null));
            assertEquals(incidentId, new JsonObject(summary.body()).getJsonArray("incidents").getJsonObject(0).getString("id"));

            try (var back = postgres(pgData, port)) {
                eventually("fresh again", 20_000, () -> !restarted.page().keeper().view().stale());
                var fresh = get(restarted.baseUrl(), "/api/v2/summary.json");
                assertTrue(fresh.headers().firstValue("x-snapshot-stale").isEmpty());
                try (var c = DriverManager.getConnection(jdbc, "postgres", "")) {
                    assertTrue(c.isValid(1));
                }
            }
        } finally {
            restarted.close();
        }
    }
}
