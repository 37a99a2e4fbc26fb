package dev.valence.status.security;

import dev.valence.status.Chromium;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven over the DevTools protocol: one page, one profile kept for the
 * test's life, so cookies behave as in a person's browser (SameSite, Origin, Sec-Fetch-Site all set
 * by Chromium itself, not by the test).
 */
final class DevToolsBrowser implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    DevToolsBrowser() throws Exception {
        Chromium.ensureInstalled();
        profile = Files.createTempDirectory("valence-devtools-");
        process = new ProcessBuilder(Chromium.BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (System.nanoTime() > deadline) throw new AssertionError("Chromium did not open its DevTools port within 30 s");
            Thread.sleep(50);
        }
        String port = Files.readAllLines(portFile).get(0).trim();
        JsonArray targets = new JsonArray(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String pageSocket = null;
        for (Object t : targets) {
            if ("page".equals(((JsonObject) t).getString("type"))) pageSocket = ((JsonObject) t).getString("webSocketDebuggerUrl");
        }
        if (pageSocket == null) throw new AssertionError("Chromium has no page target: " + targets);
        socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).get(10, TimeUnit.SECONDS);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject message = new JsonObject(text.toString());
                text.setLength(0);
                Integer id = message.getInteger("id");
                if (id != null && pending.containsKey(id)) pending.remove(id).complete(message);
            }
            webSocket.request(1);
            return null;
        }
    }

    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        var answer = new CompletableFuture<JsonObject>();
        pending.put(id, answer);
        socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true).get(10, TimeUnit.SECONDS);
        JsonObject message = answer.get(30, TimeUnit.SECONDS);
        if (message.containsKey("error")) throw new AssertionError(method + " failed: " + message.getJsonObject("error"));
        return message.getJsonObject("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", new JsonObject().put("url", url));
    }

    /** A JavaScript expression evaluated in the page (by DevTools, which the page's CSP does not govern). */
    String evaluate(String expression) throws Exception {
        JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression).put("returnByValue", true));
        Object value = result.getJsonObject("result").getValue("value");
        return value == null ? null : value.toString();
    }

    /** Waits until the page's title satisfies the condition; returns the title. */
    String awaitTitle(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String title = null;
        while (System.nanoTime() < deadline) {
            title = evaluate("document.readyState === 'complete' ? document.title : ''");
            if (title != null && condition.test(title)) return title;
            Thread.sleep(50);
        }
        throw new AssertionError("waited 20 s for " + what + "; the page's title is '" + title + "' at " + evaluate("location.href")
                + ", its text: " + evaluate("document.body ? document.body.innerText : ''"));
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // a profile left in the temp folder costs disk, not correctness
        }
    }
}
