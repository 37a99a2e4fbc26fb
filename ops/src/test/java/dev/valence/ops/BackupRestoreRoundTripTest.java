package dev.valence.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import dev.valence.runtime.Config;
import dev.valence.runtime.Valence;
import dev.valence.runtime.db.PostgresServer;
import dev.valence.runtime.guard.BuildInfo;
import dev.valence.runtime.secrets.SecretKeys;
import dev.valence.status.StatusPage;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * A backup a user can trust: a platform with two users, vals with several versions, environment
 * values, blobs, runs and status page incidents is backed up while its database serves, restored into
 * a fresh data folder, compared table by table, and served again by a runtime started on that folder.
 */
class BackupRestoreRoundTripTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    /** Generous: this JVM runs GraalJS without its compiler, so a val's first load is slow. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder api(int port, String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + token);
    }

    private static final String NOTES = """
            import { blob } from "std/blob";
            export default async function (req) {
              if (req.method === "POST") await blob.set("note", await req.text());
              const note = await (await blob.get("note")).text();
              return new Response(`v%d ${Deno.env.get("API_KEY")} ${note}`);
            }
            """;

    @Test
    void a_backup_restored_into_a_fresh_data_folder_holds_every_row_and_a_runtime_serves_its_vals_with_the_same_env_values_and_blobs()
            throws Exception {
        String source = OpsTestSupport.newDatabase("backup_source");
        String name = source.substring(source.lastIndexOf('/') + 1, source.indexOf('?'));
        String keyText = SecretKeys.newKeyText();
        Path work = Files.createTempDirectory("valence-backup");
        Path keyFile = work.resolve("kept-apart.key");
        Files.writeString(keyFile, keyText + "\n");
        Path sourceDir = Files.createDirectories(work.resolve("source"));
        int statusPort = Ports.free();
        var config = Config.fromEnv(Map.of(
                "DATABASE_URL", "postgres://postgres@localhost:" + OpsTestSupport.postgres().getPort() + "/" + name,
                "PORT", "0", "STATUS_PORT", String.valueOf(statusPort), "VALENCE_SECRET_KEY", keyText, "INSTANCE_ID", "backup-source",
                "VALENCE_DATA_DIR", sourceDir.toString()));
        String aliceToken;
        String adminToken;
        try (var valence = Valence.start(config, BuildInfo.current())) {
            assertTrue(valence.awaitBroughtUp(Duration.ofSeconds(60)), "the source runtime came up");
            int port = valence.port();
            adminToken = valence.bootstrapToken().orElseThrow();
            var alice = send(api(port, "/api/v1/users", adminToken).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"alice\"}")));
            assertEquals(201, alice.statusCode(), alice.body());
            aliceToken = new JsonObject(alice.body()).getString("token");
            for (var env : List.of(List.of(aliceToken, "API_KEY", "alice-key-123"), List.of(adminToken, "API_KEY", "admin-key-456"))) {
                var put = send(api(port, "/api/v1/env/" + env.get(1), env.get(0))
                        .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("value", env.get(2)).encode())));
                assertEquals(204, put.statusCode(), put.body());
            }
            for (String token : List.of(aliceToken, adminToken)) {
                var created = send(api(port, "/api/v1/vals", token).POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("name", "notes").put("code", NOTES.formatted(1)).encode())));
                assertEquals(201, created.statusCode(), created.body());
            }
            for (int version = 2; version <= 3; version++) {
                var saved = send(api(port, "/api/v1/vals/alice/notes", aliceToken)
                        .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("code", NOTES.formatted(version)).encode())));
                assertEquals(200, saved.statusCode(), saved.body());
            }
            assertEquals("v3 alice-key-123 first", send(api(port, "/v/alice/notes", aliceToken)
                    .POST(HttpRequest.BodyPublishers.ofString("first"))).body());
            assertEquals("v1 admin-key-456 admin's", send(api(port, "/v/admin/notes", adminToken)
                    .POST(HttpRequest.BodyPublishers.ofString("admin's"))).body());
            for (int i = 0; i < 5; i++) assertEquals(200, send(api(port, "/v/alice/notes", aliceToken).GET()).statusCode());

            String team = Files.readString(sourceDir.resolve(StatusPage.TEAM_TOKEN_FILE)).strip();
            String statusUrl = "http://localhost:" + statusPort + "/";
            var opened = OpsTestSupport.run("status", "open", "--url", statusUrl, "--token", team, "--name", "Slow notes",
                    "--component", "httpvals0001=degraded_performance", "--body", "Looking into it.");
            assertEquals(ExitCodes.OK, opened.exit(), opened.err());
            var updated = OpsTestSupport.run("status", "update", opened.out().strip(), "--url", statusUrl, "--token", team,
                    "--status", "monitoring", "--body", "A fix is out.");
            assertEquals(ExitCodes.OK, updated.exit(), updated.err());
        } // closing writes every queued run record

        Path backup = work.resolve("valence.backup");
        var written = OpsTestSupport.run("backup", "--database", source, "--out", backup.toString());
        assertEquals(ExitCodes.OK, written.exit(), written.err());
        assertTrue(written.out().startsWith("wrote " + backup + ": "), written.out());
        assertTrue(written.out().contains(", app v" + OpsTestSupport.query(source,
                "SELECT max(version::int) FROM app.flyway_schema_history WHERE success") + ","), written.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertKeyAbsent(backup, keyText);

        Path restoredDir = work.resolve("restored");
        var restored = OpsTestSupport.run("restore", "--from", backup.toString(), "--data-dir", restoredDir.toString(), "--key-file", keyFile.toString());
        assertEquals(ExitCodes.OK, restored.exit(), restored.out() + restored.err());
        String keyId = SecretKeys.of(keyText).current().id();
        assertTrue(restored.out().contains("\nthe key (the key file " + keyFile + ") opens the 2 environment values (sealed with key " + keyId
                + "); give the runtimes this same key\n"), restored.out());
        assertTrue(restored.out().endsWith("copied the key file to " + restoredDir.resolve("secret.key") + " (0600), where a runtime on this"
                + " data folder reads it\n"), restored.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(restoredDir.resolve("secret.key"))));

        Map<String, String> expected;
        try (var c = OpsTestSupport.dataSource(source).getConnection()) {
            expected = contents(c);
        }
        try (var server = PostgresServer.start(restoredDir, 0); var c = dataSource(server).getConnection()) {
            var actual = contents(c);
            assertEquals(expected.keySet(), actual.keySet());
            for (String table : expected.keySet()) assertEquals(expected.get(table), actual.get(table), table);
        }
        for (String table : List.of("app.users", "app.vals", "app.val_versions", "app.env_secrets", "app.blobs", "control.incidents",
                "control.incident_updates", "control.component_status_history")) {
            assertFalse(expected.get(table).isEmpty(), table + " held rows to compare");
        }
        assertTrue(expected.get("app.runs").lines().count() + expected.get("app.run_groups").lines().count() >= 2, "runs were recorded");

        var again = Config.fromEnv(Map.of("PORT", "0", "STATUS_PORT", "0", "INSTANCE_ID", "backup-restored",
                "VALENCE_DATA_DIR", restoredDir.toString()));
        try (var valence = Valence.start(again, BuildInfo.current())) {
            assertTrue(valence.awaitBroughtUp(Duration.ofSeconds(60)), "the restored runtime came up");
            int port = valence.port();
            assertTrue(valence.bootstrapToken().isEmpty(), "no new admin: the restored users are there");
            assertEquals("v3 alice-key-123 first", send(api(port, "/v/alice/notes", aliceToken).GET()).body());
            assertEquals("v1 admin-key-456 admin's", send(api(port, "/v/admin/notes", adminToken).GET()).body());
            var versions = new JsonObject(send(api(port, "/api/v1/vals/alice/notes/versions", aliceToken).GET()).body());
            assertEquals(3, versions.getJsonArray("data").size(), versions.encode());

            var refused = OpsTestSupport.run("restore", "--from", backup.toString(), "--data-dir", restoredDir.toString());
            assertEquals(ExitCodes.REFUSED, refused.exit(), refused.out() + refused.err());
            assertTrue(refused.err().startsWith("error: the target database is not empty: "), refused.err());
            assertTrue(refused.err().contains(" hold rows. A restore never mixes a backup with other data: restore into a fresh database"
                    + " (a new --data-dir, or an empty database by --database)\n"), refused.err());
        }
    }

    /** Neither the key's text nor its bytes are in the file, compressed or not. */
    private static void assertKeyAbsent(Path backup, String keyText) throws Exception {
        byte[] key = Base64.getDecoder().decode(keyText);
        var everything = new ByteArrayOutputStream();
        everything.write(Files.readAllBytes(backup));
        try (var zip = new ZipFile(backup.toFile())) {
            for (var entry : java.util.Collections.list(zip.entries())) {
                try (var in = zip.getInputStream(entry)) {
                    everything.write(in.readAllBytes());
                }
            }
        }
        byte[] all = everything.toByteArray();
        assertFalse(contains(all, keyText.getBytes(StandardCharsets.US_ASCII)), "the key's base64 text is in the backup");
        assertFalse(contains(all, key), "the key's bytes are in the backup");
        String hex = java.util.HexFormat.of().formatHex(key);
        assertFalse(contains(all, hex.getBytes(StandardCharsets.US_ASCII)), "the key's hex is in the backup");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    /** Every table but the heartbeats as COPY text in a total order, and every sequence's value. */
    static Map<String, String> contents(Connection c) throws Exception {
        var tables = new ArrayList<String>();
        try (var s = c.createStatement(); var rows = s.executeQuery("""
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname IN ('app', 'control') AND c.relname <> 'instances' ORDER BY 1""")) {
            while (rows.next()) tables.add(rows.getString(1));
        }
        var contents = new LinkedHashMap<String, String>();
        var copier = c.unwrap(PGConnection.class).getCopyAPI();
        for (String table : tables) {
            int columns;
            try (var s = c.createStatement(); var rows = s.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
                columns = rows.getMetaData().getColumnCount();
            }
            var order = new StringBuilder();
            for (int i = 1; i <= columns; i++) order.append(i == 1 ? "" : ", ").append(i);
            var out = new ByteArrayOutputStream();
            copier.copyOut("COPY (SELECT * FROM " + table + " ORDER BY " + order + ") TO STDOUT", out);
            contents.put(table, out.toString(StandardCharsets.UTF_8));
        }
        try (var s = c.createStatement(); var rows = s.executeQuery("""
                SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences
                WHERE schemaname IN ('app', 'control') ORDER BY 1""")) {
            while (rows.next()) contents.put("sequence " + rows.getString(1), String.valueOf(rows.getObject(2)));
        }
        return contents;
    }

    private static DataSource dataSource(PostgresServer server) {
        var ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(server.jdbcUrl());
        ds.setUser("postgres");
        ds.setPassword(server.password());
        return ds;
    }
}
