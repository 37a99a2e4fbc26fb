package dev.valence.runtime.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Flyway migrations of both schemas, each with its own history table: {@code control}
 * first (the `app` migrations record their contract rows there), then {@code app}.
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    public static final String CONTROL = "control";
    public static final String APP = "app";

    private Migrations() {}

    public static Flyway flyway(DataSource dataSource, String schema) {
        return configure(dataSource, schema).load();
    }

    /** The configuration every client of a schema shares; ops adds locations, a target and a lock timeout. */
    public static FluentConfiguration configure(DataSource dataSource, String schema) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations(defaultLocation(schema))
                .connectRetries(0);
    }

    /** Where a schema's migrations are packaged. */
    public static String defaultLocation(String schema) {
        return "classpath:db/migration/" + schema;
    }

    /** Applies pending migrations of {@code control} then {@code app}. */
    public static void migrate(DataSource dataSource) {
        for (String schema : new String[] {CONTROL, APP}) {
            MigrateResult result = flyway(dataSource, schema).migrate();
            if (result.migrationsExecuted > 0) {
                log.info("Schema {}: applied {} migration(s), now at version {}",
                        schema, result.migrationsExecuted, result.targetSchemaVersion);
            }
        }
    }
}
