package dev.valence.status.security;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser of /ops by hand: real HTTP, the cookie kept as a browser would, the Origin header set per request. */
final class OpsBrowser {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private final String baseUrl;
    String cookie;

    OpsBrowser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Signs in from the page itself; returns the answer (its Set-Cookie is kept). */
    HttpResponse<String> signIn(String token) {
        HttpResponse<String> answer = post("/ops/login", baseUrl, Map.of("token", token));
        answer.headers().firstValue("Set-Cookie").ifPresent(header -> cookie = header.substring(0, header.indexOf(';')));
        return answer;
    }

    HttpResponse<String> get(String path) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (cookie != null) request.header("Cookie", cookie);
        return send(request.build());
    }

    /** A form post as a browser sends it from a page at {@code origin} (null: no Origin header). */
    HttpResponse<String> post(String path, String origin, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) request.header("Origin", origin);
        if (cookie != null) request.header("Cookie", cookie);
        return send(request.build());
    }

    /** The CSRF token in the signed-in deploy view's forms. */
    String csrf() {
        var matcher = CSRF.matcher(get("/ops").body());
        if (!matcher.find()) throw new AssertionError("the deploy view has no CSRF field");
        return matcher.group(1);
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
