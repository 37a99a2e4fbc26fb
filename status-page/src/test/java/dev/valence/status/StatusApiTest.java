package dev.valence.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status page's Statuspage v2 API on a real server and database: shapes, schemas, writes and tokens. */
class StatusApiTest {
    static StatusTestSupport.Served served;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix("https://valence.dev/schemas/", "classpath:schemas/")));
    static final ObjectMapper mapper = new ObjectMapper();

    static final String HTTP_VALS = "httpvals0001";
    static final String CRON_VALS = "cronvals0001";
    static final String API = "authorapi001";

    @BeforeAll
    static void start() {
        served = StatusTestSupport.serve("status_api");
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    static Reply send(String method, String path, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(served.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        var r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers());
    }

    static JsonObject read(String path, String schemaDef) throws Exception {
        Reply reply = send("GET", path, null, null);
        assertEquals(200, reply.status(), path + ": " + reply.body());
        assertEquals("application/json", reply.headers().firstValue("content-type").orElse(null));
        JsonSchema schema = schemas.getSchema(SchemaLocation.of("https://valence.dev/schemas/statuspage-v2.json#/$defs/" + schemaDef));
        var errors = schema.validate(mapper.readTree(reply.body()));
        assertTrue(errors.isEmpty(), path + " does not match " + schemaDef + ": " + errors + "\n" + reply.body());
        return reply.json();
    }

    static JsonObject write(String method, String path, JsonObject body, int expected) throws Exception {
        Reply reply = send(method, path, served.teamToken(), body == null ? null : body.encode());
        assertEquals(expected, reply.status(), method + " " + path + ": " + reply.body());
        return reply.json();
    }

    @Test
    void every_read_endpoint_matches_its_schema_with_incidents_and_maintenance_of_every_kind() throws Exception {
        var open = write("POST", "/api/v2/incidents", new JsonObject().put("name", "Slow cron runs").put("status", "investigating")
                .put("impact", "minor").put("body", "We are **looking** into it.").put("components", new JsonObject().put(CRON_VALS, "degraded_performance")), 201)
                .getJsonObject("incident");
        var closed = write("POST", "/api/v2/incidents", new JsonObject().put("name", "API errors").put("impact", "major")
                .put("body", "Errors on the API.").put("components", new JsonArray().add(API)), 201).getJsonObject("incident");
        write("POST", "/api/v2/incidents/" + closed.getString("id") + "/updates", new JsonObject().put("status", "monitoring").put("body", "A fix is out."), 201);
        write("POST", "/api/v2/incidents/" + closed.getString("id") + "/resolve", new JsonObject().put("body", "All good."), 200);
        Instant now = Instant.now();
        var upcoming = write("POST", "/api/v2/scheduled-maintenances", new JsonObject().put("name", "Database upgrade").put("body", "PostgreSQL 18.")
                .put("scheduled_for", now.plus(1, ChronoUnit.DAYS).toString()).put("scheduled_until", now.plus(1, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS).toString())
                .put("components", new JsonArray().add(HTTP_VALS)), 201).getJsonObject("scheduled_maintenance");
        var active = write("POST", "/api/v2/scheduled-maintenances", new JsonObject().put("name", "Network work").put("body", "Switches.")
                .put("scheduled_for", now.minus(5, ChronoUnit.MINUTES).toString()).put("scheduled_until", now.plus(1, ChronoUnit.HOURS).toString())
                .put("components", new JsonArray().add(HTTP_VALS)), 201).getJsonObject("scheduled_maintenance");
        write("POST", "/api/v2/scheduled-maintenances/" + active.getString("id") + "/start", null, 200);

        var summary = read("/api/v2/summary.json", "summary");
        assertEquals(1, summary.getJsonArray("incidents").size());
        assertEquals(open.getString("id"), summary.getJsonArray("incidents").getJsonObject(0).getString("id"));
        assertEquals(2, summary.getJsonArray("scheduled_maintenances").size(), "active and upcoming");
        assertEquals(active.getString("id"), summary.getJsonArray("scheduled_maintenances").getJsonObject(0).getString("id"));
        assertEquals("minor", summary.getJsonObject("status").getString("indicator"));
        assertEquals("Minor Service Outage", summary.getJsonObject("status").getString("description"));
        var page = summary.getJsonObject("page");
        assertEquals("Valence", page.getString("name"));
        assertEquals("https://status.example.com/", page.getString("url"));

        read("/api/v2/status.json", "statusDocument");
        var components = read("/api/v2/components.json", "componentsDocument").getJsonArray("components");
        var group = components.getJsonObject(0);
        assertEquals("Vals", group.getString("name"));
        assertTrue(group.getBoolean("group"));
        assertEquals(new JsonArray().add("httpvals0001").add("cronvals0001").add("scriptval001").add("emailvals001"), group.getJsonArray("components"));
        assertEquals("under_maintenance", components.getJsonObject(1).getString("status"), "HTTP vals during the active maintenance");

        var incidents = read("/api/v2/incidents.json", "incidentsDocument").getJsonArray("incidents");
        assertEquals(closed.getString("id"), incidents.getJsonObject(0).getString("id"), "newest first");
        var resolved = incidents.getJsonObject(0);
        assertEquals("resolved", resolved.getString("status"));
        assertNotNull(resolved.getString("resolved_at"));
        assertNotNull(resolved.getString("monitoring_at"));
        var updates = resolved.getJsonArray("incident_updates");
        assertEquals(3, updates.size());
        assertEquals("All good.", updates.getJsonObject(0).getString("body"));
        assertEquals("Errors on the API.", updates.getJsonObject(2).getString("body"));
        assertEquals("https://status.example.com/incidents/" + closed.getString("id"), resolved.getString("shortlink"));

        assertEquals(1, read("/api/v2/incidents/unresolved.json", "unresolvedDocument").getJsonArray("incidents").size());
        assertEquals(2, read("/api/v2/scheduled-maintenances.json", "maintenancesDocument").getJsonArray("scheduled_maintenances").size());
        var up = read("/api/v2/scheduled-maintenances/upcoming.json", "upcomingDocument").getJsonArray("scheduled_maintenances");
        assertEquals(upcoming.getString("id"), up.getJsonObject(0).getString("id"));
        var act = read("/api/v2/scheduled-maintenances/active.json", "activeDocument").getJsonArray("scheduled_maintenances");
        assertEquals("in_progress", act.getJsonObject(0).getString("status"));

        write("POST", "/api/v2/scheduled-maintenances/" + active.getString("id") + "/complete", null, 200);
        write("POST", "/api/v2/incidents/" + open.getString("id") + "/resolve", null, 200);
        write("PATCH", "/api/v2/components/" + CRON_VALS, new JsonObject().put("status", "operational"), 200);
        var after = read("/api/v2/status.json", "statusDocument").getJsonObject("status");
        assertEquals("none", after.getString("indicator"));
        assertEquals("All Systems Operational", after.getString("description"));
        assertEquals("operational", read("/api/v2/components.json", "componentsDocument").getJsonArray("components").getJsonObject(1).getString("status"));
    }

    @Test
    void writes_need_a_team_token_and_refuse_val_author_tokens() throws Exception {
        String body = new JsonObject().put("name", "x").put("body", "y").encode();
        Reply none = send("POST", "/api/v2/incidents", null, body);
        assertEquals(401, none.status());
        assertEquals("unauthorized", none.json().getJsonObject("error").getString("code"));
        assertEquals(401, send("POST", "/api/v2/incidents", "vst_not-a-real-token", body).status());
        Reply author = send("POST", "/api/v2/incidents", "vl_an-authors-token", body);
        assertEquals(403, author.status());
        assertEquals("This is not a team token; val authors' tokens cannot write to the status page.",
                author.json().getJsonObject("error").getString("message"));
        assertEquals(401, send("PATCH", "/api/v2/components/" + API, null, "{\"status\":\"major_outage\"}").status());
        Reply team = send("PATCH", "/api/v2/components/" + API, served.teamToken(), "{\"status\":\"operational\"}");
        assertEquals(200, team.status(), team.body());
    }

    @Test
    void bad_writes_are_400_with_the_rule_and_change_nothing() throws Exception {
        var before = read("/api/v2/incidents.json", "incidentsDocument").getJsonArray("incidents").size();
        Reply badStatus = send("POST", "/api/v2/incidents", served.teamToken(), new JsonObject().put("name", "x").put("body", "y").put("status", "on_fire").encode());
        assertEquals(400, badStatus.status());
        assertEquals("incident status must be one of investigating, identified, monitoring, resolved, postmortem; got 'on_fire'.",
                badStatus.json().getJsonObject("error").getString("message"));
        Reply badImpact = send("POST", "/api/v2/incidents", served.teamToken(), new JsonObject().put("name", "x").put("body", "y").put("impact", "huge").encode());
        assertEquals("impact must be one of none, minor, major, critical; got 'huge'.", badImpact.json().getJsonObject("error").getString("message"));
        Reply unknown = send("POST", "/api/v2/incidents", served.teamToken(), new JsonObject().put("name", "x").put("body", "y")
                .put("components", new JsonArray().add("nosuchcompnt")).encode());
        assertEquals(400, unknown.status());
        assertEquals(400, send("POST", "/api/v2/incidents", served.teamToken(), "{\"name\": ").status());
        assertEquals(400, send("POST", "/api/v2/incidents", served.teamToken(), "{\"body\": \"no name\"}").status());
        assertEquals(404, send("POST", "/api/v2/incidents/zzzzzzzzzzzz/updates", served.teamToken(), "{\"body\":\"x\"}").status());
        Reply window = send("POST", "/api/v2/scheduled-maintenances", served.teamToken(), new JsonObject().put("name", "m").put("body", "b")
                .put("scheduled_for", "2030-01-02T00:00:00Z").put("scheduled_until", "2030-01-01T00:00:00Z").encode());
        assertEquals("'scheduled_until' must be after 'scheduled_for'.", window.json().getJsonObject("error").getString("message"));
        assertEquals(before, read("/api/v2/incidents.json", "incidentsDocument").getJsonArray("incidents").size());
    }

    @Test
    void hostile_text_comes_back_verbatim_as_json_data() throws Exception {
        String name = "<script>alert(1)</script>\"'&";
        var created = write("POST", "/api/v2/incidents", new JsonObject().put("name", name).put("impact", "none").put("body", "<img src=x onerror=alert(1)>"), 201);
        var incident = created.getJsonObject("incident");
        assertEquals(name, incident.getString("name"));
        assertEquals("<img src=x onerror=alert(1)>", incident.getJsonArray("incident_updates").getJsonObject(0).getString("body"));
        write("POST", "/api/v2/incidents/" + incident.getString("id") + "/resolve", null, 200);
    }

    @Test
    void shortlinks_lead_to_the_incident_on_the_page() throws Exception {
        var incident = write("POST", "/api/v2/incidents", new JsonObject().put("name", "Shortlink target").put("impact", "minor")
                .put("body", "Here."), 201).getJsonObject("incident");
        String id = incident.getString("id");
        assertEquals("https://status.example.com/incidents/" + id, incident.getString("shortlink"));
        Reply redirect = send("GET", "/incidents/" + id, null, null);
        assertEquals(302, redirect.status());
        assertEquals("/#incident-" + id, redirect.headers().firstValue("location").orElse(null));
        assertTrue(send("GET", "/", null, null).body().contains("<article id=\"incident-" + id + "\""));
        assertEquals(404, send("GET", "/incidents/zzzzzzzzzzzz", null, null).status());
        write("POST", "/api/v2/incidents/" + id + "/resolve", null, 200);
    }

    @Test
    void the_feeds_are_served_with_their_types() throws Exception {
        Reply atom = send("GET", "/history.atom", null, null);
        assertEquals(200, atom.status());
        assertEquals("application/atom+xml; charset=utf-8", atom.headers().firstValue("content-type").orElse(null));
        assertTrue(atom.body().startsWith("<?xml"), atom.body());
        Reply rss = send("GET", "/history.rss", null, null);
        assertEquals("application/rss+xml; charset=utf-8", rss.headers().firstValue("content-type").orElse(null));
    }

    @Test
    void the_stream_sends_the_summary_and_every_change() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(served.baseUrl() + "/api/v2/stream")).build();
        var response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(null));
        var lines = response.body().iterator();
        String first = nextData(lines);
        assertTrue(first.contains("\"indicator\""), first);
        write("PATCH", "/api/v2/components/" + API, new JsonObject().put("status", "partial_outage"), 200);
        String changed = nextData(lines);
        while (!changed.contains("partial_outage")) changed = nextData(lines);
        var event = new JsonObject(changed);
        assertEquals("major", event.getJsonObject("status").getString("indicator"));
        write("PATCH", "/api/v2/components/" + API, new JsonObject().put("status", "operational"), 200);
    }

    private static String nextData(java.util.Iterator<String> lines) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data: ")) return line.substring(6);
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void unknown_paths_are_json_404() throws Exception {
        Reply reply = send("GET", "/api/v2/nothing.json", null, null);
        assertEquals(404, reply.status());
        assertEquals("not_found", reply.json().getJsonObject("error").getString("code"));
        assertNull(reply.headers().firstValue("x-snapshot-stale").orElse(null));
    }
}
