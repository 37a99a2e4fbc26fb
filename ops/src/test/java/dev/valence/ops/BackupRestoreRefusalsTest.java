package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.query;
import static dev.valence.ops.OpsTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.secrets.EnvCipher;
import dev.valence.runtime.secrets.SecretKeys;
import dev.valence.runtime.store.EnvStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code ops restore} refuses, and what it says when it cannot check the key: each with the sentence the operator reads. */
class BackupRestoreRefusalsTest {
    private static Path work;
    private static Path backup;
    private static String keyText;
    private static String keyId;

    @BeforeAll
    static void aBackupWithOneSealedValue() throws Exception {
        String source = newDatabase("refusals_source");
        OpsTestSupport.migratePackaged(source);
        OpsTestSupport.sql(source, "INSERT INTO app.users (name) VALUES ('alice')");
        long alice = Long.parseLong(query(source, "SELECT id FROM app.users WHERE name = 'alice'"));
        keyText = SecretKeys.newKeyText();
        keyId = SecretKeys.of(keyText).current().id();
        new EnvStore(OpsTestSupport.dataSource(source), new EnvCipher(SecretKeys.of(keyText))).put(alice, "API_KEY", "alice-secret");
        work = Files.createTempDirectory("valence-refusals");
        backup = work.resolve("one.backup");
        var written = run("backup", "--database", source, "--out", backup.toString());
        assertEquals(ExitCodes.OK, written.exit(), written.err());
    }

    @Test
    void a_key_that_does_not_open_the_values_stops_the_restore_before_any_row_is_written() throws Exception {
        String target = newDatabase("refusals_wrong_key");
        Path wrongKey = work.resolve("wrong.key");
        Files.writeString(wrongKey, SecretKeys.newKeyText() + "\n");
        String wrongId = SecretKeys.fromFile(wrongKey).current().id();
        var refused = run("restore", "--from", backup.toString(), "--database", target, "--key-file", wrongKey.toString());
        assertEquals(ExitCodes.REFUSED, refused.exit(), refused.out() + refused.err());
        assertEquals("error: the key given (the key file " + wrongKey + ", key " + wrongId + ") does not open the backup's environment"
                + " values, sealed with key " + keyId + ": The environment variable API_KEY was encrypted with key " + keyId + ", which this"
                + " instance does not have (it has " + wrongId + " from the key file " + wrongKey + "); give every instance the same"
                + " VALENCE_SECRET_KEY or key file. Nothing was restored. Pass the key file or VALENCE_SECRET_KEY kept with this backup, or"
                + " neither to restore without checking (the values then stay unreadable until the runtimes get that key)\n", refused.err());
        assertEquals("0", query(target, "SELECT count(*) FROM app.users"));
        assertEquals("0", query(target, "SELECT count(*) FROM app.env_secrets"));

        // the refused attempt left an empty, migrated database: the right key restores into it
        Path rightKey = work.resolve("right.key");
        Files.writeString(rightKey, keyText + "\n");
        var restored = run("restore", "--from", backup.toString(), "--database", target, "--key-file", rightKey.toString());
        assertEquals(ExitCodes.OK, restored.exit(), restored.out() + restored.err());
        assertTrue(restored.out().endsWith("\nthe key (the key file " + rightKey + ") opens the 1 environment values (sealed with key " + keyId
                + "); give the runtimes this same key\n"), restored.out());
        assertEquals("alice", query(target, "SELECT name FROM app.users"));
    }

    @Test
    void without_a_key_the_restore_says_plainly_that_it_did_not_check_the_values() {
        String target = newDatabase("refusals_no_key");
        var restored = run("restore", "--from", backup.toString(), "--database", target);
        assertEquals(ExitCodes.OK, restored.exit(), restored.out() + restored.err());
        assertTrue(restored.out().startsWith("restored "), restored.out());
        assertTrue(restored.out().endsWith("\nNOT CHECKED: 1 environment values are sealed with key " + keyId + ", and no key was given"
                + " (--key-file or VALENCE_SECRET_KEY). The runtimes need that key to read them: put the key file kept with this backup at"
                + " VALENCE_SECRET_KEY_FILE (or the data folder's secret.key), or set VALENCE_SECRET_KEY, before they start\n"), restored.out());
        assertEquals("1", query(target, "SELECT count(*) FROM app.env_secrets"));
    }

    @Test
    void a_database_holding_data_is_refused_and_keeps_its_rows() {
        String target = newDatabase("refusals_full");
        OpsTestSupport.migratePackaged(target);
        OpsTestSupport.sql(target, "INSERT INTO app.users (name) VALUES ('bob')");
        var refused = run("restore", "--from", backup.toString(), "--database", target);
        assertEquals(ExitCodes.REFUSED, refused.exit(), refused.out() + refused.err());
        assertEquals("error: the target database is not empty: app.users hold rows. A restore never mixes a backup with other data:"
                + " restore into a fresh database (a new --data-dir, or an empty database by --database)\n", refused.err());
        assertEquals("bob", query(target, "SELECT string_agg(name, ',') FROM app.users"));
    }

    @Test
    void a_file_that_is_not_a_backup_is_refused() throws Exception {
        Path notABackup = work.resolve("notes.txt");
        Files.writeString(notABackup, "just some notes\n");
        var refused = run("restore", "--from", notABackup.toString(), "--database", newDatabase("refusals_not_backup"));
        assertEquals(ExitCodes.REFUSED, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().startsWith("error: " + notABackup + " is not a readable backup ("), refused.err());
        assertTrue(refused.err().endsWith("); it is damaged or not a Valence backup\n"), refused.err());
    }

    @Test
    void a_database_without_valence_schemas_cannot_be_backed_up_and_no_file_is_left() throws Exception {
        Path out = work.resolve("empty.backup");
        var refused = run("backup", "--database", newDatabase("refusals_empty_source"), "--out", out.toString());
        assertEquals(ExitCodes.REFUSED, refused.exit(), refused.out() + refused.err());
        assertEquals("error: the database has no Valence schemas (control and app, with their Flyway history); check --database or"
                + " --data-dir\n", refused.err());
        assertTrue(!Files.exists(out), "no backup file");
        try (var files = Files.list(work)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".partial")), "no partial file left");
        }
    }
}
