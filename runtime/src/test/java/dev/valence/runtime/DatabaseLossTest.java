package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL dies under a running Valence (its postmaster killed with SIGKILL) and, for
 * a while, cannot be started again (its data folder is away). Runs and API calls answer 503 at once,
 * saying what is true; the log has one line per change of state; /healthz fails once the database
 * has been down past EMBEDDED_PG_DOWN_LIMIT_MS; and the database comes back by itself with nothing lost.
 */
class DatabaseLossTest {
    private static final Pattern RESTARTING = Pattern.compile("the embedded database stopped and is being restarted \\(attempt (\\d+)\\)");
    private static final Pattern NOT_RESTARTING = Pattern.compile("the embedded database stopped [0-9.]+ s ago and could not be restarted"
            + " \\(\\d+ failed attempts, last: pg_ctl: directory \"[^\"]+\" does not exist\\); Valence keeps trying, at least every 30 s;"
            + " an operator should look at its log");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    private record Answer(int status, HttpResponse<String> response, long ms) {
        JsonObject json() {
            return new JsonObject(response.body());
        }
    }

    private Answer call(String method, String path, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        long startNs = System.nanoTime();
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response, (System.nanoTime() - startNs) / 1_000_000);
    }

    /** Waits until the reader val answers {@code body}; on a timeout the failure says what it answered last. */
    private void awaitReader(String body, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        Answer last = call("GET", "/v/admin/reader", null, null);
        while (!body.equals(last.response().body())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the val did not answer again within " + timeoutMs + " ms; it last answered "
                        + last.status() + " " + last.response().body());
            }
            Thread.sleep(50);
            last = call("GET", "/v/admin/reader", null, null);
        }
    }

    private String schemaMessage() {
        try {
            return call("GET", "/api/v1/schema", null, null).json().getString("message");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int status(String method, String path, String token) {
        try {
            return call(method, path, token, null).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything the runtime logs (slf4j-simple writes to System.err), kept line by line while the test runs. */
    private static final class LogCapture implements AutoCloseable {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        LogCapture() {
            System.setErr(new PrintStream(new OutputStream() {
                @Override
                public synchronized void write(int b) {
                    original.write(b);
                    if (b == '\n') {
                        lines.add(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
            }, true, StandardCharsets.UTF_8));
        }

        List<String> snapshot() {
            return new ArrayList<>(lines);
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }

    @Test
    void a_killed_embedded_database_is_restarted_while_runs_answer_503_and_the_log_has_one_line_per_change() throws Exception {
        Path dataDir = TestDatabase.tempDir("valence-db-loss");
        Path pgData = dataDir.resolve("postgres");
        Path away = dataDir.resolve("postgres-away");
        var env = Map.of("VALENCE_DATA_DIR", dataDir.toString(), "PORT", "0", "STATUS_PORT", "0",
                "EMBEDDED_PG_DOWN_LIMIT_MS", "4000", "SCHEMA_POLL_MS", "200");
        try (Valence valence = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)))) {
            port = valence.port();
            String token = valence.bootstrapToken().orElseThrow();
            // written before the loss: a val, a run and a blob
            assertEquals(201, call("POST", "/api/v1/vals", token, new JsonObject().put("name", "job").put("type", "script")
                    .put("code", "import { blob } from 'std/blob'; export default async () => { await blob.setJSON('kept', { n: 7 }); return 'stored'; }")
                    .encode()).status());
            assertEquals(201, call("POST", "/api/v1/vals", token, new JsonObject().put("name", "reader")
                    .put("code", "import { blob } from 'std/blob'; export default async () => Response.json(await blob.getJSON('kept'))")
                    .encode()).status());
            Answer ran = call("POST", "/api/v1/vals/admin/job/run", token, null);
            assertEquals(200, ran.status(), ran.response().body());
            String runId = ran.json().getString("runId");
            assertEquals("{\"n\":7}", call("GET", "/v/admin/reader", null, null).response().body());

            try (var log = new LogCapture()) {
                long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).getFirst().strip());
                ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
                assertTrue(postmaster.destroyForcibly(), "SIGKILL sent to the postmaster");
                Files.move(pgData, away); // restarts fail until it is back
                int linesBefore = log.lines.size();

                eventually("the 503s say the embedded database is being restarted", 5_000, () -> RESTARTING.matcher(schemaMessage()).matches());

                Answer run = call("POST", "/api/v1/vals/admin/job/run", token, null);
                assertEquals(503, run.status(), run.response().body());
                assertEquals("5", run.response().headers().firstValue("Retry-After").orElse(null));
                assertEquals("no-store", run.response().headers().firstValue("Cache-Control").orElse(null));
                assertEquals("database_unreachable", run.json().getJsonObject("error").getString("reason"));
                assertTrue(RESTARTING.matcher(run.json().getJsonObject("error").getString("message")).matches(), run.response().body());
                assertTrue(run.ms() < 1_000, "the run answered 503 in " + run.ms() + " ms, not after the pool's 5 s timeout");
                assertEquals(200, status("GET", "/healthz", null), "down for less than EMBEDDED_PG_DOWN_LIMIT_MS: still live");

                // many requests while it is down: each answers 503 fast and none adds a log line
                for (int i = 0; i < 15; i++) {
                    Answer again = call("POST", "/api/v1/vals/admin/job/run", token, null);
                    assertEquals(503, again.status(), again.response().body());
                    assertTrue(again.ms() < 1_000, again.ms() + " ms");
                    assertEquals(503, status("GET", "/v/admin/reader", null));
                    assertEquals(503, status("GET", "/api/v1/vals", token));
                }

                eventually("/healthz fails once the database has been down past the limit", 15_000, () -> status("GET", "/healthz", null) == 503);
                Answer health = call("GET", "/healthz", null, null);
                assertEquals("failing", health.json().getString("status"));
                assertTrue(NOT_RESTARTING.matcher(health.json().getString("message")).matches(), health.response().body());
                eventually("the 503s say the restarts keep failing", 20_000, () -> NOT_RESTARTING.matcher(schemaMessage()).matches());

                Files.move(away, pgData); // what an operator fixes; the next attempt brings it back
                awaitReader("{\"n\":7}", 40_000);
                long newPid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).getFirst().strip());
                assertTrue(newPid != pid && ProcessHandle.of(newPid).map(ProcessHandle::isAlive).orElse(false), "a new postmaster runs");
                assertEquals(200, status("GET", "/healthz", null));
                Thread.sleep(500); // let stragglers (a last failed poll) reach the log before counting

                // nothing written before the loss is lost
                assertEquals("{\"n\":7}", call("GET", "/v/admin/reader", null, null).response().body());
                var runs = call("GET", "/api/v1/vals/admin/job/runs", token, null).json().getJsonArray("data");
                assertEquals(1, runs.size(), runs.encode());
                assertEquals(runId, runs.getJsonObject(0).getString("id"));
                Answer after = call("POST", "/api/v1/vals/admin/job/run", token, null);
                assertEquals(200, after.status(), after.response().body());

                List<String> outage = log.snapshot().subList(linesBefore, log.lines.size());
                assertLogHasOneLinePerChange(outage);
            }
        }
    }

    @Test
    void a_postmaster_that_stops_answering_is_killed_and_started_again() throws Exception {
        Path dataDir = TestDatabase.tempDir("valence-db-hung");
        var env = Map.of("VALENCE_DATA_DIR", dataDir.toString(), "PORT", "0", "STATUS_PORT", "0", "SCHEMA_POLL_MS", "200");
        try (Valence valence = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)));
             var log = new LogCapture()) {
            port = valence.port();
            String token = valence.bootstrapToken().orElseThrow();
            assertEquals(201, call("POST", "/api/v1/vals", token, new JsonObject().put("name", "hello")
                    .put("code", "export default () => new Response('hello')").encode()).status());
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
            // SIGSTOP: the process lives on but accepts no new connection (the pool's open ones still work)
            assertEquals(0, new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).inheritIO().start().waitFor());

            eventually("a new postmaster runs", 60_000, () -> {
                try {
                    long now = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
                    return now != pid && ProcessHandle.of(now).map(ProcessHandle::isAlive).orElse(false);
                } catch (Exception e) {
                    return false;
                }
            });
            eventually("the val answers again", 30_000, () -> status("GET", "/v/admin/hello", null) == 200);
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false, "the hung postmaster was killed");
            List<String> supervisor = log.snapshot().stream().filter(l -> l.contains(" PostgresSupervisor - ")).toList();
            for (String line : supervisor.subList(1, supervisor.size() - 1)) {
                assertTrue(line.contains("Embedded PostgreSQL restart attempt"), "between lost and restarted only failed attempts:\n"
                        + String.join("\n", supervisor));
            }
            assertTrue(supervisor.getFirst().matches(".* WARN PostgresSupervisor - Embedded PostgreSQL on port \\d+ stopped: it stopped"
                    + " answering \\(3 checks failed, last: .+\\), so it was killed; restarting it in 500 ms \\(attempt 1\\)"), supervisor.getFirst());
            assertTrue(supervisor.getLast().contains("Embedded PostgreSQL restarted on port"), supervisor.getLast());
        }
    }

    /**
     * The supervisor: lost, one line per failed attempt (the one crossing the limit says /healthz now
     * fails), restarted. The guard: unreachable, then compatible. Others at most once each (they say
     * when they stop and when they resume). No stack traces, nothing per request or per poll.
     */
    private static void assertLogHasOneLinePerChange(List<String> outage) {
        String all = String.join("\n", outage);
        assertTrue(outage.stream().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")), "no stack traces:\n" + all);
        List<String> supervisor = outage.stream().filter(l -> l.contains(" PostgresSupervisor - ")).toList();
        assertTrue(supervisor.getFirst().matches(".* WARN PostgresSupervisor - Embedded PostgreSQL on port \\d+ stopped: its process"
                + " \\(pid \\d+\\) exited; restarting it in 500 ms \\(attempt 1\\)"), all);
        List<String> failed = supervisor.stream().filter(l -> l.contains(" restart attempt ")).toList();
        for (int i = 0; i < failed.size(); i++) {
            assertTrue(failed.get(i).matches(".* WARN PostgresSupervisor - Embedded PostgreSQL restart attempt " + (i + 1) + " failed"
                    + " \\((pg_ctl: directory \"[^\"]+\" does not exist|FATAL: .+)\\); attempt " + (i + 2) + " in \\d+ ms"), failed.get(i));
        }
        assertTrue(failed.size() >= 2, "attempts failed while the folder was away: " + failed.size() + "\n" + all);
        List<String> limit = supervisor.stream().filter(l -> l.contains("/healthz now fails")).toList();
        assertEquals(1, limit.size(), all);
        assertTrue(limit.getFirst().matches(".* ERROR PostgresSupervisor - Embedded PostgreSQL has been down for \\d+ ms \\(\\d+ restart"
                + " attempt\\(s\\) failed, last: .*\\); /healthz now fails; attempt \\d+ in \\d+ ms \\(its log: .*postgres.log\\)"), limit.getFirst());
        assertTrue(supervisor.getLast().matches(".* INFO PostgresSupervisor - Embedded PostgreSQL restarted on port \\d+ \\(pid \\d+, attempt "
                + (failed.size() + 1) + ", down \\d+ ms\\)"), all);
        assertEquals(1 + failed.size() + 1 + 1, supervisor.size(), "lost, each failed attempt, the limit, restarted:\n" + all);
        assertEquals(List.of("database_unreachable", "compatible"), outage.stream().filter(l -> l.contains(" SchemaGuard - Schema verdict: "))
                .map(l -> l.replaceAll(".* SchemaGuard - Schema verdict: ([a-z_]+).*", "$1")).toList(), all);
        var perLogger = new java.util.TreeMap<String, Integer>();
        for (String line : outage) {
            var m = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ (\\S+) - ").matcher(line);
            if (m.find() && !m.group(1).equals("PostgresSupervisor")) perLogger.merge(m.group(1), 1, Integer::sum);
        }
        perLogger.forEach((logger, count) -> assertTrue(count <= 2, logger + " logged " + count + " lines:\n" + all));
    }
}
