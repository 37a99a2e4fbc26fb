package dev.valence.runtime;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * DATABASE_DIRECT_URL: with a transaction-pooling PgBouncer at DATABASE_URL, what needs a session of its
 * own (LISTEN, Flyway's session advisory lock) goes to the server directly. Here both addresses reach the
 * same test database and differ only in the application name their sessions carry, which PostgreSQL shows
 * in pg_stat_activity and in current_setting('application_name').
 */
class DirectDatabaseUrlTest {
    private static final String POOLED = "valence-pooled";
    private static final String DIRECT = "valence-direct";

    @Test
    void migrations_and_every_listen_go_to_the_direct_url_while_the_pool_uses_database_url() throws Exception {
        String database = TestDatabase.newDatabase("direct");
        DataSource owner = TestDatabase.dataSource(database);
        String name = database.substring(database.lastIndexOf('/') + 1);
        // an event trigger notes which session ran each DDL statement of the migrations
        try (var connection = owner.getConnection(); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.ddl_seen (application_name text, tag text)");
            statement.execute("CREATE FUNCTION public.note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO public.ddl_seen VALUES (current_setting('application_name'), tg_tag); END $$");
            statement.execute("CREATE EVENT TRIGGER note_ddl ON ddl_command_end EXECUTE FUNCTION public.note_ddl()");
        }
        var env = Map.of("DATABASE_URL", database + "?ApplicationName=" + POOLED, "DATABASE_DIRECT_URL", database + "?ApplicationName=" + DIRECT,
                "MIGRATE_ON_START", "true", "PORT", "0", "STATUS_PORT", "0", "SHUTDOWN_DELAY_MS", "0",
                "VALENCE_DATA_DIR", TestDatabase.tempDir("valence-direct-data").toString());
        try (var platform = TestPlatform.startOn(database, env)) {
            // readiness turns 200 once the last service has started, a moment after the start-up sequence
            eventually("the migrated schema is the build's: /readyz 200", 10_000, () -> platform.get("/readyz").status() == 200);

            assertEquals(List.of(DIRECT), rows(owner, "SELECT DISTINCT application_name FROM public.ddl_seen"),
                    "every migration statement ran on a direct session");
            // the schema guard, the run notices and the status page's snapshot keeper each hold a LISTEN session
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<String> listening;
            do {
                Thread.sleep(50);
                listening = rows(owner, "SELECT application_name || ' ' || query FROM pg_stat_activity WHERE datname = '" + name
                        + "' AND query LIKE 'LISTEN %' ORDER BY 1");
            } while (listening.isEmpty() && System.nanoTime() < deadline);
            assertFalse(listening.isEmpty(), "a LISTEN session is open");
            for (String session : listening) assertEquals(DIRECT, session.substring(0, session.indexOf(' ')), session);
            var pooled = rows(owner, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + name + "' AND application_name = '" + POOLED + "'");
            assertFalse(pooled.equals(List.of("0")), "the connection pool uses DATABASE_URL");
        }
    }

    @Test
    void a_direct_url_without_database_url_stops_startup_with_a_sentence() {
        var e = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnv(Map.of("DATABASE_DIRECT_URL", "postgres://u@db:5432/valence")));
        assertEquals("Invalid configuration:\n  - DATABASE_DIRECT_URL is set but DATABASE_URL is not: set DATABASE_URL to the pooler's address"
                + " (or to the server's, without a pooler) and DATABASE_DIRECT_URL to the server's own", e.getMessage());
        var bad = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnv(Map.of("DATABASE_URL", "postgres://u@pooler:6432/valence", "DATABASE_DIRECT_URL", "mysql://u@db/valence")));
        assertEquals("Invalid configuration:\n  - DATABASE_DIRECT_URL must start with postgres://, postgresql:// or jdbc:postgresql://,"
                + " got 'mysql://u@db/valence'", bad.getMessage());
    }

    private static List<String> rows(DataSource source, String sql) throws SQLException {
        var result = new ArrayList<String>();
        try (var connection = source.getConnection(); var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) result.add(rows.getString(1));
        }
        return result;
    }
}
