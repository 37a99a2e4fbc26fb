package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The embedded default: no DATABASE_URL, a data folder that survives restarts. */
class RestartTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String call(int port, String method, String path, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void vals_and_tokens_survive_a_restart_on_the_same_data_folder() throws Exception {
        Path dataDir = TestDatabase.tempDir("valence-restart");
        Map<String, String> env = Map.of("VALENCE_DATA_DIR", dataDir.toString(), "PORT", "0", "STATUS_PORT", "0");

        String token;
        try (Valence first = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)))) {
            token = first.bootstrapToken().orElseThrow();
            Path tokenFile = dataDir.resolve("bootstrap-token");
            assertEquals(token, Files.readString(tokenFile).trim());
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(tokenFile));
            String created = call(first.port(), "POST", "/api/v1/vals", token,
                    new JsonObject().put("name", "kept").put("code", "export default () => new Response('kept across restarts')").encode());
            assertTrue(created.startsWith("201 "), created);
            assertEquals("200 kept across restarts", call(first.port(), "GET", "/v/admin/kept", null, null));
        }

        try (Valence second = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)))) {
            assertTrue(second.bootstrapToken().isEmpty(), "the admin is created once");
            assertEquals("200 kept across restarts", call(second.port(), "GET", "/v/admin/kept", null, null));
            assertTrue(call(second.port(), "GET", "/api/v1/me", token, null).startsWith("200 "), "the old token still works");
            var runs = call(second.port(), "GET", "/api/v1/vals/admin/kept/runs", token, null);
            assertEquals(2, new JsonObject(runs.substring(4)).getJsonArray("data").size(), runs);
        }
    }
}
