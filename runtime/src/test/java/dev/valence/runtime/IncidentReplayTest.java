package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.guard.BuildInfo;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The motivating outage, replayed: a contract migration lands while old code serves traffic. Here the
 * old code stays up, answers only its val's 200 or the fallback 503 (never a 500 or a broken
 * connection), switches within a second, and comes back by itself within a second of the repair.
 */
class IncidentReplayTest {
    static final int CLIENTS = 8;

    record Answer(long atNs, int status, String body, String error) {}

    @Test
    void old_code_degrades_to_the_fallback_within_a_second_of_a_contract_migration_and_recovers_by_itself() throws Exception {
        try (var platform = TestPlatform.start("incident_replay", Map.of("SCHEMA_POLL_MS", "30000"))) {
            // a long poll interval: detection must come from LISTEN/NOTIFY, not from polling
            platform.createVal(platform.adminToken, "shop", "export default () => new Response('open for business')");
            assertEquals(200, platform.get("/v/admin/shop").status());
            var flips = new SchemaFlips(platform.databaseUrl);

            var answers = new ConcurrentLinkedQueue<Answer>();
            var stop = new AtomicBoolean();
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/v/admin/shop")).timeout(Duration.ofSeconds(5)).build();
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            answers.add(new Answer(System.nanoTime(), r.statusCode(), r.body(), null));
                        } catch (Exception e) {
                            answers.add(new Answer(System.nanoTime(), -1, "", e.toString()));
                        }
                    }
                }));
            }
            Thread.sleep(500);

            flips.applyTestContractMigration();
            long committedNs = System.nanoTime();
            long first503Ns = waitFor(answers, 503, committedNs, 5_000);
            Thread.sleep(500); // traffic keeps flowing on the fallback
            JsonObject fallback = new JsonObject(lastBody(answers, 503));

            flips.removeContractRow(900);
            long repairedNs = System.nanoTime();
            long first200Ns = waitFor(answers, 200, repairedNs, 5_000);
            Thread.sleep(300);
            stop.set(true);
            for (Thread t : clients) t.join();

            long toFallbackMs = Math.max(0, (first503Ns - committedNs) / 1_000_000);
            long toRecoveryMs = Math.max(0, (first200Ns - repairedNs) / 1_000_000);
            System.out.printf("incident replay: %d answers; first 503 %d ms after the commit, first 200 %d ms after the repair%n",
                    answers.size(), toFallbackMs, toRecoveryMs);
            assertTrue(toFallbackMs <= 1000, "first 503 came " + toFallbackMs + " ms after the commit");
            assertTrue(toRecoveryMs <= 1000, "first 200 came " + toRecoveryMs + " ms after the repair");

            var statuses = new ConcurrentHashMap<Integer, AtomicLong>();
            for (Answer a : answers) {
                statuses.computeIfAbsent(a.status, s -> new AtomicLong()).incrementAndGet();
                assertTrue(a.status == 200 || a.status == 503, "unexpected answer " + a.status + " " + a.body + " " + a.error);
                if (a.status == 200) assertEquals("open for business", a.body);
            }
            assertTrue(statuses.get(503).get() > 0 && statuses.get(200).get() > 0, statuses.toString());

            var error = fallback.getJsonObject("error");
            assertEquals("schema_too_new", error.getString("reason"));
            assertEquals("schema is at app v900, which requires code level >= 900; this build is level " + BuildInfo.current().codeLevel() + " (contract migration app v900"
                    + " removed what older code uses); deploy a build of level 900 or newer", error.getString("message"));
            assertEquals("http://localhost:" + platform.valence.statusPage().port() + "/", fallback.getString("statusPage"),
                    "the embedded status page on the port it bound (STATUS_PORT=0)");
            // the feed is the automatic incident the runtime opened on the status page
            var status = fallback.getJsonObject("status");
            assertEquals("HTTP vals unavailable: database migration ahead of running code", status.getJsonObject("incident").getString("name"));
            assertEquals("investigating", status.getJsonArray("updates").getJsonObject(0).getString("status"));
            assertTrue(status.getJsonArray("updates").getJsonObject(0).getString("body")
                    .startsWith("A database migration (app v900) needs code level 900; instances running level "
                            + BuildInfo.current().codeLevel() + " are answering 503."));

            // the process stayed up and is serving normally, with nothing lost
            assertEquals("open for business", platform.get("/v/admin/shop").body());
            assertEquals(200, platform.get("/api/v1/vals/admin/shop", platform.adminToken).status());
            var schema = platform.get("/api/v1/schema").json();
            assertEquals("compatible", schema.getString("verdict"));
            assertEquals(900, schema.getInteger("schemaVersion"));
            var transitions = schema.getJsonArray("transitions");
            assertEquals("compatible", transitions.getJsonObject(0).getString("to"));
            assertEquals("schema_too_new", transitions.getJsonObject(1).getString("to"));
        }
    }

    private static long waitFor(ConcurrentLinkedQueue<Answer> answers, int status, long afterNs, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            for (Answer a : answers) {
                if (a.status == status && a.atNs >= afterNs) return a.atNs;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + status + " within " + timeoutMs + " ms");
    }

    private static String lastBody(ConcurrentLinkedQueue<Answer> answers, int status) {
        String body = null;
        for (Answer a : answers) if (a.status == status) body = a.body;
        return body;
    }
}
