package dev.valence.ops.compat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The old release's runtime, started the way that release starts itself ({@code ./valence run}) on
 * the migrated database without migrating, asked what its schema guard thinks of the schema.
 */
final class RefRuntime {
    private static final Pattern VERDICT = Pattern.compile("\"verdict\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** What the guard said: its verdict code and its sentence. */
    record Answer(String verdict, String message) {}

    private RefRuntime() {}

    /** Whether the checkout has a runtime that can be started: its run script and a built runtime module. */
    static boolean present(Path checkout) {
        return Files.isExecutable(checkout.resolve("valence")) && Files.isDirectory(checkout.resolve("runtime/target"));
    }

    /**
     * Starts the runtime of {@code checkout} against {@code databaseUrl} with {@code MIGRATE_ON_START=false},
     * waits until its guard has judged the schema (not "starting", not "database_unreachable"), and stops it.
     */
    static Answer ask(Path checkout, String databaseUrl, Duration timeout, Path log) throws IOException, InterruptedException {
        int port = freePort();
        var builder = new ProcessBuilder(checkout.resolve("valence").toString(), "run").directory(checkout.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        var env = builder.environment();
        env.put("DATABASE_URL", databaseUrl);
        env.put("MIGRATE_ON_START", "false");
        env.put("PORT", Integer.toString(port));
        env.put("BIND_HOST", "127.0.0.1");
        env.put("STATUS_PORT", "0");
        env.put("EMBED_STATUS_PAGE", "false");
        env.put("VALENCE_DATA_DIR", Files.createTempDirectory("valence-compat-data").toString());
        Process process = builder.start();
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last = new Answer("starting", "no answer from http://127.0.0.1:" + port + "/api/v1/schema yet");
        try {
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/schema"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    last = parse(response.body());
                    if (!List.of("starting", "database_unreachable").contains(last.verdict())) return last;
                } catch (IOException notYet) {
                    // the port is not open yet
                }
                Thread.sleep(250);
            }
            String why = process.isAlive() ? "did not judge the schema within " + timeout.toSeconds() + " s"
                    : "exited with status " + process.exitValue();
            return new Answer(last.verdict(), "the runtime " + why + " (last: " + last.message() + "; its output is in " + log + ")");
        } finally {
            process.toHandle().descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    static Answer parse(String body) {
        var verdict = VERDICT.matcher(body);
        var message = MESSAGE.matcher(body);
        return new Answer(verdict.find() ? verdict.group(1) : "unknown", message.find() ? message.group(1).replace("\\\"", "\"") : body);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
