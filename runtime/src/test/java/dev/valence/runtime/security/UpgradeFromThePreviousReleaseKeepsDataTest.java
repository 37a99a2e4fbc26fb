package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import dev.valence.runtime.Config;
import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.TestPlatform;
import dev.valence.runtime.Valence;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A data folder written by the previous release (its embedded PostgreSQL trusted every local user and
 * kept env values in plain text) starts under this build with its users, tokens, vals, env values and
 * blobs intact, and leaves it password-protected with the values sealed.
 *
 * <p>The fixture is made, not stored: the previous release is taken from git ({@value #PREVIOUS_RELEASE},
 * the commit this work started from; {@code -Dvalence.previousRelease=REF} names another), built once
 * into {@code target/} and run with {@code ./valence run} against a fresh data folder, through its API.
 */
class UpgradeFromThePreviousReleaseKeepsDataTest {
    static final String PREVIOUS_RELEASE = "f6cd900";
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void a_data_folder_of_the_previous_release_starts_with_users_vals_env_values_and_blobs_intact() throws Exception {
        Path previous = previousReleaseBuilt();
        Path dataDir = TestDatabase.tempDir("valence-upgrade-data");
        int pgPort = Ports.free();

        // the previous release writes its data folder, as a user of it would
        String carolToken;
        String adminToken;
        int oldPort = Ports.free();
        var oldEnv = Map.of("VALENCE_DATA_DIR", dataDir.toString(), "PORT", Integer.toString(oldPort), "STATUS_PORT", "0",
                "EMBEDDED_PG_PORT", Integer.toString(pgPort),
                "VALENCE_RUN_CLASSPATH", "runtime/target/valence-runtime-0.1.0-SNAPSHOT.jar:runtime/target/lib/*");
        var builder = new ProcessBuilder("bash", previous.resolve("valence").toString(), "run").directory(previous.toFile())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("valence-previous-release", ".log").toFile());
        builder.environment().putAll(oldEnv);
        builder.environment().remove("DATABASE_URL");
        Process old = builder.start();
        try {
            String base = "http://127.0.0.1:" + oldPort;
            awaitReady(base, old);
            adminToken = Files.readString(dataDir.resolve("bootstrap-token")).strip();
            var carol = send(base, "POST", "/api/v1/users", adminToken, new JsonObject().put("name", "carol").encode());
            assertEquals(201, carol.statusCode(), carol.body());
            carolToken = new JsonObject(carol.body()).getString("token");
            assertEquals(204, send(base, "PUT", "/api/v1/env/SECRET", carolToken, "{\"value\": \"carol's old secret\"}").statusCode());
            assertEquals(204, send(base, "PUT", "/api/v1/env/SECRET", adminToken, "{\"value\": \"the admin's old secret\"}").statusCode());
            var created = send(base, "POST", "/api/v1/vals", carolToken, new JsonObject().put("name", "keeper").put("code", """
                    import { blob } from "https://esm.town/v/std/blob";
                    export default async (req) => {
                      if (req.method === "POST") await blob.setJSON("kept", { note: "written by the previous release" });
                      return Response.json({ env: Deno.env.get("SECRET") ?? null, blob: await blob.getJSON("kept") ?? null });
                    };""").encode());
            assertEquals(201, created.statusCode(), created.body());
            var written = send(base, "POST", "/v/carol/keeper", null, "");
            assertEquals(new JsonObject().put("env", "carol's old secret").put("blob", new JsonObject().put("note", "written by the previous release")),
                    new JsonObject(written.body()));
        } finally {
            stop(old);
        }
        assertFalse(Files.exists(dataDir.resolve("postgres.password")), "the previous release made no password");
        assertTrue(Files.readString(dataDir.resolve("postgres/pg_hba.conf")).lines().anyMatch(l -> l.startsWith("host") && l.endsWith("trust")),
                "the previous release trusted local users");

        // this build starts on the same folder
        var env = Map.of("VALENCE_DATA_DIR", dataDir.toString(), "PORT", "0", "STATUS_PORT", "0", "EMBEDDED_PG_PORT", Integer.toString(pgPort));
        try (var valence = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)))) {
            String base = "http://127.0.0.1:" + valence.port();
            var me = send(base, "GET", "/api/v1/me", carolToken, null);
            assertEquals(200, me.statusCode(), me.body());
            assertEquals("carol", new JsonObject(me.body()).getString("name"));
            assertEquals(200, send(base, "GET", "/api/v1/me", adminToken, null).statusCode());
            var vals = send(base, "GET", "/api/v1/vals/carol/keeper", carolToken, null);
            assertEquals(200, vals.statusCode(), vals.body());
            var reply = send(base, "GET", "/v/carol/keeper", null, null);
            assertEquals(new JsonObject().put("env", "carol's old secret").put("blob", new JsonObject().put("note", "written by the previous release")),
                    new JsonObject(reply.body()));
            var listed = send(base, "GET", "/api/v1/env", carolToken, null);
            assertTrue(listed.body().contains("\"SECRET\""), listed.body());

            // the folder is now protected: a password, and the values sealed (once the runtime found itself alone)
            String password = Files.readString(dataDir.resolve("postgres.password")).strip();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("postgres.password"))));
            // sealing waits until no older instance has a heartbeat younger than 30 s (the previous release may not have
            // removed its row when it stopped) and sweeps every 10 s: at most ~40 s after the previous release's last beat
            long deadline = System.nanoTime() + 60_000_000_000L;
            List<String> plaintext;
            do {
                Thread.sleep(200);
                try (var connection = connect(pgPort, password)) {
                    plaintext = rows(connection, "SELECT key FROM app.env_vars");
                }
            } while (!plaintext.isEmpty() && System.nanoTime() < deadline);
            assertEquals(List.of(), plaintext, "the previous release's plaintext values were sealed within 60 s");
            try (var connection = connect(pgPort, password)) {
                assertEquals(List.of("carol SECRET", "admin SECRET"), rows(connection,
                        "SELECT u.name || ' ' || s.key FROM app.env_secrets s JOIN app.users u ON u.id = s.user_id ORDER BY u.id DESC"));
            }
            var again = send(base, "GET", "/v/carol/keeper", null, null);
            assertEquals("carol's old secret", new JsonObject(again.body()).getString("env"), "the same value, now opened from its sealed form");
        }
    }

    /** The previous release from git, built once into target/ (its sources by {@code git archive}, its build offline). */
    private static Path previousReleaseBuilt() throws IOException, InterruptedException {
        String ref = System.getProperty("valence.previousRelease", PREVIOUS_RELEASE);
        Path root = Path.of("").toAbsolutePath().getParent();
        String sha = run(root, "git", "rev-parse", "--verify", ref + "^{commit}").strip();
        Path checkout = Path.of("target").toAbsolutePath().resolve("previous-release-" + sha.substring(0, 12));
        if (Files.exists(checkout.resolve("runtime/target/valence-runtime-0.1.0-SNAPSHOT.jar"))) return checkout;
        Files.createDirectories(checkout);
        run(checkout, "bash", "-c", "git -C " + root + " archive " + sha + " | tar -x -C " + checkout);
        run(checkout, "mvn", "-B", "-q", "-o", "-Dstyle.color=never", "-pl", "runtime", "-am", "package", "-DskipTests");
        return checkout;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed in " + dir + ":\n" + output);
        }
        return output;
    }

    private static void awaitReady(String base, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "the previous release exited with " + (process.isAlive() ? "" : process.exitValue()));
            try {
                if (send(base, "GET", "/readyz", null, null).statusCode() == 200) return;
            } catch (IOException notYet) {
                // the port is not open yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the previous release was not ready within 180 s");
    }

    /** SIGTERM to the script (it passes it on to the runtime, which drains and stops its PostgreSQL), then waits. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static HttpResponse<String> send(String base, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        if (body != null) request.header("Content-Type", "application/json");
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Connection connect(int port, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        var result = new ArrayList<String>();
        try (var statement = connection.createStatement(); var r = statement.executeQuery(sql)) {
            while (r.next()) result.add(r.getString(1));
        }
        return result;
    }
}
