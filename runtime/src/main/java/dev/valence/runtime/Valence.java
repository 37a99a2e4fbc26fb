package dev.valence.runtime;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.valence.runtime.db.DatabaseUrl;
import dev.valence.runtime.db.Migrations;
import dev.valence.runtime.db.PostgresServer;
import dev.valence.runtime.db.PostgresSupervisor;
import dev.valence.runtime.engine.Fetcher;
import dev.valence.runtime.engine.JsEngine;
import dev.valence.runtime.engine.RunRecorder;
import dev.valence.runtime.engine.ValDirectory;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.engine.modules.ValModules;
import dev.valence.runtime.email.Outbox;
import dev.valence.runtime.email.SmtpListener;
import dev.valence.runtime.store.BlobStore;
import dev.valence.runtime.announce.StatusAnnouncer;
import dev.valence.runtime.guard.BuildInfo;
import dev.valence.runtime.guard.HeldWork;
import dev.valence.runtime.guard.Heartbeat;
import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Verdict;
import dev.valence.runtime.health.HeapHighWater;
import dev.valence.runtime.health.Supervisor;
import dev.valence.runtime.http.Routes;
import dev.valence.runtime.http.RuntimeServer;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.RunNotices;
import dev.valence.runtime.store.TriggerResultStore;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.triggers.CronVals;
import dev.valence.runtime.triggers.TriggerRunner;
import dev.valence.runtime.triggers.Triggers;
import dev.valence.status.SnapshotKeeper;
import dev.valence.status.StatusPage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Valence runtime. {@link #start} opens the HTTP port first (it answers the fallback
 * until the schema is known to be compatible) and brings the database up in the background: the
 * process never exits over the database or the schema, it serves the fallback and keeps checking.
 * {@link #close} takes everything down in reverse order.
 */
public final class Valence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Valence.class);

    /**
     * Calls of the background JIT warm-up (system property valence.jitWarmUpCalls, e.g. 15000). Off by
     * default: on the shared two-core build machine it did not raise the first minute's throughput
     * measurably and took CPU from the first requests (BENCHMARKS.md, issue 7).
     */
    static final int JIT_WARM_UP_CALLS = 0;

    private final Config config;
    private final BuildInfo build;
    /** Synchronized: the database's start adds to it while the main thread still does. */
    private final List<AutoCloseable> resources = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch broughtUp = new CountDownLatch(1);
    /**
     * Completed once the runtime listens, with what starts once the database is up as well (given
     * whether the bring-up succeeded); completed with nothing to do when the runtime closes first.
     */
    private final CompletableFuture<java.util.function.Consumer<Boolean>> listening = new CompletableFuture<>();
    private RuntimeServer server;
    private ValRunner runner;
    private SchemaGuard guard;
    private HeldWork heldWork;
    private CronVals cron;
    private SmtpListener smtp;
    private StatusPage statusPage;
    private AtomicReference<SnapshotKeeper> statusFeed;
    /** Restarts the background loops an error ended; /healthz fails while one is down. */
    private final Supervisor supervisor = new Supervisor();
    private volatile Optional<String> bootstrapToken = Optional.empty();
    private volatile boolean closed;
    /** Restarts the embedded PostgreSQL when it dies; null with DATABASE_URL. */
    private volatile PostgresSupervisor postgresSupervisor;

    private Valence(Config config, BuildInfo build) {
        this.config = config;
        this.build = build;
    }

    public static Valence start(Config config) {
        return start(config, BuildInfo.current());
    }

    /** Starts with an explicit build identity (tests use it to play older and newer builds). */
    public static Valence start(Config config, BuildInfo build) {
        var valence = new Valence(config, build);
        try {
            valence.startAll();
            return valence;
        } catch (RuntimeException e) {
            valence.close();
            throw e;
        }
    }

    private void startAll() {
        long startNs = System.nanoTime();
        // The engine's set-up and the database's start (and migrations) are independent: they run side by side.
        CompletableFuture<JsEngine> engineReady = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("valence-engine-set-up").start(() -> {
            try {
                var engine = new JsEngine();
                engine.warmUp();
                engineReady.complete(engine);
            } catch (Throwable e) {
                engineReady.completeExceptionally(e);
            }
        });

        // Where the database is: configured, or an embedded one we start on a port chosen now.
        Optional<PostgresTarget> embedded = config.databaseUrl().isPresent() ? Optional.empty()
                : Optional.of(new PostgresTarget(config.embeddedPostgresPort() > 0 ? config.embeddedPostgresPort() : freePort()));
        DatabaseUrl url = config.databaseUrl().map(DatabaseUrl::parse)
                .orElseGet(() -> new DatabaseUrl("jdbc:postgresql://localhost:" + embedded.orElseThrow().port + "/postgres", "postgres", null));
        HikariDataSource dataSource = dataSource(url);
        resources.add(dataSource);

        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        guard = new SchemaGuard(build, () -> DriverManager.getConnection(url.jdbcUrl(), credentials(url)),
                Duration.ofMillis(config.schemaPollMs()));
        guard.bindMetrics(registry);
        resources.add(guard);
        if (embedded.isEmpty()) guard.explainUnreachable(error -> Verdict.cannotReach(url.hostAndPort(), error, guard.retryMs()));

        CompletableFuture<Void> databaseReady = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("valence-database-start").start(() -> {
            try {
                startDatabase(embedded, dataSource);
            } finally {
                databaseReady.complete(null);
            }
        });

        var users = new UserStore(dataSource);
        var tokens = new TokenStore(dataSource);
        var vals = new ValStore(dataSource);
        var runs = new RunStore(dataSource);
        var env = new EnvStore(dataSource);

        // Everything that does not need the JavaScript engine is set up while its warm-up runs (the
        // slowest part of a start): Vert.x, the status page, and the database's bring-up.
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMaxWorkerExecuteTime(config.valTimeoutMs() + 30_000)
                        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        resources.add(() -> vertx.close().await());
        heldWork = new HeldWork(dataSource, guard, config.instanceId(), 5_000);
        resources.add(heldWork);
        String pageUrl = config.statusPageUrl().endsWith("/") ? config.statusPageUrl() : config.statusPageUrl() + "/";
        statusPage = new StatusPage(dataSource, () -> DriverManager.getConnection(url.jdbcUrl(), credentials(url)),
                new StatusPage.Settings(pageUrl, config.dataDir().resolve("status-snapshot.json"), 5_000, config.webhookAllowHosts()));
        resources.add(statusPage);
        statusFeed = new AtomicReference<>(statusPage.keeper());
        Thread.ofPlatform().daemon().name("valence-bring-up").start(() -> {
            try {
                boolean up = bringUp(databaseReady, dataSource, users, tokens, startNs);
                // what needs both the database and the engine (cron, background warm-ups) starts once both are there
                listening.join().accept(up);
            } catch (RuntimeException e) {
                if (!closed) log.error("Bringing up the database failed; serving the fallback", e);
            } finally {
                broughtUp.countDown();
            }
        });

        JsEngine engine;
        try {
            engine = engineReady.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
        resources.add(engine);
        log.info("JavaScript engine: {} ({}, {} ms)", engine.implementationName(),
                engine.jitEnabled() ? "Graal JIT on" : "interpreter only: start with ./valence run for the JIT",
                (System.nanoTime() - startNs) / 1_000_000);
        var recorder = new RunRecorder(runs, config.recordRuns(), guard::recheck);
        resources.add(recorder);
        var modules = new ValModules(vals, new BlobStore(dataSource), env, engine.compiler(),
                new ValModules.Limits(config.blobMaxBytes(), config.blobQuotaBytes()), 1000, new Outbox(config.email(), users));
        runner = new ValRunner(engine, recorder, new ValRunner.Settings(config.valTimeoutMs(), config.valMemoryLimitBytes(),
                config.logLimitBytes(), config.contextsPerVersion(), config.maxWarmVersions()), config.valMaxConcurrency(), modules);
        resources.add(runner);

        WorkerExecutor jsWorkers = vertx.createSharedWorkerExecutor("valence-js", config.jsWorkers(),
                config.valTimeoutMs() + 30_000, TimeUnit.MILLISECONDS);
        WorkerExecutor dbWorkers = vertx.createSharedWorkerExecutor("valence-db", config.dbPoolSize());
        var fetcher = new Fetcher(vertx, new Fetcher.Settings(config.fetchAllow(), config.fetchTimeoutMs(), config.fetchMaxResponseBytes()));
        resources.add(fetcher);
        runner.useWeb(new ValRunner.Web(fetcher, config.maxResponseBytes()));
        runner.onSchemaTrouble(guard::recheck);

        var info = new JsonObject().put("engine", engine.implementationName()).put("jit", engine.jitEnabled())
                .put("instance", config.instanceId()).put("build", build.buildId());
        var triggerResults = new TriggerResultStore(dataSource);
        var triggerRunner = new TriggerRunner(vals, tokens, runs, triggerResults, runner, valId -> cron.lastRunAt(valId),
                (valId, startedAt) -> cron.ran(valId, startedAt));
        triggerRunner.registerWith(heldWork);
        var runNotices = new RunNotices(dataSource, runs, config.instanceId());
        runNotices.subscribe(EnvStore.CHANNEL, modules.envNotices()); // env writes made on other instances
        resources.add(runNotices);
        var triggers = new Triggers(triggerRunner, heldWork, triggerResults, Duration.ofSeconds(config.cronMinIntervalSeconds()),
                runNotices, () -> DriverManager.getConnection(url.jdbcUrl(), credentials(url)));
        cron = new CronVals(dataSource, guard, heldWork, vals, new CronVals.Settings(config.cronPollMs(), config.cronSyncMs(),
                triggers.minimumCronInterval(), 4, config.instanceId()));
        resources.add(cron);

        // the heap's high-water mark evicts the largest allocators and refuses new loads while memory is short
        var heap = new HeapHighWater(config.heapHighWaterPct(), runner::evictLargestAllocators);
        resources.add(heap);
        heap.bindMetrics(registry);
        runner.gateLoads(heap);
        // the background loops: an error that ends one is not the end of it
        supervisor.watch("schema guard", guard::loopAlive, guard::restartLoop);
        supervisor.watch("held work", heldWork::loopAlive, heldWork::restartLoop);
        supervisor.watch("status snapshot", statusPage.keeper()::loopAlive, statusPage.keeper()::restartLoop);
        supervisor.watch("webhook deliverer", statusPage.webhooks()::loopAlive, statusPage.webhooks()::restartLoop);
        supervisor.watch("run notices", runNotices::loopAlive, runNotices::restartLoop);
        supervisor.watch("cron", cron::loopAlive, cron::restartLoop);

        server = Routes.server(vertx, config, info, guard, registry, statusFeed::get, jsWorkers, dbWorkers, users, tokens, vals, runs, env,
                engine, new ValDirectory(vals, 1000), runner, recorder, triggers, supervisor);
        server.listen(config.bindHost(), config.port()).await();
        resources.add(() -> server.close().await());
        server.failLivenessWhen(() -> postgresSupervisor == null ? Optional.empty() : postgresSupervisor.livenessProblem());
        log.info("Valence is listening on http://{}:{} ({} ms)", config.bindHost(), server.actualPort(),
                (System.nanoTime() - startNs) / 1_000_000);
        if (config.embedStatusPage()) statusPage.serve(vertx, config.bindHost(), config.statusPort());
        if (config.email().listenerEnabled()) {
            // it answers 451 (try later) until the schema is compatible, so it may open before the database is up
            smtp = SmtpListener.start(config.bindHost(), config.email(), guard, vals, triggerRunner);
            resources.add(smtp);
        }

        listening.complete(databaseUp -> {
            if (closed) return;
            if (databaseUp) cron.start(); // its table is in control: it exists once migrations ran
            engine.warmUpCompilerInBackground();
            // The JIT's thresholds need thousands of calls: reach them now, off the request path, rather than
            // on real traffic; after the bring-up so that it does not delay the first val served.
            int warmUpCalls = Integer.getInteger("valence.jitWarmUpCalls", JIT_WARM_UP_CALLS);
            if (warmUpCalls > 0 && engine.jitEnabled()) engine.warmUpInBackground(warmUpCalls);
        });
    }

    /** Starts the embedded database if there is one, then migrates (on its own thread, beside the engine's set-up). */
    private void startDatabase(Optional<PostgresTarget> embedded, HikariDataSource dataSource) {
        try {
            if (embedded.isPresent()) {
                while (!closed) {
                    try {
                        PostgresServer postgres = PostgresServer.start(config.dataDir(), embedded.get().port);
                        synchronized (resources) {
                            if (closed) {
                                postgres.close();
                                return;
                            }
                            resources.add(1, postgres); // closed after the pool
                            resources.add(2, postgresSupervisor = new PostgresSupervisor(postgres, guard,
                                    PostgresSupervisor.Settings.defaults(config.embeddedPostgresDownLimitMs()))); // stops watching first
                        }
                        break;
                    } catch (RuntimeException e) {
                        guard.report(Verdict.unreachable(build, e.getMessage(), Instant.now()));
                        log.error("{}", e.getMessage());
                        sleep(10_000);
                    }
                }
            }
            if (config.migrateOnStart()) migrate(dataSource);
        } catch (RuntimeException e) {
            if (!closed) log.error("Starting the database failed; serving the fallback", e);
        }
    }

    /** Waits for the database (started in {@link #startDatabase}), then hands over to the schema guard; false when that failed. */
    private boolean bringUp(CompletableFuture<Void> databaseReady, HikariDataSource dataSource, UserStore users, TokenStore tokens, long startNs) {
        try {
            databaseReady.join();
            if (closed) return false;
            try {
                statusPage.ensureTeamToken(config.dataDir());
            } catch (RuntimeException e) {
                log.warn("Could not check the status page's team tokens yet: {}", e.getMessage());
            }
            synchronized (resources) {
                if (closed) return false;
                var announcer = new StatusAnnouncer(statusPage.automatic(), guard, dataSource, config.instanceId(), 3_000);
                resources.add(announcer);
                supervisor.watch("status announcer", announcer::loopAlive, announcer::restartLoop);
            }
            guard.onTransition(t -> {
                if (t.to().compatible() && bootstrapToken.isEmpty()) bootstrap(users, tokens);
            });
            guard.start();
            guard.recheck().get(30, TimeUnit.SECONDS);
            if (guard.current().compatible()) bootstrap(users, tokens);
            synchronized (resources) {
                if (!closed) {
                    var heartbeat = new Heartbeat(config.instanceId(), dataSource, guard, config.heartbeatMs());
                    resources.add(heartbeat);
                    supervisor.watch("heartbeat", heartbeat::loopAlive, heartbeat::restartLoop);
                }
            }
            log.info("Valence is up ({} ms): {}", (System.nanoTime() - startNs) / 1_000_000, guard.current().message());
            return true;
        } catch (Exception e) {
            if (!closed) log.error("Bringing up the database failed; serving the fallback", e);
            return false;
        }
    }

    private void migrate(HikariDataSource dataSource) {
        while (!closed) {
            try {
                Migrations.migrate(dataSource);
                return;
            } catch (FlywayException e) {
                if (!isConnectionProblem(e)) {
                    // a failed or changed migration: the guard reports what it means for this build
                    log.error("Migrations could not be applied: {}", firstLine(e.getMessage()));
                    return;
                }
                guard.report(Verdict.unreachable(build, firstLine(e.getMessage()), Instant.now()));
                sleep(config.schemaPollMs());
            }
        }
    }

    private synchronized void bootstrap(UserStore users, TokenStore tokens) {
        if (bootstrapToken.isPresent()) return;
        try {
            bootstrapToken = Bootstrap.ensureAdmin(users, tokens, config.dataDir()).or(() -> Optional.of(""));
        } catch (RuntimeException e) {
            log.warn("Could not check for the admin user yet: {}", e.getMessage());
        }
    }

    private static boolean isConnectionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) return true;
        }
        return false;
    }

    private HikariDataSource dataSource(DatabaseUrl url) {
        var hikari = new HikariConfig();
        hikari.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) hikari.setUsername(url.user());
        if (url.password() != null) hikari.setPassword(url.password());
        hikari.setPoolName("valence");
        hikari.setMaximumPoolSize(config.dbPoolSize());
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(-1); // do not connect now: the database may come later
        return new HikariDataSource(hikari);
    }

    private static Properties credentials(DatabaseUrl url) {
        var properties = new Properties();
        if (url.user() != null) properties.setProperty("user", url.user());
        if (url.password() != null) properties.setProperty("password", url.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return properties;
    }

    private record PostgresTarget(int port) {}

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Could not find a free port for the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the start-up sequence has finished (the first schema check included). */
    public boolean awaitBroughtUp(Duration timeout) throws InterruptedException {
        return broughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** The val runner (tests look at its warm contexts). */
    public ValRunner runner() {
        return runner;
    }

    public SchemaGuard guard() {
        return guard;
    }

    public StatusPage statusPage() {
        return statusPage;
    }

    public HeldWork heldWork() {
        return heldWork;
    }

    public CronVals cron() {
        return cron;
    }

    /** The inbound SMTP listener's port, when SMTP_PORT turned it on. */
    public Optional<Integer> smtpPort() {
        return Optional.ofNullable(smtp).map(SmtpListener::port);
    }

    /** The admin token, when this start created the admin user. */
    public Optional<String> bootstrapToken() {
        return bootstrapToken.filter(t -> !t.isEmpty());
    }

    @Override
    public void close() {
        closed = true;
        supervisor.close(); // what stops now is not to be restarted
        listening.complete(up -> {}); // a start that failed: the bring-up thread has nothing more to start
        List<AutoCloseable> toClose;
        synchronized (resources) {
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                log.warn("Error while stopping: {}", e.toString());
            }
        }
    }
}
