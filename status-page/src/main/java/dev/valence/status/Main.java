package dev.valence.status;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.valence.foundation.edge.HttpTimeouts;
import dev.valence.foundation.outbound.AllowList;
import dev.valence.foundation.outbound.OutboundGuard;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The status page alone: {@code DATABASE_URL=postgres://... java -jar valence-status-page.jar}.
 * It applies the {@code control} migrations (expand-only, so always safe) and serves on STATUS_PORT.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        var env = System.getenv();
        String url = env.get("DATABASE_URL");
        if (url == null || url.isBlank()) {
            System.err.println("The standalone status page needs DATABASE_URL (postgres://user:pass@host:5432/db).");
            System.exit(2);
        }
        String jdbc;
        String user = null;
        String password = null;
        if (url.startsWith("jdbc:")) {
            jdbc = url;
        } else {
            URI uri = URI.create(url);
            jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : null;
            }
        }
        int port = Integer.parseInt(env.getOrDefault("STATUS_PORT", "8081"));
        String host = env.getOrDefault("BIND_HOST", "127.0.0.1");
        String pageUrl = env.getOrDefault("STATUS_PAGE_URL", "http://localhost:" + port + "/");
        Path dataDir = Path.of(env.getOrDefault("VALENCE_DATA_DIR", Path.of(env.getOrDefault("HOME", "."), ".valence").toString()));
        AllowList webhookAllowHosts;
        try {
            webhookAllowHosts = AllowList.parse(env.get(OutboundGuard.ALLOW_VARIABLE));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }

        HttpTimeouts timeouts;
        try {
            timeouts = new HttpTimeouts(positive(env, "HTTP_IDLE_TIMEOUT_SECONDS", HttpTimeouts.DEFAULTS.idleSeconds()),
                    positive(env, "HTTP_HEADER_TIMEOUT_MS", (int) HttpTimeouts.DEFAULTS.headerMs()),
                    positive(env, "HTTP_BODY_TIMEOUT_MS", (int) HttpTimeouts.DEFAULTS.bodyMs()));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }

        var hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbc);
        if (user != null) hikari.setUsername(user);
        if (password != null) hikari.setPassword(password);
        hikari.setMaximumPoolSize(4);
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionTimeout(5_000);
        var dataSource = new HikariDataSource(hikari);
        var properties = new Properties();
        if (user != null) properties.setProperty("user", user);
        if (password != null) properties.setProperty("password", password);
        // serve first (the last snapshot, if the database is away), then migrate and make a team token
        var page = new StatusPage(dataSource, () -> DriverManager.getConnection(jdbc, properties),
                new StatusPage.Settings(pageUrl.endsWith("/") ? pageUrl : pageUrl + "/", dataDir.resolve("status-snapshot.json"), 5000,
                        webhookAllowHosts));
        Vertx vertx = Vertx.vertx();
        page.serve(vertx, host, port, timeouts);
        Thread.ofPlatform().daemon().name("valence-status-bring-up").start(() -> {
            while (true) {
                try {
                    Flyway.configure().dataSource(dataSource).schemas("control").defaultSchema("control").createSchemas(true)
                            .locations("classpath:db/migration/control").load().migrate();
                    page.ensureTeamToken(dataDir);
                    return;
                } catch (RuntimeException e) {
                    System.err.println("The database is not ready (" + e.getMessage() + "); retrying in 5 s.");
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            page.close();
            vertx.close().await();
            dataSource.close();
        }, "valence-status-stop"));
    }

    private static int positive(java.util.Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) return parsed;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a whole number above 0, not \"" + value + "\".");
    }
}
