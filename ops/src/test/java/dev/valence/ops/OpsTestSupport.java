package dev.valence.ops;

import dev.valence.runtime.db.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/** A real PostgreSQL (one per test run, a fresh database per use) and the CLI run in-process. */
public final class OpsTestSupport {
    /** "Now" for every command in the tests, so heartbeat ages are exact. */
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    /** The test-only contract migration (app v900, min code level 900) next to the packaged app migrations. */
    static final String WITH_CONTRACT = "--locations=app=classpath:db/migration/app,app=classpath:db/test-migrations/contract";

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger counter = new AtomicInteger();

    private OpsTestSupport() {}

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    /** An empty database; returns its URL as --database takes it. */
    public static String newDatabase(String prefix) {
        String name = prefix + "_" + counter.incrementAndGet();
        try (var c = DriverManager.getConnection(jdbc("postgres"), "postgres", ""); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return jdbc(name) + "?user=postgres";
    }

    static String jdbc(String database) {
        return "jdbc:postgresql://localhost:" + postgres().getPort() + "/" + database;
    }

    public static DataSource dataSource(String url) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(url);
        return ds;
    }

    static void migrateControl(String url) {
        Migrations.flyway(dataSource(url), Migrations.CONTROL).migrate();
    }

    /** Control and the packaged app migrations (app v1 and v2, expand). */
    public static void migratePackaged(String url) {
        Migrations.migrate(dataSource(url));
    }

    /** A heartbeat row as a runtime writes it, last seen {@code secondsAgo} before {@link #NOW}. */
    static void heartbeat(String url, String id, String host, String build, int level, long secondsAgo) {
        try (var c = dataSource(url).getConnection(); var insert = c.prepareStatement("""
                INSERT INTO control.instances (instance_id, host, build_id, code_level, code_minimum, verdict, started_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, 'compatible', ?, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, host);
            insert.setString(3, build);
            insert.setInt(4, level);
            insert.setInt(5, level);
            insert.setTimestamp(6, Timestamp.from(NOW.minusSeconds(3600)));
            insert.setTimestamp(7, Timestamp.from(NOW.minusSeconds(secondsAgo)));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One value from the database. */
    public static String query(String url, String sql) {
        try (var c = dataSource(url).getConnection(); var s = c.createStatement(); var rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One statement, as an operator's psql session would run it. */
    public static void sql(String url, String statement) {
        try (var c = dataSource(url).getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    public record Result(int exit, String out, String err) {}

    static CommandLine commandLine() {
        return Ops.commandLine(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    public static Result run(String... args) {
        return run(commandLine(), args);
    }

    static Result run(CommandLine line, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
