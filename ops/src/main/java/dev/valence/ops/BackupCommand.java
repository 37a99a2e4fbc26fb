package dev.valence.ops;

import dev.valence.ops.backup.Backup;
import dev.valence.ops.backup.BackupException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops backup}: every row of both schemas, as of one instant, in one file only its owner can read. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write a backup of the database: every table of the control and app schemas (and their Flyway history) as of"
                + " one instant (a read-only REPEATABLE READ snapshot, COPY per table), compressed, in one file readable by its owner only"
                + " (0600). Runtimes keep serving meanwhile.",
                "The secret key is not in the backup: environment values stay sealed. Keep the key file (or VALENCE_SECRET_KEY) apart.",
                "Exit 0 when the backup is written, 1 when the database holds no Valence schemas, 3 when the database or the file failed."})
final class BackupCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    DatabaseOption database;
    @Mixin
    DataDirOption dataDir;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the backup (replaced if it exists, only once complete).")
    Path out;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (var target = dataDir.open(database, false); var connection = target.connect()) {
            var manifest = Backup.write(connection, this.out);
            out.println("wrote " + this.out + ": " + manifest.tables().size() + " tables, " + manifest.totalRows() + " rows, control v"
                    + manifest.schemaVersions().get("control") + ", app v" + manifest.schemaVersions().get("app") + ", as of " + manifest.takenAt()
                    + " (from " + target.description() + ")");
            out.println("the secret key is not in it: keep the key file or VALENCE_SECRET_KEY apart, or the environment values cannot be read back");
            out.flush();
            return ExitCodes.OK;
        } catch (BackupException e) {
            throw new OpsException(e.refused() ? ExitCodes.REFUSED : ExitCodes.ENVIRONMENT, e.getMessage(), e);
        }
    }
}
