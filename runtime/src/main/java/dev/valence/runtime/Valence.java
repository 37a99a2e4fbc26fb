package dev.valence.runtime;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.valence.runtime.db.DatabaseUrl;
import dev.valence.runtime.db.Migrations;
import dev.valence.runtime.db.PostgresServer;
import dev.valence.runtime.engine.JsEngine;
import dev.valence.runtime.engine.RunRecorder;
import dev.valence.runtime.engine.ValDirectory;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.http.RuntimeServer;
import dev.valence.runtime.http.Routes;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.ValStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Valence runtime: database (embedded or configured), migrations, engine, HTTP server.
 * {@link #start} brings it up in order; {@link #close} takes it down in reverse.
 */
public final class Valence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Valence.class);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private RuntimeServer server;
    private Optional<String> bootstrapToken = Optional.empty();

    private Valence() {}

    public static Valence start(Config config) {
        var valence = new Valence();
        try {
            valence.startAll(config);
            return valence;
        } catch (RuntimeException e) {
            valence.close();
            throw e;
        }
    }

    private void startAll(Config config) {
        long startNs = System.nanoTime();
        // the engine warms up while the database starts
        CompletableFuture<JsEngine> engineReady = CompletableFuture.supplyAsync(() -> {
            var engine = new JsEngine();
            engine.warmUp();
            return engine;
        });
        HikariDataSource dataSource = dataSource(config);
        resources.add(dataSource);
        Migrations.migrate(dataSource);

        var users = new UserStore(dataSource);
        var tokens = new TokenStore(dataSource);
        var vals = new ValStore(dataSource);
        var runs = new RunStore(dataSource);
        var env = new EnvStore(dataSource);
        bootstrapToken = Bootstrap.ensureAdmin(users, tokens, config.dataDir());

        var engine = engineReady.join();
        resources.add(engine);
        log.info("JavaScript engine: {} ({})", engine.implementationName(),
                engine.jitEnabled() ? "Graal JIT on" : "interpreter only: start with ./valence run for the JIT");
        var recorder = new RunRecorder(runs, config.recordRuns());
        resources.add(recorder);
        var runner = new ValRunner(engine, recorder, new ValRunner.Settings(config.valTimeoutMs(),
                config.logLimitBytes(), config.contextsPerVersion(), config.maxWarmVersions()));
        resources.add(runner);

        Vertx vertx = Vertx.vertx(new VertxOptions().setMaxWorkerExecuteTime(config.valTimeoutMs() + 30_000)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS));
        resources.add(() -> vertx.close().await());
        WorkerExecutor jsWorkers = vertx.createSharedWorkerExecutor("valence-js", config.jsWorkers(),
                config.valTimeoutMs() + 30_000, TimeUnit.MILLISECONDS);
        WorkerExecutor dbWorkers = vertx.createSharedWorkerExecutor("valence-db", config.dbPoolSize());

        var health = new JsonObject().put("engine", engine.implementationName()).put("jit", engine.jitEnabled());
        server = Routes.server(vertx, config, health, jsWorkers, dbWorkers, users, tokens, vals, runs, env,
                engine, new ValDirectory(vals, 1000), runner, recorder);
        server.listen(config.bindHost(), config.port()).await();
        resources.add(() -> server.close().await());
        log.info("Valence is serving on http://{}:{} (started in {} ms)", config.bindHost(), server.actualPort(),
                (System.nanoTime() - startNs) / 1_000_000);
    }

    private HikariDataSource dataSource(Config config) {
        var hikari = new HikariConfig();
        if (config.databaseUrl().isPresent()) {
            DatabaseUrl url = DatabaseUrl.parse(config.databaseUrl().get());
            hikari.setJdbcUrl(url.jdbcUrl());
            if (url.user() != null) hikari.setUsername(url.user());
            if (url.password() != null) hikari.setPassword(url.password());
        } else {
            PostgresServer postgres = PostgresServer.start(config.dataDir(), config.embeddedPostgresPort());
            resources.add(postgres);
            hikari.setJdbcUrl(postgres.jdbcUrl());
            hikari.setUsername("postgres");
        }
        hikari.setPoolName("valence");
        hikari.setMaximumPoolSize(config.dbPoolSize());
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(30_000);
        return new HikariDataSource(hikari);
    }

    public int port() {
        return server.actualPort();
    }

    /** The admin token, when this start created the admin user. */
    public Optional<String> bootstrapToken() {
        return bootstrapToken;
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("Error while stopping: {}", e.toString());
            }
        }
        resources.clear();
    }
}
