package dev.valence.ops.compat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database the N-1 test runs on: a fresh one in an embedded PostgreSQL started here, or the one
 * given with {@code --database}. It is migrated from migration files on disk, never from a class path,
 * so it is exactly the working tree's migrations that are tested.
 */
final class CompatDatabase implements AutoCloseable {
    static final String NAME = "valence_compat";

    private final Optional<EmbeddedPostgres> embedded;
    private final String url;

    private CompatDatabase(Optional<EmbeddedPostgres> embedded, String url) {
        this.embedded = embedded;
        this.url = url;
    }

    /** Starts an embedded PostgreSQL and creates an empty database {@value #NAME} in it. */
    static CompatDatabase embedded() throws IOException, SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        try (var connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + NAME);
        } catch (SQLException e) {
            postgres.close();
            throw e;
        }
        return new CompatDatabase(Optional.of(postgres), "postgres://postgres@localhost:" + postgres.getPort() + "/" + NAME);
    }

    /** An existing database, as given: it should be empty, and its user allowed to create databases. */
    static CompatDatabase external(String url) {
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("--database must be a postgres://user:password@host:port/database URL, got '"
                    + url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@") + "'");
        }
        return new CompatDatabase(Optional.empty(), url);
    }

    /** The postgres:// URL handed to the old release's tests. */
    String url() {
        return url;
    }

    /** Applies the migrations in {@code migrationsDir}/control, then {@code migrationsDir}/app; returns the app version reached. */
    String migrate(Path migrationsDir) {
        var dataSource = dataSource(url);
        String reached = "none";
        for (String schema : new String[] {"control", "app"}) {
            MigrateResult result = Flyway.configure().dataSource(dataSource).schemas(schema).defaultSchema(schema).createSchemas(true)
                    .table("flyway_schema_history").locations("filesystem:" + migrationsDir.resolve(schema).toAbsolutePath())
                    .connectRetries(0).load().migrate();
            reached = result.targetSchemaVersion == null ? reached : schema + " v" + result.targetSchemaVersion;
        }
        return reached;
    }

    /** A connection source for a postgres:// URL (no pool: nothing may stay connected to a template database). */
    static PGSimpleDataSource dataSource(String url) {
        URI uri = URI.create(url);
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            dataSource.setUser(parts[0]);
            if (parts.length > 1) dataSource.setPassword(parts[1]);
        }
        return dataSource;
    }

    @Override
    public void close() throws IOException {
        if (embedded.isPresent()) embedded.get().close();
    }
}
