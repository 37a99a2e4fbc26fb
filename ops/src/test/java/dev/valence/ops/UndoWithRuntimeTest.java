package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.WITH_CONTRACT;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.query;
import static dev.valence.ops.OpsTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.Config;
import dev.valence.runtime.Valence;
import dev.valence.runtime.guard.BuildInfo;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The way back, end to end: a real runtime of the current build answers 503 after a contract migration it
 * cannot run on, and 200 again within a second of {@code ops migrate --undo}, with the guard's sentence
 * matching the database (nothing left of the undone migration's floor).
 */
class UndoWithRuntimeTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    /** Generous: this JVM runs GraalJS without its compiler, so compiling and loading the val's first time is slow. */
    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)));
    }

    /** Polls until {@code path} answers {@code status}; returns the milliseconds it took. */
    private long untilStatus(int port, String path, int status, long timeoutMs) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeoutMs * 1_000_000) {
            if (get(port, path).statusCode() == status) return (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(5);
        }
        throw new AssertionError(path + " did not answer " + status + " within " + timeoutMs + " ms");
    }

    @Test
    void a_runtime_answers_503_after_a_contract_migration_and_200_within_a_second_of_ops_migrate_undo() throws Exception {
        String db = newDatabase("undo_runtime");
        String name = db.substring(db.lastIndexOf('/') + 1, db.indexOf('?'));
        BuildInfo build = BuildInfo.current();
        var config = Config.fromEnv(Map.of(
                "DATABASE_URL", "postgres://postgres@localhost:" + OpsTestSupport.postgres().getPort() + "/" + name,
                "PORT", "0", "STATUS_PORT", "0", "HEARTBEAT_MS", "200", "INSTANCE_ID", "runtime-current",
                "VALENCE_DATA_DIR", Files.createTempDirectory("valence-undo").toString()));
        try (var valence = Valence.start(config, build)) {
            assertTrue(valence.awaitBroughtUp(Duration.ofSeconds(60)), "the runtime came up");
            int port = valence.port();
            var created = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/vals"))
                    .header("Authorization", "Bearer " + valence.bootstrapToken().orElseThrow())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"shop\",\"code\":\"export default () => new Response('open')\"}")));
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("open", get(port, "/v/admin/shop").body());

            // the contract migration lands although this runtime is live (as in the incident: forced)
            assertEquals(ExitCodes.OK, run("migrate", "--force", "--database", db, WITH_CONTRACT).exit());
            untilStatus(port, "/v/admin/shop", 503, 1000);
            assertEquals("schema is at app v900, which requires code level >= 900; this build is level " + build.codeLevel()
                            + " (contract migration app v900 removed what older code uses); deploy a build of level 900 or newer",
                    new JsonObject(get(port, "/api/v1/schema").body()).getString("message"));

            var undo = run("migrate", "--undo", "900", "--database", db, WITH_CONTRACT);
            assertEquals(ExitCodes.OK, undo.exit(), undo.err());
            long backMs = untilStatus(port, "/v/admin/shop", 200, 1000);
            System.out.println("val answered 200 " + backMs + " ms after ops migrate --undo returned");
            assertEquals("open", get(port, "/v/admin/shop").body());

            var schema = new JsonObject(get(port, "/api/v1/schema").body());
            assertEquals("compatible", schema.getString("verdict"));
            assertEquals("schema is at app v8 (floor 0); this build is level " + build.codeLevel() + " (minimum " + build.codeMinimum()
                    + "): compatible", schema.getString("message"));
            assertEquals(8, schema.getInteger("schemaVersion"));
            assertEquals("0", query(db, "SELECT count(*) FROM control.schema_contract WHERE min_code_level > " + build.codeLevel()));
        }
    }
}
