package dev.valence.ops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A live log tail of one val (server-sent events) held open through the proxy for the whole soak,
 * as a browser tab or {@code vals logs --follow} would. A stream that ends or fails before the soak
 * does is counted as dropped and opened again.
 */
final class LogTail implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;
    private final String val;
    private final AtomicLong runEvents = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();
    private volatile boolean stopping;
    private volatile String lastProblem;
    private final Thread reader;

    LogTail(String base, String token, String val) {
        this.url = base + "/api/v1/vals/admin/" + val + "/logs/stream";
        this.token = token;
        this.val = val;
        this.reader = Thread.ofVirtual().name("tail-" + val).start(this::follow);
    }

    private void follow() {
        while (!stopping) {
            try {
                var response = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    lastProblem = "answered " + response.statusCode();
                    drops.incrementAndGet();
                    response.body().close();
                    Thread.sleep(1000);
                    continue;
                }
                try (Stream<String> lines = response.body()) {
                    lines.forEach(line -> {
                        if (line.equals("event: run")) runEvents.incrementAndGet();
                    });
                }
                if (!stopping) {
                    lastProblem = "the stream ended";
                    drops.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    lastProblem = e.toString();
                    drops.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    String val() {
        return val;
    }

    long runEvents() {
        return runEvents.get();
    }

    long drops() {
        return drops.get();
    }

    String lastProblem() {
        return lastProblem;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        client.shutdownNow();
        reader.interrupt();
        reader.join(Duration.ofSeconds(5));
    }
}
