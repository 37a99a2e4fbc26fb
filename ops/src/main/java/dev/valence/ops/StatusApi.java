package dev.valence.ops;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}, and one call to the status page's write API with them. */
final class StatusApi {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:STATUS_PAGE_URL:-http://localhost:8081/}",
            description = "The status page (default: $STATUS_PAGE_URL, else http://localhost:8081/).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:VALENCE_TEAM_TOKEN}",
            description = "A team token, vst_... (default: $VALENCE_TEAM_TOKEN; the first start writes one to ~/.valence/status-team-token).")
    String token;

    /**
     * Sends {@code body} and returns the answer's JSON. A 4xx ends in exit 1 with the API's own
     * message; a 5xx or no answer at all in exit 3.
     */
    JsonObject send(String method, String path, JsonObject body) {
        if (token == null || token.isBlank()) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "No team token: pass --token vst_... or set VALENCE_TEAM_TOKEN (the first start writes one to ~/.valence/status-team-token).");
        }
        URI uri;
        try {
            uri = URI.create(url.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--url is not a valid URL: '" + url + "' (" + e.getMessage() + ")");
        }
        var request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token.trim()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build();
        HttpResponse<String> response;
        try (var client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OpsException(ExitCodes.ENVIRONMENT, "cannot reach the status page at " + uri + " (" + describe(e)
                    + "); check --url or STATUS_PAGE_URL and that the status page is running", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException(ExitCodes.ENVIRONMENT, "interrupted while calling " + uri, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) return parse(response.body(), uri, status);
        String message = errorMessage(response.body());
        throw new OpsException(status < 500 ? ExitCodes.REFUSED : ExitCodes.ENVIRONMENT,
                "the status page answered " + method + " " + path + " with " + status + ": " + message);
    }

    /** The API's {"error": {"code", "message"}} as "code: message", or the raw body when it is not that. */
    private static String errorMessage(String body) {
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            if (error != null) return error.getString("code") + ": " + error.getString("message");
        } catch (DecodeException | ClassCastException e) {
            // not the API's error shape (a proxy's page, say): show what came back
        }
        return body.isBlank() ? "(empty body)" : body.strip();
    }

    private static JsonObject parse(String body, URI uri, int status) {
        try {
            return new JsonObject(body);
        } catch (DecodeException e) {
            throw new OpsException(ExitCodes.ENVIRONMENT, uri + " answered " + status + " with a body that is not JSON;"
                    + " is --url the status page?", e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
