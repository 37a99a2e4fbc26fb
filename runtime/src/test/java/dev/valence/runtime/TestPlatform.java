package dev.valence.runtime;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Valence runtime on its own database and a random port, with a real HTTP client: what every
 * end-to-end test starts from. With {@code VALENCE_TEST_DATABASE_URL} set (see {@link TestDatabase}) the
 * database is a clone of that already-migrated one and the runtime starts with {@code MIGRATE_ON_START=false}.
 */
public final class TestPlatform implements AutoCloseable {
    public final Valence valence;
    public final String baseUrl;
    public final String adminToken;
    public final String databaseUrl;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private TestPlatform(Valence valence, String databaseUrl) {
        this.valence = valence;
        this.databaseUrl = databaseUrl;
        this.baseUrl = "http://localhost:" + valence.port();
        this.adminToken = valence.bootstrapToken().orElseThrow();
    }

    public static TestPlatform start(String name) {
        return start(name, Map.of());
    }

    public static TestPlatform start(String name, Map<String, String> settings) {
        String databaseUrl = TestDatabase.migratedDatabase(name);
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", databaseUrl);
        // an external database was migrated by newer code: this build must only validate it (the N-1 test)
        if (TestDatabase.external()) env.put("MIGRATE_ON_START", "false");
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-test-data").toString());
        // the suite asserts vals' own error messages as an anonymous caller; the default (brief) has its own test
        env.put("VAL_PUBLIC_ERRORS", "full");
        // no balancer routes by the suite's /readyz polls: a stop need not wait for one (LifecycleTest tests the delay)
        env.put("SHUTDOWN_DELAY_MS", "0");
        env.putAll(settings);
        return new TestPlatform(awaitUp(Valence.start(Config.fromEnv(env))), databaseUrl);
    }

    /** A runtime started with exactly these settings on a database the caller made (for a second start on the same data). */
    public static TestPlatform startOn(String databaseUrl, Map<String, String> env) {
        return new TestPlatform(awaitUp(Valence.start(Config.fromEnv(env))), databaseUrl);
    }

    /** Waits for the start-up sequence (database, migrations, first schema check) of a started runtime. */
    public static Valence awaitUp(Valence valence) {
        try {
            if (!valence.awaitBroughtUp(java.time.Duration.ofSeconds(60))) {
                throw new AssertionError("the runtime did not come up within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return valence;
    }

    /** A response with its body as text. */
    public record Reply(int status, java.net.http.HttpHeaders headers, String body, byte[] bytes) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Reply send(String method, String path, String token, String body, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        headers.forEach(builder::header);
        return send(builder.build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        }
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public Reply get(String path) {
        return get(path, null);
    }

    public Reply post(String path, String token, String body) {
        return send("POST", path, token, body, Map.of("Content-Type", "application/json"));
    }

    public Reply put(String path, String token, String body) {
        return send("PUT", path, token, body, Map.of("Content-Type", "application/json"));
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null, Map.of());
    }

    /** Creates a val as the given user and checks that it was created. */
    public JsonObject createVal(String token, String name, String code) {
        return createVal(token, new JsonObject().put("name", name).put("code", code));
    }

    public JsonObject createVal(String token, JsonObject val) {
        Reply reply = post("/api/v1/vals", token, val.encode());
        if (reply.status() != 201) throw new AssertionError("creating val failed: " + reply.status() + " " + reply.body());
        return reply.json();
    }

    /** Creates a user through the admin API and returns its token. */
    public String createUser(String name) {
        Reply reply = post("/api/v1/users", adminToken, new JsonObject().put("name", name).encode());
        if (reply.status() != 201) throw new AssertionError("creating user failed: " + reply.status() + " " + reply.body());
        return reply.json().getString("token");
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        valence.close();
    }
}
