package dev.valence.ops;

import dev.valence.runtime.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --database URL}: the PostgreSQL a command works on, and the clock it judges ages with. */
final class DatabaseOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    // DATABASE_DIRECT_URL first: with a transaction-pooling PgBouncer at DATABASE_URL, Flyway's session lock would not hold
    @Option(names = "--database", paramLabel = "URL", defaultValue = "${env:DATABASE_DIRECT_URL:-${env:DATABASE_URL}}",
            description = "PostgreSQL: postgres://user:pass@host:5432/db or jdbc:postgresql://... (default: $DATABASE_DIRECT_URL, else $DATABASE_URL).")
    String url;

    DataSource dataSource() {
        return dataSource(null);
    }

    /** With {@code lock_timeout} set for every session, so no statement of ours queues others behind a lock for long. */
    DataSource dataSource(Duration lockTimeout) {
        if (url == null || url.isBlank()) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "No database: pass --database URL or set DATABASE_URL (postgres://user:pass@host:5432/db).");
        }
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--database: " + e.getMessage());
        }
        var ds = new PGSimpleDataSource();
        ds.setUrl(parsed.jdbcUrl());
        if (parsed.user() != null) ds.setUser(parsed.user());
        if (parsed.password() != null) ds.setPassword(parsed.password());
        ds.setConnectTimeout(5);
        if (lockTimeout != null) {
            String options = ds.getOptions() == null ? "" : ds.getOptions() + " ";
            ds.setOptions(options + "-c lock_timeout=" + lockTimeout.toMillis());
        }
        return ds;
    }

    Connection connect(DataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    OpsException unreachable(Exception e) {
        return new OpsException(ExitCodes.ENVIRONMENT, "cannot use the database at " + DatabaseUrl.redact(url) + " ("
                + e.getMessage() + "); check --database or DATABASE_URL and that PostgreSQL is up", e);
    }

    /** Now by {@code clock}, or by the database's clock when there is none (heartbeats are stamped with it). */
    static Instant now(Connection connection, Clock clock) throws SQLException {
        if (clock != null) return clock.instant();
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT now()")) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        }
    }
}
