package dev.valence.ops.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.ops.ExitCodes;
import dev.valence.ops.Ops;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VL004 against a real PostgreSQL whose schemas were migrated by Flyway from copies of the repository's files. */
class LintAppliedChecksumsTest {
    private static final Path REPO_MIGRATIONS = Path.of("../migrations/src/main/resources/db/migration");

    @TempDir
    Path dir;

    @Test
    void an_applied_migration_that_changed_is_refused_and_unchanged_ones_pass() throws IOException {
        for (String schema : new String[] {"control", "app"}) {
            Files.createDirectories(dir.resolve(schema));
            try (var files = Files.list(REPO_MIGRATIONS.resolve(schema))) {
                for (Path file : files.toList()) Files.copy(file, dir.resolve(schema).resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (var postgres = EmbeddedPostgres.start()) {
            for (String schema : new String[] {"control", "app"}) {
                Flyway.configure().dataSource(postgres.getPostgresDatabase()).schemas(schema).table("flyway_schema_history")
                        .locations("filesystem:" + dir.resolve(schema)).load().migrate();
            }
            String url = postgres.getJdbcUrl("postgres", "postgres");

            Run unchanged = ops("lint", "--database", url, dir.toString());
            assertEquals(new Run(ExitCodes.OK, "lint: 16 files, 0 errors, 0 warnings, 0 accepted\n"), unchanged);

            Path v1 = dir.resolve("app/V1__users_vals_runs.sql");
            String applied = Files.readString(v1);
            int appliedChecksum = AppliedChecksums.checksumOf(applied);
            String edited = applied.replace("-- Baseline of the app schema", "-- The baseline of the app schema");
            Files.writeString(v1, edited);
            Run changed = ops("lint", "--database", url, dir.toString());
            assertEquals(new Run(ExitCodes.REFUSED, v1 + ":1: VL004 error: app v1 was applied with checksum " + appliedChecksum
                    + " but the file now has checksum " + AppliedChecksums.checksumOf(edited)
                    + ": the database has what ran, the file says something else\n"
                    + "    fix: restore the file as it was applied (git log -p on it) and put the change in a new migration\n"
                    + "lint: 16 files, 1 errors, 0 warnings, 0 accepted\n"), changed);
        }
    }

    @Test
    void an_unreachable_database_is_an_environment_error() throws IOException {
        Path file = dir.resolve("V1__ok.sql");
        Files.writeString(file, "SELECT 1;");
        var err = new StringWriter();
        var line = Ops.commandLine();
        line.setErr(new PrintWriter(err));
        line.setOut(new PrintWriter(new StringWriter()));
        assertEquals(ExitCodes.ENVIRONMENT, line.execute("lint", "--database", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", file.toString()));
        assertEquals(true, err.toString().startsWith("lint: cannot read Flyway history from --database: "), err.toString());
    }

    record Run(int exitCode, String out) {}

    private static Run ops(String... args) {
        var out = new StringWriter();
        var line = Ops.commandLine();
        line.setOut(new PrintWriter(out));
        return new Run(line.execute(args), out.toString());
    }
}
