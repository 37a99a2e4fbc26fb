package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's own {@code curl -d} examples work at any size: a JSON route reads its body as JSON, whatever Content-Type says. */
class JsonWithoutContentTypeTest {

    @Test
    void a_large_json_body_without_content_type_or_as_curl_d_sends_it_is_read_as_json() {
        try (var platform = TestPlatform.start("edge_json_type")) {
            String code = "export default () => new Response('" + "x".repeat(20_000) + "')";
            var bare = platform.send("POST", "/api/v1/vals", platform.adminToken,
                    new JsonObject().put("name", "bare").put("code", code).encode(), Map.of());
            assertEquals(201, bare.status(), bare.body());
            var curlD = platform.send("POST", "/api/v1/vals", platform.adminToken,
                    new JsonObject().put("name", "curl").put("code", code).encode(),
                    Map.of("Content-Type", "application/x-www-form-urlencoded"));
            assertEquals(201, curlD.status(), curlD.body());
            var put = platform.send("PUT", "/api/v1/vals/admin/curl", platform.adminToken,
                    new JsonObject().put("code", code + ";").encode(), Map.of("Content-Type", "application/x-www-form-urlencoded"));
            assertEquals(200, put.status(), put.body());
            assertEquals("x".repeat(20_000), platform.get("/v/admin/curl").body());
        }
    }

    @Test
    void the_status_pages_api_reads_a_large_json_body_sent_as_curl_d_sends_it() throws Exception {
        java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("valence-edge-status");
        try (var platform = TestPlatform.start("edge_status_json", Map.of("VALENCE_DATA_DIR", dataDir.toString()))) {
            String team = java.nio.file.Files.readString(dataDir.resolve("status-team-token")).trim();
            String base = "http://localhost:" + platform.valence.statusPage().port();
            String body = new JsonObject().put("name", "Slow answers").put("body", "y".repeat(12_000)).encode();
            for (String contentType : new String[] {null, "application/x-www-form-urlencoded"}) {
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v2/incidents"))
                        .header("Authorization", "Bearer " + team).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
                if (contentType != null) request.header("Content-Type", contentType);
                var reply = platform.send(request.build());
                assertEquals(201, reply.status(), contentType + ": " + reply.body());
                assertEquals("Slow answers", reply.json().getJsonObject("incident").getString("name"));
            }
        }
    }
}
