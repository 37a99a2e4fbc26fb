package dev.valence.status.security;

import dev.valence.foundation.edge.HttpTimeouts;
import dev.valence.status.StatusPage;
import dev.valence.status.store.TeamTokens;
import dev.valence.foundation.outbound.AllowList;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A status page on a real PostgreSQL and a free port, with a team token, for the security tests. */
final class RunningStatusPage implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Vertx vertx;
    private final StatusPage page;
    private final HttpClient http = HttpClient.newHttpClient();
    final DataSource db;
    final int port;
    final String api;
    final String teamToken;

    /** A status page whose response bodies answer as text, with its status code. */
    record Response(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    RunningStatusPage(AllowList webhookAllowHosts) throws Exception {
        this(webhookAllowHosts, HttpTimeouts.DEFAULTS);
    }

    RunningStatusPage(AllowList webhookAllowHosts, HttpTimeouts timeouts) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        db = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(db).schemas("control").defaultSchema("control").createSchemas(true)
                .locations("classpath:db/migration/control").load().migrate();
        var snapshot = Files.createTempDirectory("valence-security-test").resolve("status-snapshot.json");
        page = new StatusPage(db, db::getConnection, new StatusPage.Settings("https://status.example.com/", snapshot, 5_000, webhookAllowHosts));
        vertx = Vertx.vertx();
        port = page.serve(vertx, "127.0.0.1", 0, timeouts);
        api = "http://127.0.0.1:" + port;
        teamToken = new TeamTokens(db).create("security test");
    }

    Response post(String path, JsonObject body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + teamToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    @Override
    public void close() throws Exception {
        page.close();
        vertx.close().await();
        postgres.close();
    }
}
