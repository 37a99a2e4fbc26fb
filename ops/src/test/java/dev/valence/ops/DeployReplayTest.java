package dev.valence.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.Config;
import dev.valence.runtime.Valence;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The outage this platform exists to prevent, replayed end to end the way it happened: two replicas
 * of the running code under load from several clients, a contract migration applied by the team's own
 * Flyway client (the flyway-maven-plugin in a separate process, not Valence's code) that renames a
 * column std/blob uses while requests queue behind its lock, then the supported way back
 * ({@code ops migrate --undo}). What must hold: not one 500 or broken connection, the first 503 within a
 * second of the commit, the first 200 within a second of the undo, the automatic incident open the
 * whole time and resolved only then, and nothing lost: every blob a 200 promised, every run, the work
 * held in between run exactly once.
 */
class DeployReplayTest {
    static final int CLIENTS = 8;
    static final Path REPLAY_MIGRATIONS = Path.of("src/test/resources/db/replay-migrations").toAbsolutePath();
    static final Path APP_MIGRATIONS = Path.of("../migrations/src/main/resources/db/migration/app").toAbsolutePath().normalize();
    static final Path FLYWAY_CLIENT = Path.of("src/test/resources/flyway-client/pom.xml").toAbsolutePath();

    record Answer(long atNs, String replica, String id, int status, String body, String error) {}

    @Test
    void a_contract_migration_from_an_external_flyway_client_and_its_undo_cost_no_500_no_lost_work_and_one_incident() throws Exception {
        OpsTestSupport.postgres();
        String jdbc = OpsTestSupport.newDatabase("replay");
        String database = "postgres://postgres@localhost:" + OpsTestSupport.postgres().getPort() + "/" + jdbc.substring(jdbc.lastIndexOf('/') + 1, jdbc.indexOf('?'));
        String jdbcUrl = jdbc.substring(0, jdbc.indexOf('?'));

        try (var a = start(database, "replica-a"); var b = start(database, "replica-b")) {
            String token = a.bootstrapToken().orElseThrow();
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
            String apiA = "http://localhost:" + a.port();
            String statusA = "http://localhost:" + a.statusPage().port();
            String[] replicas = {apiA, "http://localhost:" + b.port()};

            createVal(client, apiA, token, new JsonObject().put("name", "shop").put("code", """
                    import { blob } from "https://esm.town/v/std/blob";
                    export default async (req) => {
                      const id = new URL(req.url).searchParams.get("id");
                      await blob.setJSON("order-" + id, { id });
                      const stored = await blob.getJSON("order-" + id);
                      return Response.json({ stored: stored.id });
                    };"""));
            createVal(client, apiA, token, new JsonObject().put("name", "tally").put("type", "script").put("code", """
                    import { blob } from "https://esm.town/v/std/blob";
                    export default async (n) => {
                      await blob.setJSON("tally-" + n, { n, at: Date.now() });
                      return { counted: n };
                    };"""));
            for (String replica : replicas) {
                assertEquals(200, get(client, replica + "/v/admin/shop?id=warm").statusCode());
            }

            // several clients, spread over both replicas, for the whole replay
            var answers = new ConcurrentLinkedQueue<Answer>();
            var stop = new AtomicBoolean();
            var sequence = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNumber = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        String id = clientNumber + "x" + sequence.incrementAndGet();
                        String replica = replicas[(int) (sequence.get() % 2)];
                        try {
                            HttpResponse<String> r = get(client, replica + "/v/admin/shop?id=" + id);
                            answers.add(new Answer(System.nanoTime(), replica, id, r.statusCode(), r.body(), null));
                        } catch (Exception e) {
                            answers.add(new Answer(System.nanoTime(), replica, id, -1, "", e.toString()));
                        }
                    }
                }));
            }
            Thread.sleep(500);

            // the team's deploy pipeline runs its own Flyway; the commit is when the contract row becomes visible
            var contractSeen = new ContractWatcher(jdbcUrl, 900);
            Process flyway = externalFlyway(jdbcUrl, "migrate");
            long committedNs = contractSeen.awaitPresent(true, 30_000);
            assertEquals(0, flyway.waitFor(), () -> "flyway:migrate failed:\n" + output(flyway));
            long first503Ns = firstAfter(answers, 503, committedNs, 5_000);

            // while incompatible: the incident is open, script runs are held, not run and not refused
            Thread.sleep(1_000);
            JsonObject incident = onlyUnresolvedIncident(client, statusA);
            assertEquals("HTTP vals unavailable: database migration ahead of running code", incident.getString("name"));
            HttpResponse<String> held = send(client, HttpRequest.newBuilder(URI.create(apiA + "/api/v1/vals/admin/tally/run"))
                    .header("Authorization", "Bearer " + token).header("Idempotency-Key", "replay-tally")
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("args", new JsonArray().add(7)).encode())).build());
            assertEquals(202, held.statusCode(), held.body());
            String heldId = new JsonObject(held.body()).getString("heldId");
            Thread.sleep(1_000);
            assertEquals(incident.getString("id"), onlyUnresolvedIncident(client, statusA).getString("id"), "the incident stays open until compatibility returns");

            // the way back: the operator undoes the migration with the supported command
            var undo = OpsTestSupport.run("migrate", "--undo", "900", "--database", jdbc,
                    "--locations=app=filesystem:" + APP_MIGRATIONS + ",app=filesystem:" + REPLAY_MIGRATIONS);
            assertEquals(ExitCodes.OK, undo.exit(), undo.out() + undo.err());
            long undoneNs = contractSeen.awaitPresent(false, 5_000);
            long first200Ns = firstAfter(answers, 200, undoneNs, 5_000);
            long resolvedNs = awaitNoUnresolvedIncident(client, statusA, 10_000);
            Thread.sleep(500);
            stop.set(true);
            for (Thread t : clients) t.join();

            long toFallbackMs = Math.max(0, (first503Ns - committedNs) / 1_000_000);
            long toRecoveryMs = Math.max(0, (first200Ns - undoneNs) / 1_000_000);
            long toResolvedMs = (resolvedNs - undoneNs) / 1_000_000;
            var statuses = new TreeMap<Integer, Integer>();
            for (Answer answer : answers) statuses.merge(answer.status, 1, Integer::sum);
            System.out.printf("deploy replay: %d answers %s; first 503 %d ms after the commit, first 200 %d ms after the undo,"
                    + " incident resolved %d ms after the undo%n", answers.size(), statuses, toFallbackMs, toRecoveryMs, toResolvedMs);

            // never a 500 or a broken connection: each answer is the val's 200 or the fallback 503
            for (Answer answer : answers) {
                assertTrue(answer.status == 200 || answer.status == 503,
                        "unexpected answer from " + answer.replica + ": " + answer.status + " " + answer.body + " " + answer.error);
                if (answer.status == 200) assertEquals(new JsonObject().put("stored", answer.id), new JsonObject(answer.body));
                if (answer.status == 503) assertEquals("schema_too_new", new JsonObject(answer.body).getJsonObject("error").getString("reason"), answer.body);
            }
            assertTrue(statuses.getOrDefault(503, 0) > 0, statuses.toString());
            assertTrue(toFallbackMs <= 1_000, "first 503 came " + toFallbackMs + " ms after the commit");
            assertTrue(toRecoveryMs <= 1_000, "first 200 came " + toRecoveryMs + " ms after the undo");
            assertTrue(resolvedNs > undoneNs, "the incident resolved before compatibility returned");

            // nothing lost: every blob a 200 promised is there, every request has its run, the held run ran once
            Set<String> promised = new HashSet<>();
            for (Answer answer : answers) if (answer.status == 200) promised.add("order-" + answer.id);
            Set<String> stored = blobKeys(jdbcUrl, "order-%");
            assertTrue(stored.containsAll(promised), "blobs a 200 promised are missing: " + missing(promised, stored));
            JsonObject heldState = awaitHeldRan(client, apiA, token, heldId, 10_000);
            assertEquals("ran", heldState.getString("status"), heldState.encode());
            assertEquals(Set.of("tally-7"), blobKeys(jdbcUrl, "tally-%"));
            assertEquals(1, runs(client, apiA, token, "tally").size(), "the held script ran exactly once");
            var shopRuns = runs(client, apiA, token, "shop");
            var outcomes = new TreeMap<String, Integer>();
            for (JsonObject run : shopRuns) outcomes.merge(run.getString("outcome"), 1, Integer::sum);
            System.out.println("deploy replay: shop runs by outcome " + outcomes);
            // the warm-up requests (one per replica) and every 200 are successful runs; no run is the val's own error
            assertEquals(statuses.get(200) + replicas.length, outcomes.getOrDefault("success", 0), outcomes.toString());
            assertEquals(0, outcomes.getOrDefault("error", 0), outcomes.toString());
            // the requests that were inside the val when the commit broke std/blob under them: at most one per client
            int schemaRuns = outcomes.getOrDefault("schema", 0);
            assertTrue(schemaRuns >= 1 && schemaRuns <= CLIENTS, outcomes.toString());
        }
    }

    private static Valence start(String database, String instance) throws InterruptedException {
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", database);
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("INSTANCE_ID", instance);
        env.put("SCHEMA_POLL_MS", "30000"); // detection must come from LISTEN/NOTIFY, not from polling
        try {
            env.put("VALENCE_DATA_DIR", Files.createTempDirectory("valence-replay-" + instance).toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Valence valence = Valence.start(Config.fromEnv(env));
        if (!valence.awaitBroughtUp(Duration.ofSeconds(60))) throw new AssertionError(instance + " did not come up within 60 s");
        return valence;
    }

    /** The team's own Flyway, in its own JVM: the flyway-maven-plugin on the app schema with the replay migration beside the real ones. */
    private static Process externalFlyway(String jdbcUrl, String goal) throws IOException {
        var command = List.of("mvn", "-B", "-q", "-f", FLYWAY_CLIENT.toString(), "flyway:" + goal,
                "-Dflyway.url=" + jdbcUrl, "-Dflyway.user=postgres", "-Dflyway.password=",
                "-Dflyway.schemas=app", "-Dflyway.defaultSchema=app", "-Dflyway.table=flyway_schema_history",
                "-Dflyway.locations=filesystem:" + APP_MIGRATIONS + ",filesystem:" + REPLAY_MIGRATIONS);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Polls, on its own connection, for the contract row: the moment it appears or goes is the commit seen from outside. */
    private record ContractWatcher(String jdbcUrl, int version) {
        long awaitPresent(boolean present, long timeoutMs) throws SQLException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                 var query = connection.prepareStatement("SELECT count(*) FROM control.schema_contract WHERE version = ?")) {
                query.setInt(1, version);
                while (System.nanoTime() < deadline) {
                    try (var rows = query.executeQuery()) {
                        rows.next();
                        if ((rows.getInt(1) > 0) == present) return System.nanoTime();
                    }
                    Thread.sleep(2);
                }
            }
            throw new AssertionError("the contract row of v" + version + (present ? " did not appear" : " did not go") + " within " + timeoutMs + " ms");
        }
    }

    private static long firstAfter(ConcurrentLinkedQueue<Answer> answers, int status, long afterNs, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            for (Answer answer : answers) if (answer.status == status && answer.atNs >= afterNs) return answer.atNs;
            Thread.sleep(5);
        }
        throw new AssertionError("no " + status + " within " + timeoutMs + " ms");
    }

    private static JsonObject onlyUnresolvedIncident(HttpClient client, String statusPage) throws Exception {
        JsonArray incidents = new JsonObject(get(client, statusPage + "/api/v2/incidents/unresolved.json").body()).getJsonArray("incidents");
        assertEquals(1, incidents.size(), incidents.encodePrettily());
        return incidents.getJsonObject(0);
    }

    private static long awaitNoUnresolvedIncident(HttpClient client, String statusPage, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            JsonArray incidents = new JsonObject(get(client, statusPage + "/api/v2/incidents/unresolved.json").body()).getJsonArray("incidents");
            if (incidents.isEmpty()) return System.nanoTime();
            Thread.sleep(20);
        }
        throw new AssertionError("the incident was still open " + timeoutMs + " ms after the undo");
    }

    private static JsonObject awaitHeldRan(HttpClient client, String api, String token, String heldId, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        JsonObject state = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(client, HttpRequest.newBuilder(URI.create(api + "/api/v1/vals/admin/tally/held/" + heldId))
                    .header("Authorization", "Bearer " + token).build());
            if (r.statusCode() == 200) {
                state = new JsonObject(r.body());
                if (!"held".equals(state.getString("status"))) return state;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the held run did not run within " + timeoutMs + " ms: " + state);
    }

    /** Every run of a val, through the API's pages. */
    private static List<JsonObject> runs(HttpClient client, String api, String token, String val) throws Exception {
        List<JsonObject> all = new ArrayList<>();
        String cursor = null;
        do {
            String url = api + "/api/v1/vals/admin/" + val + "/runs?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> r = send(client, HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build());
            assertEquals(200, r.statusCode(), r.body());
            JsonObject page = new JsonObject(r.body());
            page.getJsonArray("data").forEach(run -> all.add((JsonObject) run));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return all;
    }

    private static Set<String> blobKeys(String jdbcUrl, String pattern) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var query = connection.prepareStatement("SELECT key FROM app.blobs WHERE key LIKE ?")) {
            query.setString(1, pattern);
            try (var rows = query.executeQuery()) {
                while (rows.next()) keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    private static Set<String> missing(Set<String> promised, Set<String> stored) {
        Set<String> missing = new HashSet<>(promised);
        missing.removeAll(stored);
        return missing;
    }

    private static void createVal(HttpClient client, String api, String token, JsonObject val) throws Exception {
        HttpResponse<String> r = send(client, HttpRequest.newBuilder(URI.create(api + "/api/v1/vals"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(val.encode())).build());
        assertEquals(201, r.statusCode(), r.body());
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return send(client, HttpRequest.newBuilder(URI.create(url)).build());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        // API calls may wait for the TypeScript compiler's first load; a val's answer never takes this long
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(60)).build();
        return client.send(timed, HttpResponse.BodyHandlers.ofString());
    }
}
