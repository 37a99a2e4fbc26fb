package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.TestPlatform;
import dev.valence.runtime.secrets.SecretKeys;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Environment values are stored sealed with AES-GCM under a key the database never sees (a 0600 key
 * file the first start makes), so a dump of the database alone reveals none of them; plaintext an
 * older release left is sealed once no older instance is live, and vals read the same values throughout.
 */
class EnvValuesAreEncryptedAtRestTest {
    static Path dataDir;
    static TestPlatform platform;
    static String alice;

    @BeforeAll
    static void start() {
        dataDir = TestDatabase.tempDir("valence-env-at-rest");
        platform = TestPlatform.start("env_at_rest", Map.of("VALENCE_DATA_DIR", dataDir.toString()));
        alice = platform.createUser("alice");
        platform.createVal(alice, "reads-env", "export default () => Response.json({ secret: Deno.env.get('SECRET') ?? null, old: Deno.env.get('OLD') ?? null });");
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void a_value_is_stored_sealed_under_the_key_file_and_reaches_the_val_as_written() throws Exception {
        String secret = "correct horse battery staple 42";
        assertEquals(204, platform.put("/api/v1/env/SECRET", alice, new JsonObject().put("value", secret).encode()).status());
        assertEquals(secret, platform.get("/v/alice/reads-env").json().getString("secret"));

        Path keyFile = dataDir.resolve("secret.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        String keyId = SecretKeys.fromFile(keyFile).current().id();
        try (var connection = connect()) {
            assertEquals(List.of(), rows(connection, "SELECT key FROM app.env_vars WHERE key = 'SECRET'"), "no plaintext row");
            assertEquals(List.of("SECRET " + keyId), rows(connection, "SELECT key || ' ' || key_id FROM app.env_secrets WHERE key = 'SECRET'"));
            byte[] sealed = bytes(connection, "SELECT sealed FROM app.env_secrets WHERE key = 'SECRET'");
            assertEquals(12 + secret.length() + 16, sealed.length, "nonce, ciphertext and tag");
            assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("horse"), "the plaintext is not in the sealed bytes");
            // what a dump of every table of the app schema would hold, as text
            assertFalse(dumpOfAppSchema(connection).contains("horse"), "no table holds the value in plain text");
        }
        // the listing still names the key, never the value
        var listed = platform.get("/api/v1/env", alice);
        assertEquals(200, listed.status());
        assertTrue(listed.body().contains("\"SECRET\"") && !listed.body().contains("horse"), listed.body());
    }

    @Test
    void a_plaintext_value_the_previous_release_left_is_sealed_and_the_val_reads_it_throughout() throws Exception {
        long aliceId;
        try (var connection = connect()) {
            aliceId = Long.parseLong(rows(connection, "SELECT id FROM app.users WHERE name = 'alice'").getFirst());
            try (var insert = connection.prepareStatement("INSERT INTO app.env_vars (user_id, key, value) VALUES (?, 'OLD', 'left by the old release')")) {
                insert.setLong(1, aliceId);
                insert.executeUpdate();
            }
        }
        assertEquals("left by the old release", platform.get("/v/alice/reads-env").json().getString("old"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> plaintext;
        do {
            Thread.sleep(200);
            try (var connection = connect()) {
                plaintext = rows(connection, "SELECT key FROM app.env_vars");
            }
        } while (!plaintext.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), plaintext, "the runtime sealed the plaintext row within 30 s");
        try (var connection = connect()) {
            assertEquals(List.of("OLD"), rows(connection, "SELECT key FROM app.env_secrets WHERE key = 'OLD'"));
            assertFalse(dumpOfAppSchema(connection).contains("left by the old release"));
        }
        assertEquals("left by the old release", platform.get("/v/alice/reads-env").json().getString("old"));
    }

    @Test
    void a_secret_key_that_is_not_32_bytes_of_base64_stops_start_up_with_the_rule() {
        var shortKey = org.junit.jupiter.api.Assertions.assertThrows(dev.valence.runtime.Config.InvalidConfigException.class,
                () -> dev.valence.runtime.Config.fromEnv(Map.of("VALENCE_SECRET_KEY", "c2hvcnQ=")));
        assertEquals("""
                Invalid configuration:
                  - VALENCE_SECRET_KEY: key 1 has 5 bytes, not 32; a key is 32 random bytes in base64, e.g. from `openssl rand -base64 32`""",
                shortKey.getMessage());
        var notBase64 = org.junit.jupiter.api.Assertions.assertThrows(dev.valence.runtime.Config.InvalidConfigException.class,
                () -> dev.valence.runtime.Config.fromEnv(Map.of("VALENCE_SECRET_KEY", SecretKeys.newKeyText() + ",not*base64")));
        assertTrue(notBase64.getMessage().startsWith("Invalid configuration:\n  - VALENCE_SECRET_KEY: key 2 is not base64 ("),
                notBase64.getMessage());
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestDatabase.jdbcUrl(platform.databaseUrl), "postgres", "");
    }

    private static String dumpOfAppSchema(Connection connection) throws SQLException {
        var dump = new StringBuilder();
        for (String table : rows(connection, "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'app'")) {
            // bytea columns as their bytes read as Latin-1 text, everything else as PostgreSQL prints it
            for (String row : rows(connection, "SELECT t::text FROM app." + table + " t")) dump.append(row).append('\n');
            for (String column : rows(connection, "SELECT quote_ident(column_name) FROM information_schema.columns WHERE table_schema = 'app'"
                    + " AND table_name = '" + table.replace("\"", "") + "' AND data_type = 'bytea'")) {
                try (var statement = connection.createStatement(); var r = statement.executeQuery("SELECT " + column + " FROM app." + table)) {
                    while (r.next()) if (r.getBytes(1) != null) dump.append(new String(r.getBytes(1), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return dump.toString();
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        var result = new ArrayList<String>();
        try (var statement = connection.createStatement(); var r = statement.executeQuery(sql)) {
            while (r.next()) result.add(r.getString(1));
        }
        return result;
    }

    private static byte[] bytes(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement(); var r = statement.executeQuery(sql)) {
            assertTrue(r.next(), sql);
            return r.getBytes(1);
        }
    }

}
