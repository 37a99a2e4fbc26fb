package dev.valence.status;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.store.StatusStore;
import dev.valence.status.store.TeamTokens;
import dev.valence.status.store.WebhookOutbox;
import dev.valence.foundation.outbound.AllowList;
import dev.valence.foundation.outbound.OutboundGuard;
import dev.valence.status.webhooks.WebhookDeliverer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook subscribers end to end: a real PostgreSQL with the control migrations, a status page
 * serving on a free port, and receivers on 127.0.0.1 (allowed by WEBHOOK_ALLOW_HOSTS) and 127.0.0.2
 * (not allowed) that record every request.
 */
class WebhooksTest {
    private static final String PAGE_URL = "https://status.example.com/";
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static EmbeddedPostgres postgres;
    private static DataSource db;
    private static Vertx vertx;
    private static StatusPage page;
    private static String api;
    private static String teamToken;
    private static Receiver allowed;
    private static Receiver loopback;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        db = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(db).schemas("control").defaultSchema("control").createSchemas(true)
                .locations("classpath:db/migration/control").load().migrate();
        allowed = Receiver.start("127.0.0.1");
        loopback = Receiver.start("127.0.0.2");
        var snapshot = Files.createTempDirectory("valence-webhooks-test").resolve("status-snapshot.json");
        page = new StatusPage(db, db::getConnection, new StatusPage.Settings(PAGE_URL, snapshot, 5_000, AllowList.parse("127.0.0.1")));
        vertx = Vertx.vertx();
        api = "http://127.0.0.1:" + page.serve(vertx, "127.0.0.1", 0);
        teamToken = new TeamTokens(db).create("webhooks test");
    }

    @AfterAll
    static void stop() throws IOException {
        if (page != null) page.close();
        if (vertx != null) vertx.close().await();
        if (allowed != null) allowed.server.stop(0);
        if (loopback != null) loopback.server.stop(0);
        if (postgres != null) postgres.close();
    }

    /** Each test sees only the subscribers it creates. */
    @BeforeEach
    void withoutOtherSubscribers() throws SQLException {
        sql("UPDATE control.webhook_deliveries SET failed_at = now(), claimed_by = NULL WHERE delivered_at IS NULL AND failed_at IS NULL");
        sql("UPDATE control.webhook_subscribers SET active = false");
    }

    // ------------------------------------------------------------------ what is delivered

    @Test
    void a_subscriber_gets_the_creation_every_update_and_the_resolution_in_order_each_signed() throws Exception {
        long startedAt = Instant.now().getEpochSecond();
        Subscription sub = subscribe("/hooks/ordered");

        String id = call("POST", "/api/v2/incidents", teamToken, new JsonObject().put("name", "Slow HTTP vals").put("impact", "major")
                .put("body", "We are looking into slow responses.").put("components", new JsonObject().put("httpvals0001", "degraded_performance")))
                .json().getJsonObject("incident").getString("id");
        assertEquals(201, call("POST", "/api/v2/incidents/" + id + "/updates", teamToken,
                new JsonObject().put("status", "identified").put("body", "A slow query.")).status());
        assertEquals(201, call("POST", "/api/v2/incidents/" + id + "/updates", teamToken,
                new JsonObject().put("status", "monitoring").put("body", "A fix is out.")).status());
        Response resolved = call("POST", "/api/v2/incidents/" + id + "/resolve", teamToken, new JsonObject());
        assertEquals(200, resolved.status(), resolved.body());

        List<Received> received = allowed.await("/hooks/ordered", 4);
        assertEquals(List.of("incident.created", "incident.updated", "incident.updated", "incident.resolved"),
                received.stream().map(r -> r.header("X-Valence-Event")).toList());
        List<String> statuses = List.of("investigating", "identified", "monitoring", "resolved");
        List<String> bodies = List.of("We are looking into slow responses.", "A slow query.", "A fix is out.", "This incident has been resolved.");
        long previousDelivery = 0;
        for (int i = 0; i < received.size(); i++) {
            Received r = received.get(i);
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals("Valence-Status-Webhooks/1", r.header("User-Agent"));
            assertEquals("sha256=" + hmacHex(sub.secret(), r.body()), r.header("X-Valence-Signature"));
            long timestamp = Long.parseLong(r.header("X-Valence-Timestamp"));
            assertTrue(timestamp >= startedAt && timestamp <= Instant.now().getEpochSecond(), "timestamp " + timestamp);
            long delivery = Long.parseLong(r.header("X-Valence-Delivery"));
            assertTrue(delivery > previousDelivery, "delivery ids follow creation order");
            previousDelivery = delivery;

            JsonObject payload = r.json();
            assertEquals(List.of("meta", "page", "incident"), List.copyOf(payload.fieldNames()));
            assertEquals(received.get(i).header("X-Valence-Event"), payload.getJsonObject("meta").getString("event"));
            assertEquals(new JsonObject().put("id", "valencepage1").put("name", "Valence").put("url", PAGE_URL), payload.getJsonObject("page"));
            JsonObject incident = payload.getJsonObject("incident");
            assertEquals(id, incident.getString("id"));
            assertEquals(statuses.get(i), incident.getString("status"));
            // the incident as it stood after this event: its updates so far, newest first
            assertEquals(statuses.subList(0, i + 1).reversed(), field(incident.getJsonArray("incident_updates"), "status"));
            assertEquals(bodies.subList(0, i + 1).reversed(), field(incident.getJsonArray("incident_updates"), "body"));
            assertEquals(PAGE_URL + "incidents/" + id, incident.getString("shortlink"));
        }
        assertEquals("degraded_performance", received.getFirst().json().getJsonObject("incident").getJsonArray("components").getJsonObject(0).getString("status"));
        JsonObject last = received.getLast().json().getJsonObject("incident");
        JsonObject served = call("GET", "/api/v2/incidents.json", null, null).json().getJsonArray("incidents").stream()
                .map(JsonObject.class::cast).filter(i -> i.getString("id").equals(id)).findFirst().orElseThrow();
        assertEquals(served, last, "the resolution's incident is exactly what the read API serves");

        // the receiver has the last request a moment before the outbox records the answer
        JsonArray log = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> deliveries(sub.id()), l -> l.stream().allMatch(r -> ((JsonObject) r).getString("state").equals("delivered")));
        assertEquals(4, log.size());
        for (int i = 0; i < 4; i++) {
            JsonObject row = log.getJsonObject(i);
            Received r = received.get(3 - i);
            assertEquals(Long.parseLong(r.header("X-Valence-Delivery")), row.getLong("id"));
            assertEquals(r.header("X-Valence-Event"), row.getString("event"));
            assertEquals(id, row.getString("incident_id"));
            assertEquals("delivered", row.getString("state"));
            assertEquals(1, row.getInteger("attempts"));
            assertEquals(204, row.getInteger("last_status"));
            assertNull(row.getString("last_error"));
            assertNull(row.getString("next_attempt_at"));
            assertNull(row.getString("failed_at"));
            assertNotNull(row.getString("delivered_at"));
            assertEquals(row.getString("created_at"), r.json().getJsonObject("meta").getString("generated_at"));
        }
    }

    @Test
    void maintenance_and_automatic_incidents_are_announced_too() throws Exception {
        subscribe("/hooks/more");
        String maintenance = call("POST", "/api/v2/scheduled-maintenances", teamToken, new JsonObject().put("name", "Database upgrade")
                .put("body", "We upgrade PostgreSQL.").put("scheduled_for", "2030-01-01T02:00:00Z").put("scheduled_until", "2030-01-01T03:00:00Z")
                .put("components", new JsonArray().add("cronvals0001"))).json().getJsonObject("scheduled_maintenance").getString("id");
        assertEquals(200, call("POST", "/api/v2/scheduled-maintenances/" + maintenance + "/start", teamToken, new JsonObject()).status());
        assertEquals(200, call("POST", "/api/v2/scheduled-maintenances/" + maintenance + "/complete", teamToken, new JsonObject()).status());
        var cause = new AutomaticIncidents.Cause("webhooks_test", "Vals are slow", Impact.MINOR, "Slow, we are on it.",
                Map.of("http_vals", ComponentStatus.PARTIAL_OUTAGE));
        String automatic = page.automatic().open(cause).orElseThrow();
        assertTrue(page.automatic().open(cause).isEmpty(), "one open incident per cause");
        assertTrue(page.automatic().resolve("webhooks_test", "Fast again.", Map.of("http_vals", ComponentStatus.OPERATIONAL)));

        List<Received> received = allowed.await("/hooks/more", 5);
        assertEquals(List.of("maintenance.created", "maintenance.updated", "maintenance.completed", "incident.created", "incident.resolved"),
                received.stream().map(r -> r.header("X-Valence-Event")).toList());
        assertEquals(List.of(maintenance, maintenance, maintenance, automatic, automatic),
                received.stream().map(r -> r.json().getJsonObject("incident").getString("id")).toList());
        assertEquals(List.of("scheduled", "in_progress", "completed", "investigating", "resolved"),
                received.stream().map(r -> r.json().getJsonObject("incident").getString("status")).toList());
        JsonObject scheduled = received.getFirst().json().getJsonObject("incident");
        assertEquals("2030-01-01T02:00:00.000+00:00", scheduled.getString("scheduled_for"));
        assertEquals("2030-01-01T03:00:00.000+00:00", scheduled.getString("scheduled_until"));
        assertEquals(List.of("Fast again.", "Slow, we are on it."), field(received.getLast().json().getJsonObject("incident")
                .getJsonArray("incident_updates"), "body"));
    }

    @Test
    void deliveries_are_written_in_the_transaction_of_the_change_and_a_rolled_back_change_announces_nothing() throws Exception {
        Subscription sub = subscribe("/hooks/transactions");
        var store = new StatusStore(db);
        String id = store.createIncident(new StatusStore.NewIncident("Queued", IncidentStatus.INVESTIGATING, Impact.MINOR, Map.of(),
                "First.", null, null, null, "test")).orElseThrow();
        store.postUpdate(id, IncidentStatus.IDENTIFIED, "Second.", Map.of(), "test").orElseThrow();
        // now() is the start of the transaction: equal times mean one transaction wrote both rows
        assertEquals(List.of("incident.created true", "incident.updated true"), rows("""
                SELECT d.event || ' ' || (d.created_at = CASE d.event WHEN 'incident.created' THEN i.created_at
                       ELSE (SELECT u.created_at FROM control.incident_updates u WHERE u.incident_id = i.id AND u.status = 'identified') END)
                FROM control.webhook_deliveries d JOIN control.incidents i ON i.id = d.incident_id
                WHERE d.subscriber_id = '%s' ORDER BY d.id""".formatted(sub.id())));

        assertThrows(StatusStore.StoreFailure.class, () -> store.createIncident(new StatusStore.NewIncident("Never happened",
                IncidentStatus.INVESTIGATING, Impact.MINOR, Map.of("nosuchthing1", ComponentStatus.MAJOR_OUTAGE), "Nope.", null, null, null, "test")));
        assertEquals(List.of("0"), rows("SELECT count(*) FROM control.incidents WHERE name = 'Never happened'"));
        assertEquals(List.of("2"), rows("SELECT count(*) FROM control.webhook_deliveries WHERE subscriber_id = '" + sub.id() + "'"));
        allowed.await("/hooks/transactions", 2);
    }

    // ------------------------------------------------------------------ retries

    @Test
    void a_failed_delivery_is_retried_1_then_2_seconds_later_and_the_log_shows_each_attempt() throws Exception {
        allowed.script("/hooks/flaky", 500, 500, 200);
        Subscription sub = subscribe("/hooks/flaky");
        String id = createIncident("Flaky receiver");

        JsonObject first = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> latestDelivery(sub.id()), r -> r.getInteger("attempts") == 1 && r.getInteger("last_status") != null);
        assertEquals("pending", first.getString("state"));
        assertEquals(500, first.getInteger("last_status"));
        assertEquals("answered HTTP 500", first.getString("last_error"));
        assertEquals(Duration.ofSeconds(1), between(first.getString("last_attempt_at"), first.getString("next_attempt_at")));

        JsonObject second = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> latestDelivery(sub.id()),
                r -> r.getInteger("attempts") == 2 && !r.getString("last_attempt_at").equals(first.getString("last_attempt_at")));
        assertEquals("pending", second.getString("state"));
        assertEquals("answered HTTP 500", second.getString("last_error"));
        assertEquals(Duration.ofSeconds(2), between(second.getString("last_attempt_at"), second.getString("next_attempt_at")));

        JsonObject done = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> latestDelivery(sub.id()), r -> r.getString("state").equals("delivered"));
        assertEquals(3, done.getInteger("attempts"));
        assertEquals(200, done.getInteger("last_status"));
        assertNull(done.getString("last_error"));
        assertNull(done.getString("next_attempt_at"));
        assertEquals(id, done.getString("incident_id"));

        List<Received> received = allowed.await("/hooks/flaky", 3);
        for (Received r : received) {
            assertArrayEquals(received.getFirst().body(), r.body(), "every attempt sends the same bytes");
            assertEquals(received.getFirst().header("X-Valence-Delivery"), r.header("X-Valence-Delivery"));
            assertEquals("sha256=" + hmacHex(sub.secret(), r.body()), r.header("X-Valence-Signature"));
        }
        assertTrue(received.get(1).atNanos() - received.get(0).atNanos() >= Duration.ofSeconds(1).toNanos(), "first retry after 1 s");
        assertTrue(received.get(2).atNanos() - received.get(1).atNanos() >= Duration.ofSeconds(2).toNanos(), "second retry after 2 s");
    }

    @Test
    void a_delivery_still_failing_at_the_tenth_attempt_is_given_up() throws Exception {
        allowed.script("/hooks/down", 503, 503, 503);
        Subscription sub = subscribe("/hooks/down");
        createIncident("Receiver down");
        JsonObject first = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> latestDelivery(sub.id()), r -> r.getInteger("attempts") == 1 && r.getInteger("last_status") != null);
        assertEquals(List.of("1"), rows("UPDATE control.webhook_deliveries SET attempts = 9 WHERE id = " + first.getLong("id")
                + " AND claimed_by IS NULL RETURNING 1"));

        JsonObject failed = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> latestDelivery(sub.id()), r -> r.getString("state").equals("failed"));
        assertEquals(10, failed.getInteger("attempts"));
        assertEquals(503, failed.getInteger("last_status"));
        assertEquals("answered HTTP 503; gave up after 10 attempts", failed.getString("last_error"));
        assertNull(failed.getString("next_attempt_at"));
        assertNull(failed.getString("delivered_at"));
        assertNotNull(failed.getString("failed_at"));
        assertEquals(2, allowed.received("/hooks/down").size());
    }

    @Test
    void a_refused_connection_is_retried_like_an_error_answer() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.ofLiteral("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        Subscription sub = subscribeUrl("http://127.0.0.1:" + closedPort + "/hooks/nobody");
        createIncident("Nobody listens");
        JsonObject first = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> latestDelivery(sub.id()), r -> r.getString("last_attempt_at") != null);
        assertEquals("pending", first.getString("state"));
        assertEquals(1, first.getInteger("attempts"));
        assertNull(first.getValue("last_status"));
        assertEquals("could not connect (connection refused)", first.getString("last_error"));
        assertEquals(Duration.ofSeconds(1), between(first.getString("last_attempt_at"), first.getString("next_attempt_at")));
    }

    @Test
    void two_processes_draining_one_outbox_send_each_delivery_once_and_in_order_per_subscriber() throws Exception {
        try (var rival = new WebhookDeliverer(new WebhookOutbox(db), PAGE_URL, new OutboundGuard(AllowList.parse("127.0.0.1")))) {
            var paths = List.of("/hooks/shared-1", "/hooks/shared-2", "/hooks/shared-3");
            for (String path : paths) subscribe(path);
            var store = new StatusStore(db);
            var incidents = new ArrayList<String>();
            for (int i = 1; i <= 6; i++) {
                incidents.add(store.createIncident(new StatusStore.NewIncident("Shared " + i, IncidentStatus.INVESTIGATING, Impact.MINOR,
                        Map.of(), "Number " + i + ".", null, null, null, "test")).orElseThrow());
                rival.wake();
            }
            var deliveryIds = new java.util.HashSet<String>();
            for (String path : paths) {
                List<Received> received = allowed.await(path, 6);
                assertEquals(incidents, received.stream().map(r -> r.json().getJsonObject("incident").getString("id")).toList(), path);
                var ids = received.stream().map(r -> Long.parseLong(r.header("X-Valence-Delivery"))).toList();
                assertEquals(ids.stream().sorted().toList(), ids, path);
                received.forEach(r -> deliveryIds.add(r.header("X-Valence-Delivery")));
            }
            assertEquals(18, deliveryIds.size(), "18 deliveries, each received once");
        }
    }

    @Test
    void retries_wait_one_second_doubling_up_to_an_hour() {
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 1024L, 2048L, 3600L, 3600L),
                java.util.stream.IntStream.rangeClosed(1, 14).mapToObj(n -> WebhookDeliverer.retryDelay(n).toSeconds()).toList());
        assertEquals(Duration.ofHours(1), WebhookDeliverer.retryDelay(1_000));
    }

    // ------------------------------------------------------------------ the outbound guard

    @Test
    void subscribers_on_private_metadata_and_loopback_addresses_are_refused_and_never_contacted() throws Exception {
        var cases = Map.of(
                "http://10.0.0.1/", "refused: 10.0.0.1 is a private address; allow it with WEBHOOK_ALLOW_HOSTS",
                "http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a cloud metadata address; allow it with WEBHOOK_ALLOW_HOSTS",
                loopback.url("/hooks/never"), "refused: 127.0.0.2 is a loopback address; allow it with WEBHOOK_ALLOW_HOSTS");
        var ids = new TreeMap<String, String>();
        // stored directly: the API refuses these at subscription now (see WebhookTargetsRefusedAtSubscriptionTest);
        // the deliverer still refuses rows from before that check, or a name that pointed elsewhere when subscribed
        var store = new dev.valence.status.store.WebhookSubscribers(db);
        for (String url : cases.keySet()) ids.put(url, store.create(url).subscriber().id());
        String id = createIncident("Nobody private hears this");

        for (var c : cases.entrySet()) {
            JsonObject row = eventually("the delivery log as expected", DEADLINE.toMillis(), () -> latestDelivery(ids.get(c.getKey())), r -> !r.getString("state").equals("pending"));
            assertEquals("failed", row.getString("state"), c.getKey());
            assertEquals(c.getValue(), row.getString("last_error"), c.getKey());
            assertEquals(1, row.getInteger("attempts"), c.getKey());
            assertNull(row.getValue("last_status"), c.getKey());
            assertNull(row.getString("next_attempt_at"), c.getKey());
            assertEquals(id, row.getString("incident_id"));
        }
        assertEquals(List.of(), loopback.received("/hooks/never"));
        var probe = http.send(HttpRequest.newBuilder(URI.create(loopback.url("/hooks/probe"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(204, probe.statusCode(), "the refused receiver was there to be reached");
    }

    // ------------------------------------------------------------------ the subscriber API

    @Test
    void the_subscriber_api_answers_team_tokens_only() throws Exception {
        String someone = subscribe("/hooks/tokens").id();
        record Endpoint(String method, String path, JsonObject body, int ok) {}
        String valAuthor = "vl_" + "a".repeat(43);
        for (var endpoint : List.of(
                new Endpoint("POST", "/api/v2/subscribers", new JsonObject().put("url", allowed.url("/hooks/tokens")), 201),
                new Endpoint("GET", "/api/v2/subscribers", null, 200),
                new Endpoint("GET", "/api/v2/subscribers/" + someone + "/deliveries", null, 200),
                new Endpoint("DELETE", "/api/v2/subscribers/" + someone, null, 204))) {
            String where = endpoint.method() + " " + endpoint.path();
            for (var bad : List.of(
                    List.of("", "401", "unauthorized", "This needs a team token: send 'Authorization: Bearer vst_...'."),
                    List.of("Basic dXNlcjpwYXNz", "401", "unauthorized", "This needs a team token: send 'Authorization: Bearer vst_...'."),
                    List.of("Bearer vst_not-a-real-token", "401", "unauthorized", "The team token is not valid."),
                    List.of("Bearer " + valAuthor, "403", "forbidden", "This is not a team token; val authors' tokens cannot write to the status page."))) {
                Response response = callAuthorized(endpoint.method(), endpoint.path(), bad.get(0).isEmpty() ? null : bad.get(0), endpoint.body());
                assertEquals(Integer.parseInt(bad.get(1)), response.status(), where + " with '" + bad.get(0) + "'");
                assertEquals(new JsonObject().put("error", new JsonObject().put("code", bad.get(2)).put("message", bad.get(3))), response.json(), where);
            }
            assertEquals(endpoint.ok(), call(endpoint.method(), endpoint.path(), teamToken, endpoint.body()).status(), where + " with the team token");
        }
    }

    @Test
    void hostile_and_malformed_urls_are_refused_at_subscription() throws Exception {
        var cases = new TreeMap<String, String>(Map.of(
                "javascript:alert(document.cookie)", "'url' must be an http:// or https:// URL; got 'javascript:'.",
                "file:///etc/passwd", "'url' must be an http:// or https:// URL; got 'file:'.",
                "ftp://example.com/hooks", "'url' must be an http:// or https:// URL; got 'ftp:'.",
                "//example.com/hooks", "'url' must be an http:// or https:// URL; got no scheme.",
                "http://example.com/<script>alert(1)</script>", "'url' is not a valid URL (Illegal character in path at index 19).",
                "http:///etc/passwd", "'url' must name a host, like https://hooks.example.com/status.",
                "http:example.com", "'url' must name a host, like https://hooks.example.com/status.",
                "https://user:secret@example.com/hooks", "'url' must not carry credentials; check the X-Valence-Signature header instead.",
                "https://example.com/hooks#part", "'url' must not have a #fragment.",
                "https://example.com/" + "a".repeat(2000), "'url' may be at most 2000 characters."));
        for (var c : cases.entrySet()) {
            Response response = call("POST", "/api/v2/subscribers", teamToken, new JsonObject().put("url", c.getKey()));
            assertEquals(400, response.status(), c.getKey());
            assertEquals(new JsonObject().put("error", new JsonObject().put("code", "bad_request").put("message", c.getValue())), response.json(), c.getKey());
        }
        for (var body : List.of(new JsonObject(), new JsonObject().put("url", 42), new JsonObject().put("url", " "))) {
            Response response = call("POST", "/api/v2/subscribers", teamToken, body);
            assertEquals(400, response.status(), body.encode());
            assertEquals("'url' is required: the http:// or https:// address to POST events to.",
                    response.json().getJsonObject("error").getString("message"));
        }
        Response notAnObject = call("POST", "/api/v2/subscribers", teamToken, "[\"http://example.com/\"]");
        assertEquals(400, notAnObject.status());
        assertEquals("The request body must be a JSON object.", notAnObject.json().getJsonObject("error").getString("message"));

        JsonObject normalized = call("POST", "/api/v2/subscribers", teamToken, new JsonObject().put("url", "HTTPS://Hooks.Example.com/Status")).json();
        assertEquals("https://Hooks.Example.com/Status", normalized.getString("url"));
        assertEquals(List.of("https://Hooks.Example.com/Status"), field(call("GET", "/api/v2/subscribers", teamToken, null).json()
                .getJsonArray("subscribers"), "url"));
    }

    @Test
    void subscribing_shows_the_secret_once_and_deleting_stops_deliveries() throws Exception {
        Response created = call("POST", "/api/v2/subscribers", teamToken, new JsonObject().put("url", allowed.url("/hooks/deleted")));
        assertEquals(201, created.status());
        JsonObject subscriber = created.json();
        assertEquals(List.of("id", "url", "created_at", "secret"), List.copyOf(subscriber.fieldNames()));
        assertTrue(subscriber.getString("id").matches("[a-z0-9]{12}"), subscriber.getString("id"));
        assertTrue(subscriber.getString("secret").matches("[0-9a-f]{64}"), "32 random bytes in hex");
        assertEquals(allowed.url("/hooks/deleted"), subscriber.getString("url"));

        JsonObject listed = call("GET", "/api/v2/subscribers", teamToken, null).json();
        JsonObject withoutSecret = subscriber.copy();
        withoutSecret.remove("secret");
        assertEquals(new JsonObject().put("subscribers", new JsonArray().add(withoutSecret)), listed);
        assertEquals(new JsonObject().put("deliveries", new JsonArray()), call("GET", "/api/v2/subscribers/" + subscriber.getString("id") + "/deliveries", teamToken, null).json());

        String id = subscriber.getString("id");
        Response deleted = call("DELETE", "/api/v2/subscribers/" + id, teamToken, null);
        assertEquals(204, deleted.status());
        assertEquals("", deleted.body());
        assertEquals(new JsonObject().put("subscribers", new JsonArray()), call("GET", "/api/v2/subscribers", teamToken, null).json());
        for (var request : List.of(List.of("DELETE", "/api/v2/subscribers/" + id), List.of("GET", "/api/v2/subscribers/" + id + "/deliveries"),
                List.of("GET", "/api/v2/subscribers/nosuchsubscr/deliveries"))) {
            Response response = call(request.get(0), request.get(1), teamToken, null);
            assertEquals(404, response.status(), request.toString());
            assertEquals("No subscriber " + request.get(1).split("/")[4] + ".", response.json().getJsonObject("error").getString("message"));
        }
        assertEquals(List.of(""), rows("SELECT secret FROM control.webhook_subscribers WHERE id = '" + id + "'"));
        createIncident("After unsubscribing");
        assertEquals(List.of("0"), rows("SELECT count(*) FROM control.webhook_deliveries WHERE subscriber_id = '" + id + "'"));
    }

    // ------------------------------------------------------------------ helpers

    private record Subscription(String id, String secret) {}

    private static Subscription subscribe(String path) throws Exception {
        return subscribeUrl(allowed.url(path));
    }

    private static Subscription subscribeUrl(String url) throws Exception {
        Response response = call("POST", "/api/v2/subscribers", teamToken, new JsonObject().put("url", url));
        assertEquals(201, response.status(), response.body());
        return new Subscription(response.json().getString("id"), response.json().getString("secret"));
    }

    private static String createIncident(String name) throws Exception {
        Response response = call("POST", "/api/v2/incidents", teamToken, new JsonObject().put("name", name).put("body", "Looking into it."));
        assertEquals(201, response.status(), response.body());
        return response.json().getJsonObject("incident").getString("id");
    }

    private static JsonArray deliveries(String subscriberId) {
        try {
            Response response = call("GET", "/api/v2/subscribers/" + subscriberId + "/deliveries", teamToken, null);
            assertEquals(200, response.status(), response.body());
            return response.json().getJsonArray("deliveries");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject latestDelivery(String subscriberId) {
        JsonArray log = deliveries(subscriberId);
        return log.isEmpty() ? null : log.getJsonObject(0);
    }

    private record Response(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** A request with a team token (or, with null, without any). */
    private static Response call(String method, String path, String token, Object body) throws Exception {
        return callAuthorized(method, path, token == null ? null : "Bearer " + token, body);
    }

    private static Response callAuthorized(String method, String path, String authorization, Object body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) request.header("Authorization", authorization);
        if (body != null) request.header("Content-Type", "application/json");
        String text = body == null ? null : body instanceof JsonObject o ? o.encode() : body.toString();
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private static Duration between(String from, String to) {
        return Duration.between(Instant.from(java.time.OffsetDateTime.parse(from)), Instant.from(java.time.OffsetDateTime.parse(to)));
    }

    private static List<String> field(JsonArray array, String name) {
        return array.stream().map(o -> ((JsonObject) o).getString(name)).toList();
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static void sql(String statement) throws SQLException {
        try (var c = db.getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static List<String> rows(String query) throws SQLException {
        try (var c = db.getConnection(); var s = c.createStatement(); var rows = s.executeQuery(query)) {
            var list = new ArrayList<String>();
            while (rows.next()) list.add(rows.getString(1));
            return list;
        }
    }

    /** One request a receiver got: path, headers (first values, any case), body, and when (System.nanoTime). */
    private record Received(String path, Map<String, String> headers, byte[] body, long atNanos) {
        String header(String name) {
            return headers.get(name);
        }

        JsonObject json() {
            return new JsonObject(new String(body, StandardCharsets.UTF_8));
        }
    }

    /** A webhook receiver on one loopback address: records every request; answers 204 unless a path is scripted. */
    private static final class Receiver {
        final HttpServer server;
        final String host;
        final List<Received> received = new CopyOnWriteArrayList<>();
        final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();

        private Receiver(HttpServer server, String host) {
            this.server = server;
            this.host = host;
        }

        static Receiver start(String host) throws IOException {
            var receiver = new Receiver(HttpServer.create(new InetSocketAddress(host, 0), 0), host);
            receiver.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            receiver.server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
                String path = exchange.getRequestURI().getPath();
                receiver.received.add(new Received(path, headers, body, System.nanoTime()));
                Integer scripted = receiver.scripts.getOrDefault(path, new ConcurrentLinkedDeque<>()).pollFirst();
                exchange.sendResponseHeaders(scripted == null ? 204 : scripted, -1);
                exchange.close();
            });
            receiver.server.start();
            return receiver;
        }

        String url(String path) {
            return "http://" + host + ":" + server.getAddress().getPort() + path;
        }

        void script(String path, Integer... statuses) {
            scripts.put(path, new ConcurrentLinkedDeque<>(List.of(statuses)));
        }

        List<Received> received(String path) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }

        List<Received> await(String path, int count) throws InterruptedException {
            List<Received> got = eventually(count + " requests at " + path, DEADLINE.toMillis(), () -> received(path), list -> list.size() >= count);
            assertEquals(count, got.size(), "requests at " + path);
            return got;
        }
    }
}
