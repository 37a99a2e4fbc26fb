package dev.valence.ops.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.ops.Ops;
import dev.valence.runtime.db.Migrations;
import dev.valence.runtime.secrets.EnvCipher;
import dev.valence.runtime.secrets.SecretKeys;
import dev.valence.runtime.store.EnvStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ops secrets rotate-key} seals every environment value again with a new key, adds that key to
 * the key file the runtimes use and removes the old one, so a leaked old key opens nothing any more;
 * the values read the same afterwards.
 */
class SecretsRotateKeyReencryptsEveryValueTest {

    @Test
    void rotate_key_reseals_every_value_with_a_new_key_and_drops_the_old_key_from_the_file() throws Exception {
        try (var postgres = EmbeddedPostgres.builder().start()) {
            var dataSource = postgres.getPostgresDatabase();
            Migrations.migrate(dataSource);
            long alice;
            long bob;
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                var rows = s.executeQuery("INSERT INTO app.users (name) VALUES ('alice'), ('bob') RETURNING id");
                rows.next();
                alice = rows.getLong(1);
                rows.next();
                bob = rows.getLong(1);
            }
            Path keyFile = Files.createTempDirectory("valence-keys").resolve("secret.key");
            var before = new EnvStore(dataSource, new EnvCipher(SecretKeys.fromFile(keyFile)));
            String oldId = SecretKeys.fromFile(keyFile).current().id();
            before.put(alice, "API_KEY", "alice-secret-1");
            before.put(alice, "REGION", "eu");
            before.put(bob, "API_KEY", "bob-secret-2");
            assertEquals(Map.of(oldId, 3L), before.countByKeyId());
            String oldKeyText = Files.readString(keyFile).strip(); // as a leaked copy of the file would hold it

            var out = new StringWriter();
            var err = new StringWriter();
            var line = Ops.commandLine();
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(err, true));
            int exit = line.execute("secrets", "rotate-key", "--database", postgres.getJdbcUrl("postgres", "postgres"),
                    "--key-file", keyFile.toString());
            assertEquals(0, exit, out + "\n" + err);

            var rotated = SecretKeys.fromFile(keyFile);
            String newId = rotated.current().id();
            assertNotEquals(oldId, newId);
            assertEquals(List.of(newId), rotated.ids(), "the old key is gone from the file");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            assertEquals("sealed 3 values again with key " + newId + "; removed the old key " + oldId + " from " + keyFile + "\n", out.toString());

            var after = new EnvStore(dataSource, new EnvCipher(rotated));
            assertEquals(Map.of(newId, 3L), after.countByKeyId());
            assertEquals(Map.of("API_KEY", "alice-secret-1", "REGION", "eu"), after.values(alice));
            assertEquals(Map.of("API_KEY", "bob-secret-2"), after.values(bob));

            // a copy of the old key alone opens nothing now
            var onlyOld = new EnvStore(dataSource, new EnvCipher(SecretKeys.of(oldKeyText)));
            var refused = org.junit.jupiter.api.Assertions.assertThrows(EnvCipher.Unreadable.class, () -> onlyOld.values(alice));
            assertTrue(refused.getMessage().startsWith("The environment variable "), refused.getMessage());
            assertTrue(refused.getMessage().contains(" was encrypted with key " + newId + ", which this instance does not have"), refused.getMessage());
        }
    }
}
