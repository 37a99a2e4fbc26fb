package dev.valence.ops.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few author-API calls the benchmark makes (saving vals) and timed GETs, over one keep-alive client. */
final class ApiClient {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Creates the val {@code admin/name} with its first version. */
    void create(String name, String code) throws IOException, InterruptedException {
        send("POST", "/api/v1/vals", new JsonObject().put("name", name).put("code", code), 201);
    }

    /** Creates a val from a full request body (type, schedule...). */
    void createJson(JsonObject body) throws IOException, InterruptedException {
        send("POST", "/api/v1/vals", body, 201);
    }

    /** Saves a new version of {@code admin/name}. */
    void update(String name, String code) throws IOException, InterruptedException {
        send("PUT", "/api/v1/vals/admin/" + name, new JsonObject().put("code", code), 200);
    }

    private void send(String method, String path, JsonObject body, int expected) throws IOException, InterruptedException {
        var response = client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** POSTs a JSON body to a path (no token) and returns the response. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs an API path with the admin token. */
    HttpResponse<String> getAuthorized(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs a path and returns the response. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
