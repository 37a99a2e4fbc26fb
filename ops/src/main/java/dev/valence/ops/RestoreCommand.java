package dev.valence.ops;

import dev.valence.ops.backup.BackupException;
import dev.valence.ops.backup.Restore;
import dev.valence.runtime.db.OwnerOnlyFile;
import dev.valence.runtime.secrets.SecretKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops restore}: a backup into an empty database, at the backup's own schema versions. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backup made by 'ops backup' into an empty database: a fresh data folder (--data-dir, created when"
                + " missing) or an empty database (--database). Migrates it to the backup's schema versions, then copies every table"
                + " back and sets every sequence, in one transaction. Refuses a database that holds data.",
                "With --key-file or VALENCE_SECRET_KEY, checks before committing that the key opens the backup's environment values.",
                "Exit 0 when restored, 1 when refused (target not empty, damaged file, wrong key), 3 when the database or the file failed."})
final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    DatabaseOption database;
    @Mixin
    DataDirOption dataDir;
    @Mixin
    MigrationLocations locations;

    @Option(names = "--from", paramLabel = "FILE", required = true, description = "The backup file.")
    Path from;

    @Option(names = "--key-file", paramLabel = "PATH",
            description = "The key file kept with this backup: checked against the environment values before the restore commits, and"
                    + " copied (0600) to secret.key in --data-dir when that folder has none (default: check with VALENCE_SECRET_KEY when set).")
    Path keyFile;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (!Files.isRegularFile(from)) {
            throw new OpsException(ExitCodes.ENVIRONMENT, "no backup file at " + from + "; pass --from with a file 'ops backup' wrote");
        }
        SecretKeys keys = keys();
        try (var target = dataDir.open(database, true)) {
            var result = new Restore(target.dataSource(), schema -> locations.configure(target.dataSource(), schema)).from(from, keys);
            var manifest = result.manifest();
            out.println("restored " + manifest.tables().size() + " tables, " + manifest.totalRows() + " rows (control v"
                    + manifest.schemaVersions().get("control") + ", app v" + manifest.schemaVersions().get("app") + ", as of "
                    + manifest.takenAt() + ") into " + target.description());
            var check = result.keyCheck();
            if (check.sealedValues() == 0) {
                out.println("the backup holds no environment values, so there was no key to check");
            } else if (check.checked()) {
                out.println("the key (" + keys.source() + ") opens the " + check.sealedValues() + " environment values (sealed with key "
                        + String.join(", ", check.keyIds()) + "); give the runtimes this same key");
                copyKeyFile(out);
            } else {
                out.println("NOT CHECKED: " + check.sealedValues() + " environment values are sealed with key " + String.join(", ", check.keyIds())
                        + ", and no key was given (--key-file or VALENCE_SECRET_KEY). The runtimes need that key to read them: put the key"
                        + " file kept with this backup at VALENCE_SECRET_KEY_FILE (or the data folder's secret.key), or set VALENCE_SECRET_KEY,"
                        + " before they start");
            }
            out.flush();
            return ExitCodes.OK;
        } catch (BackupException e) {
            throw new OpsException(e.refused() ? ExitCodes.REFUSED : ExitCodes.ENVIRONMENT, e.getMessage(), e);
        }
    }

    private SecretKeys keys() {
        try {
            if (keyFile != null) {
                if (!Files.isRegularFile(keyFile)) {
                    throw new OpsException(ExitCodes.ENVIRONMENT, "no key file at " + keyFile + "; pass --key-file with the key file kept with the backup");
                }
                return SecretKeys.fromFile(keyFile);
            }
            String fromEnv = System.getenv("VALENCE_SECRET_KEY");
            return fromEnv == null || fromEnv.isBlank() ? null : SecretKeys.of(fromEnv);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new OpsException(ExitCodes.ENVIRONMENT, e.getMessage(), e);
        }
    }

    /** A runtime started on the restored folder reads secret.key there: it gets the key that opens the values, not a new one. */
    private void copyKeyFile(java.io.PrintWriter out) {
        if (keyFile == null || (dataDir.dataDir == null && database.url != null && !database.url.isBlank())) return;
        Path copy = dataDir.dataDirOrDefault().resolve("secret.key");
        if (Files.exists(copy)) return;
        try {
            OwnerOnlyFile.replace(copy, Files.readString(keyFile));
            out.println("copied the key file to " + copy + " (0600), where a runtime on this data folder reads it");
        } catch (IOException e) {
            throw new OpsException(ExitCodes.ENVIRONMENT, "restored, but cannot copy the key file to " + copy + ": " + e.getMessage()
                    + "; copy it there yourself before starting a runtime", e);
        }
    }
}
