package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Valence's REST API as the command line uses it: JSON in and out, the server's error sentence kept,
 * and a connection that fails turned into a sentence naming the URL and what to do.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();

    Api(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** A JSON answer with its status and headers. */
    record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {}

    /** The server said no: its status, error code and sentence (and the details that came with it). */
    static final class Refusal extends RuntimeException {
        final int status;
        final String code;
        final JsonNode error;

        Refusal(int status, String code, String message, JsonNode error) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.error = error;
        }

        CliException toCli() {
            return new CliException(status >= 500 ? ExitCodes.ENVIRONMENT : ExitCodes.REFUSED, getMessage());
        }
    }

    JsonNode get(String path) {
        return send("GET", path, null, Map.of()).body();
    }

    Answer send(String method, String path, JsonNode body, Map<String, String> headers) {
        HttpRequest request = request(method, path, body, headers).timeout(REQUEST_TIMEOUT).build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = parse(response.body(), request, response.statusCode());
        if (response.statusCode() >= 400) throw refusal(response.statusCode(), json, request);
        return new Answer(response.statusCode(), json, response.headers());
    }

    /** A streaming GET (server-sent events): the open body, after checking the status. */
    InputStream stream(String path) {
        HttpRequest request = request("GET", path, null, Map.of("Accept", "text/event-stream")).build();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw refusal(response.statusCode(), parse(body, request, response.statusCode()), request);
        }
        return response.body();
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private HttpRequest.Builder request(String method, String path, JsonNode body, Map<String, String> headers) {
        URI uri;
        try {
            uri = URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, "'" + baseUrl + "' is not a URL such as http://localhost:8080;"
                    + " sign in again with 'valence vals login --url URL'.");
        }
        var builder = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) builder.header("Content-Type", "application/json");
        if (token != null) builder.header("Authorization", "Bearer " + token);
        headers.forEach(builder::header);
        return builder;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("did not accept a connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, request.method() + " " + request.uri() + " got no answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s; the server may be overloaded. Try again, or check its log.", e);
        } catch (ConnectException e) {
            throw unreachable("refused the connection", e);
        } catch (IOException e) {
            throw unreachable("could not be reached (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ENVIRONMENT, "Interrupted while waiting for " + request.uri() + ".", e);
        }
    }

    private CliException unreachable(String what, Exception cause) {
        return new CliException(ExitCodes.ENVIRONMENT, "The Valence server at " + baseUrl + " " + what + ". Is it running?"
                + " Start it with './valence run', or sign in to another with 'valence vals login --url URL'.", cause);
    }

    private static JsonNode parse(byte[] body, HttpRequest request, int status) {
        if (body.length == 0) return JSON.missingNode();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            String text = new String(body, StandardCharsets.UTF_8);
            throw new CliException(ExitCodes.ENVIRONMENT, request.method() + " " + request.uri() + " answered " + status
                    + " with something that is not JSON (" + (text.length() > 200 ? text.substring(0, 200) + "..." : text).strip()
                    + "); is that URL a Valence server? Sign in to the right one with 'valence vals login --url URL'.", e);
        }
    }

    private static Refusal refusal(int status, JsonNode body, HttpRequest request) {
        JsonNode error = body.path("error");
        String code = error.path("code").asText("http_" + status);
        String message = error.path("message").asText(request.method() + " " + request.uri() + " answered " + status + ".");
        if (status == 401) message += " Sign in again with 'valence vals login'.";
        return new Refusal(status, code, message, error);
    }
}
