package dev.valence.ops;

import dev.valence.runtime.db.Migrations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --locations}: where each schema's migration files are, and how to read one of them. */
final class MigrationLocations {
    static final List<String> SCHEMAS = List.of(Migrations.CONTROL, Migrations.APP);

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--locations", paramLabel = "SCHEMA=LOCATION", split = ",",
            description = "Flyway locations (classpath:... or filesystem:...) of a schema's migrations; repeat for several."
                    + " A schema named here uses only the locations given"
                    + " (default: control=classpath:db/migration/control, app=classpath:db/migration/app).")
    List<String> entries = List.of();

    List<String> of(String schema) {
        var given = new ArrayList<String>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq);
            if (!SCHEMAS.contains(name) || eq == entry.length() - 1) {
                throw new CommandLine.ParameterException(mixee.commandLine(), "--locations takes SCHEMA=LOCATION with SCHEMA"
                        + " control or app, like app=filesystem:migrations/app; got '" + entry + "'");
            }
            if (name.equals(schema)) given.add(entry.substring(eq + 1));
        }
        return given.isEmpty() ? List.of(Migrations.defaultLocation(schema)) : given;
    }

    FluentConfiguration configure(DataSource dataSource, String schema) {
        return Migrations.configure(dataSource, schema).locations(of(schema).toArray(String[]::new));
    }

    /** The text of a migration file Flyway resolved as {@code script} in one of the schema's locations, or null. */
    String read(String schema, String script) {
        for (String location : of(schema)) {
            try {
                if (location.startsWith("filesystem:")) {
                    Path file = Path.of(location.substring("filesystem:".length()), script);
                    if (Files.isRegularFile(file)) return Files.readString(file);
                } else {
                    String base = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
                    try (InputStream in = MigrationLocations.class.getClassLoader().getResourceAsStream(base + "/" + script)) {
                        if (in != null) return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            } catch (IOException e) {
                throw new OpsException(ExitCodes.ENVIRONMENT, "cannot read migration " + script + " in " + location + ": " + e.getMessage(), e);
            }
        }
        return null;
    }
}
