package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A val that keeps memory in module state (a growing array of buffers) against a real runtime
 * process started by {@code ./valence run} with a small heap (384 MB): with the high-water mark the process
 * never runs out of memory; with the mark out of reach the JVM exits on the OutOfMemoryError and
 * the run script starts it again. Either way the schema guard detects a contract migration afterwards.
 */
class OutOfMemoryTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String LEAK = """
            const kept = [];
            export default () => {
              kept.push(new Uint8Array(8 * 1024 * 1024));
              return new Response(String(kept.length));
            }""";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void a_leaking_val_is_evicted_at_the_high_water_mark_and_the_process_never_runs_out_of_memory() throws Exception {
        try (var runtime = RunScript.start("oom_evicted", Map.of())) {
            String token = runtime.token();
            assertEquals(201, runtime.call("POST", "/api/v1/vals", token,
                    new JsonObject().put("name", "leak").put("code", LEAK).encode()).statusCode());
            // 60 requests would keep 480 MB in a 384 MB heap: the val is evicted on the way, refused while the heap is
            // high, and loaded again (from 1) once a collection found it below the mark
            List<String> answers = new ArrayList<>();
            int limited = 0;
            for (int i = 0; i < 300 && !(limited > 0 && answers.getLast().equals("1")); i++) {
                var reply = runtime.call("GET", "/v/admin/leak", null, null);
                if (reply.statusCode() == 200) {
                    answers.add(reply.body());
                } else {
                    assertEquals(503, reply.statusCode(), reply.body());
                    assertEquals("val_limit", new JsonObject(reply.body()).getJsonObject("error").getString("code"), reply.body());
                    answers.add("503");
                    limited++;
                    Thread.sleep(200);
                }
                Thread.sleep(20); // traffic, not a tight loop: the collector gets to measure between requests
            }
            assertTrue(limited > 0 && answers.getLast().equals("1"), "evicted, refused, and loaded again with its module state gone: " + answers);
            assertTrue(answers.indexOf("503") >= 2, "it ran before its eviction: " + answers);
            assertFalse(runtime.output().contains("exited with status"), runtime.output());
            assertTrue(runtime.output().contains("evicted the warm contexts of admin/leak@1"), runtime.output());
            System.out.println("leak answers (" + limited + " refused): " + answers);

            assertEquals(200, runtime.call("GET", "/healthz", null, null).statusCode());
            new SchemaFlips(runtime.databaseUrl).applyTestContractMigration();
            runtime.eventually("the guard detects the contract migration",
                    () -> runtime.call("GET", "/readyz", null, null).body().contains("schema_too_new"));
        }
    }

    @Test
    void with_the_mark_out_of_reach_the_jvm_exits_on_out_of_memory_and_valence_run_starts_it_again() throws Exception {
        try (var runtime = RunScript.start("oom_restarted", Map.of("HEAP_HIGH_WATER_PCT", "99"))) {
            String token = runtime.token();
            assertEquals(201, runtime.call("POST", "/api/v1/vals", token,
                    new JsonObject().put("name", "leak").put("code", LEAK).encode()).statusCode());
            int served = 0;
            for (int i = 0; i < 100 && !runtime.output().contains("exited with status"); i++) {
                try {
                    var reply = runtime.send("GET", "/v/admin/leak", null, null);
                    if (reply.statusCode() == 200) served++;
                } catch (IOException connectionLost) {
                    // the JVM exited under the request
                }
            }
            runtime.eventually("the run script reports the exit", () -> runtime.output().contains(
                    "valence: the runtime exited with status 3 (out of memory); starting it again in 1 s"));
            assertTrue(runtime.output().contains("Terminating due to java.lang.OutOfMemoryError"), runtime.output());
            assertTrue(served > 1, "the leak ran " + served + " times first");

            runtime.eventually("the new JVM answers", () -> runtime.call("GET", "/readyz", null, null).statusCode() == 200);
            assertEquals(200, runtime.call("GET", "/healthz", null, null).statusCode());
            assertEquals("1", runtime.call("GET", "/v/admin/leak", null, null).body(), "a new process: the module state is gone");
            new SchemaFlips(runtime.databaseUrl).applyTestContractMigration();
            runtime.eventually("the guard of the new JVM detects the contract migration",
                    () -> runtime.call("GET", "/readyz", null, null).body().contains("schema_too_new"));

            long stopNs = System.nanoTime();
            runtime.process.destroy(); // SIGTERM to the run script: it stops the runtime and does not start it again
            assertTrue(runtime.process.waitFor(30, TimeUnit.SECONDS), "the run script stopped on SIGTERM");
            assertEquals(143, runtime.process.exitValue(), runtime.output());
            assertTrue((System.nanoTime() - stopNs) / 1_000_000 < 30_000);
            assertEquals(1, count(runtime.output(), "starting it again"), runtime.output());
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    /** {@code ./valence run} with a 384 MB heap on a test database, the test's class path, and its output in a file. */
    private record RunScript(Process process, Path log, Path dataDir, int port, String databaseUrl, HttpClient client)
            implements AutoCloseable {
        static RunScript start(String name, Map<String, String> settings) throws Exception {
            String databaseUrl = TestDatabase.migratedDatabase(name);
            Path dataDir = TestDatabase.tempDir("valence-oom");
            Path output = Files.createTempFile("valence-oom-" + name, ".log");
            int port = Ports.free();
            var builder = new ProcessBuilder("bash", ROOT.resolve("valence").toString(), "run").directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            var env = builder.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("VALENCE_RUN_CLASSPATH", System.getProperty("java.class.path"));
            env.put("VALENCE_JAVA_OPTS", "-Xmx384m -Xlog:gc");
            env.put("DATABASE_URL", databaseUrl);
            if (TestDatabase.external()) env.put("MIGRATE_ON_START", "false");
            env.put("PORT", Integer.toString(port));
            env.put("EMBED_STATUS_PAGE", "false");
            env.put("SCHEMA_POLL_MS", "500");
            env.put("VALENCE_DATA_DIR", dataDir.toString());
            env.putAll(settings);
            var runtime = new RunScript(builder.start(), output, dataDir, port, databaseUrl,
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build());
            runtime.eventually("the runtime is ready", () -> runtime.call("GET", "/readyz", null, null).statusCode() == 200);
            return runtime;
        }

        String token() throws IOException {
            return Files.readString(dataDir.resolve("bootstrap-token")).trim();
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
            var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) builder.header("Authorization", "Bearer " + token);
            if (body != null) builder.header("Content-Type", "application/json");
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Like {@link #send}, as a 599 without a body when the runtime does not answer. */
        HttpResponse<String> call(String method, String path, String token, String body) {
            try {
                return send(method, path, token, body);
            } catch (IOException | InterruptedException e) {
                throw new NoAnswer(e);
            }
        }

        void eventually(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    if (condition.getAsBoolean()) return;
                } catch (NoAnswer notYet) {
                    // not listening (yet)
                }
                if (!process.isAlive()) throw new AssertionError("the run script exited (" + process.exitValue() + "):\n" + output());
                Thread.sleep(250);
            }
            throw new AssertionError("timed out waiting for: " + what + "\n" + output());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static final class NoAnswer extends RuntimeException {
        NoAnswer(Exception cause) {
            super(cause);
        }
    }
}
