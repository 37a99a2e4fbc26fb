package dev.valence.runtime.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
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
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations("classpath:db/migration/" + schema)
                .connectRetries(0)
                .load();
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
