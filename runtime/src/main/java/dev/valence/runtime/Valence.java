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
import dev.valence.runtime.packages.PackageLocks;
import dev.valence.runtime.store.BlobStore;
import dev.valence.runtime.announce.StatusAnnouncer;
import dev.valence.runtime.guard.BuildInfo;
import dev.valence.runtime.guard.HeldWork;
import dev.valence.runtime.guard.Heartbeat;
import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Verdict;
import dev.valence.runtime.health.HeapHighWater;
import dev.valence.runtime.health.Supervisor;
import dev.valence.runtime.http.Listener;
import dev.valence.runtime.http.Routes;
import dev.valence.runtime.http.RuntimeServer;
import dev.valence.runtime.lifecycle.Service;
import dev.valence.runtime.lifecycle.Services;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.EnvSealing;
import dev.valence.runtime.secrets.EnvCipher;
import dev.valence.runtime.secrets.SecretKeys;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.RunNotices;
import dev.valence.runtime.store.TriggerResultStore;
import dev.valence.runtime.store.ValSearch;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.triggers.CronVals;
import dev.valence.runtime.triggers.TriggerRunner;
import dev.valence.runtime.triggers.Triggers;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Valence runtime, as an ordered list of services (see {@link #services}): the HTTP port
 * opens first and answers 503 {@code starting}, the engine and the database come up side by side,
 * then the routes serve, then the schema is checked. {@link #start} returns once the routes serve;
 * the database's bring-up may go on (the process never exits over the database or the schema: it
 * serves the fallback and keeps checking). {@link #close} stops the services in reverse: readiness
 * turns 503, then the port drains within SHUTDOWN_GRACE_MS, then the rest.
 */
public final class Valence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Valence.class);

    /**
     * Calls of the background JIT warm-up (system property valence.jitWarmUpCalls, e.g. 15000). Off by
     * default: on the shared two-core build machine it did not raise the first minute's throughput
     * measurably and took CPU from the first requests (BENCHMARKS.md, issue 7).
     */
    static final int JIT_WARM_UP_CALLS = 0;

    /** The service after which the routes serve ({@link #start} returns), and the one after which the first schema check is done. */
    private static final String TRAFFIC = "traffic";
    private static final String SCHEMA = "schema";

    /** Beyond the drain's grace, how long one service may take to stop before the stop goes on without it. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(15);

    private final Config config;
    private final BuildInfo build;
    private final long startNs = System.nanoTime();
    /**
     * The JavaScript engine, made and warmed up on a thread of its own from the first moment: on a
     * restart its first context (seconds on a cold JVM) was the longest step, and it waited for the
     * port to open first. The engine service takes it when it is its turn; readiness still waits for it.
     */
    private final java.util.concurrent.CompletableFuture<JsEngine> engineReady = warmEngineEarly();
    private final DatabaseUrl url;
    private final DatabaseUrl directUrl;
    /** Set when there is no DATABASE_URL: the embedded server's port, chosen now. */
    private final Optional<Integer> embeddedPort;
    private final HikariDataSource dataSource;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SchemaGuard guard;
    private final HeldWork heldWork;
    private final StatusPage statusPage;
    private final int statusPort;
    private final UserStore users;
    private final TokenStore tokens;
    private final ValStore vals;
    private final RunStore runs;
    private final EnvStore env;
    private final EnvSealing envSealing;
    private final Services services;
    /** Restarts the background loops an error ended; /healthz fails while one is down. */
    private final Supervisor supervisor = new Supervisor();
    /** What the start set up before the services, newest first: closed after the services, in that order. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private final AtomicBoolean statusPageClosed = new AtomicBoolean();
    private volatile boolean closed;
    /** Opened by {@link #close}: the start's waits between attempts end with it. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    private volatile Vertx vertx;
    private volatile Listener listener;
    private volatile JsEngine engine;
    private volatile PostgresServer postgres;
    /** Restarts the embedded PostgreSQL when it dies; null with DATABASE_URL. */
    private volatile PostgresSupervisor postgresSupervisor;
    private volatile HeapHighWater heap;
    private volatile boolean migrated;
    private volatile boolean databaseUp;
    private volatile RuntimeServer server;
    private volatile RunRecorder recorder;
    private volatile ValRunner runner;
    private volatile Fetcher fetcher;
    private volatile RunNotices runNotices;
    private volatile TriggerRunner triggerRunner;
    private volatile CronVals cron;
    private volatile SmtpListener smtp;
    private volatile StatusAnnouncer announcer;
    private volatile Heartbeat heartbeat;
    private volatile Optional<String> bootstrapToken = Optional.empty();

    private Valence(Config config, BuildInfo build) {
        this.config = config;
        this.build = build;
        // Where the database is: configured, or an embedded one we start on a port chosen now.
        embeddedPort = config.databaseUrl().isPresent() ? Optional.empty()
                : Optional.of(config.embeddedPostgresPort() > 0 ? config.embeddedPostgresPort() : freePort());
        url = config.databaseUrl().map(DatabaseUrl::parse)
                .orElseGet(() -> new DatabaseUrl("jdbc:postgresql://localhost:" + embeddedPort.orElseThrow() + "/postgres", "postgres",
                        PostgresServer.password(config.dataDir())));
        // LISTEN, session advisory locks and Flyway need the server itself, not a transaction-pooling PgBouncer
        directUrl = config.databaseDirectUrl().map(DatabaseUrl::parse).orElse(url);
        dataSource = dataSource(url);
        resources.push(dataSource);
        guard = new SchemaGuard(build, this::directConnection, Duration.ofMillis(config.schemaPollMs()));
        guard.bindMetrics(registry);
        resources.push(guard);
        if (embeddedPort.isEmpty()) guard.explainUnreachable(error -> Verdict.cannotReach(url.hostAndPort(), error, guard.retryMs()));
        heldWork = new HeldWork(dataSource, guard, config.instanceId(), 5_000);
        resources.push(heldWork);
        // the status page's address is known before anything listens, so every 503 links to the port it will bind
        statusPort = config.embedStatusPage() && config.statusPort() == 0 ? freePort() : config.statusPort();
        statusPage = new StatusPage(dataSource, this::directConnection, new StatusPage.Settings(config.statusPageUrlFor(statusPort),
                config.dataDir().resolve("status-snapshot.json"), 5_000, config.webhookAllowHosts()));
        users = new UserStore(dataSource);
        tokens = new TokenStore(dataSource);
        vals = new ValStore(dataSource);
        runs = new RunStore(dataSource);
        // env values are sealed with a key kept outside the database; plaintext an older release left is sealed once it is alone
        env = new EnvStore(dataSource, new EnvCipher(SecretKeys.from(config.secretKey(), config.secretKeyFile())));
        envSealing = new EnvSealing(env, 1_000, 10_000);
        resources.push(envSealing);
        services = new Services(services());
    }

    /**
     * The runtime's services in start order; they stop in reverse. The port opens first; the last
     * service's stop turns readiness 503, so it is the first thing a stop does.
     */
    private List<Service> services() {
        return List.of(
                Service.blocking("http", this::openPort, this::closePort),
                Service.blocking("status-page", this::serveStatusPage, this::closeStatusPage),
                Service.together("engine-and-database",
                        Service.blocking("engine", this::startEngine, () -> closeQuietly(engine)),
                        Service.blocking("database", this::startDatabase, this::stopDatabase)),
                Service.blocking("routes", this::buildRoutes, this::closeRoutes),
                Service.blocking("smtp", this::openSmtp, () -> closeQuietly(smtp)),
                Service.blocking(TRAFFIC, () -> listener.serve(server.router()),
                        () -> listener.drain(Duration.ofMillis(config.shutdownDelayMs()), Duration.ofMillis(config.shutdownGraceMs())).await()),
                Service.blocking(SCHEMA, this::bringUp, () -> {
                    closeQuietly(heartbeat);
                    closeQuietly(announcer);
                }),
                Service.blocking("background", this::startBackground, () -> closeQuietly(cron)),
                dev.valence.runtime.retention.RunRetention.service(dataSource, config.runRetentionDays()),
                Service.blocking("readiness", () -> listener.startedAll(), () -> listener.stopping()));
    }

    public static Valence start(Config config) {
        return start(config, BuildInfo.current());
    }

    /** Starts with an explicit build identity (tests use it to play older and newer builds); returns once the routes serve. */
    public static Valence start(Config config, BuildInfo build) {
        var valence = new Valence(config, build);
        if (!valence.startServices()) throw new IllegalStateException("Valence was stopped before it served");
        return valence;
    }

    /**
     * A runtime whose services have not started yet ({@link #startServices} starts them): Main hands
     * its {@link #close} to the JVM's shutdown before anything starts, so a SIGTERM during the start
     * stops whatever the start brought up, the embedded database's process included.
     */
    public static Valence prepare(Config config) {
        return new Valence(config, BuildInfo.current());
    }

    /**
     * Starts the services in order and returns true once the routes serve (the bring-up may go on),
     * or false when a stop came first (the stop waits for the service starting, then stops what
     * started); throws when one failed to start, after stopping the rest.
     */
    public boolean startServices() {
        services.start();
        try {
            services.started(TRAFFIC).join();
            log.info("Valence is serving on http://{}:{} ({} ms)", config.bindHost(), port(), elapsedMs());
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            if (closed) return false;
            close();
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw new IllegalStateException("Valence could not start: " + e.getCause(), e.getCause());
        }
    }

    /** Vert.x and the port: from here on every request gets an answer, 503 {@code starting} until the routes serve. */
    private void openPort() {
        vertx = Vertx.builder()
                .with(new VertxOptions().setMaxWorkerExecuteTime(config.valTimeoutMs() + 30_000)
                        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
                        .setMetricsOptions(dev.valence.runtime.http.MetricLabels.bounded(new MicrometerMetricsOptions().setEnabled(true)
                                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        var identity = new JsonObject().put("instance", config.instanceId()).put("build", build.buildId());
        listener = new Listener(vertx, guard, config.statusPageUrlFor(statusPort), registry, statusPage.fallbackPage(), identity);
        listener.listen(config.bindHost(), config.port(), config.edge()).await();
        log.info("Valence is listening on http://{}:{}, answering 503 starting until it serves ({} ms)", config.bindHost(),
                listener.actualPort(), elapsedMs());
    }

    /**
     * Last of a stop. When the stop came before the routes served, the traffic service never drained
     * the port: the requests in flight (answered 503 starting) finish first, as in any stop.
     */
    private void closePort() {
        if (listener != null && listener.phase() != Listener.Phase.STOPPING) {
            listener.drain(Duration.ZERO, Duration.ofMillis(config.shutdownGraceMs())).await();
        }
        if (vertx != null) vertx.close().await();
    }

    private void serveStatusPage() {
        if (config.embedStatusPage()) statusPage.serve(vertx, config.bindHost(), statusPort, config.edge().timeouts());
    }

    /** Before Vert.x closes; also after the services when its own service never started (its keeper runs from construction). */
    private void closeStatusPage() {
        if (statusPageClosed.compareAndSet(false, true)) closeQuietly(statusPage);
    }

    private static java.util.concurrent.CompletableFuture<JsEngine> warmEngineEarly() {
        var ready = new java.util.concurrent.CompletableFuture<JsEngine>();
        Thread.ofPlatform().daemon().name("valence-engine-start").start(() -> {
            try {
                var created = new JsEngine();
                try {
                    created.warmUp();
                } catch (RuntimeException e) {
                    created.close();
                    throw e;
                }
                ready.complete(created);
            } catch (RuntimeException | Error e) {
                ready.completeExceptionally(e);
            }
        });
        return ready;
    }

    private void startEngine() {
        JsEngine created;
        try {
            created = engineReady.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
        engine = created;
        log.info("JavaScript engine: {} ({}, {} ms)", created.implementationName(),
                created.jitEnabled() ? "Graal JIT on" : "interpreter only: start with ./valence run for the JIT", elapsedMs());
    }

    /** The embedded server when there is one, then the migrations if the database answers now (beside the engine's set-up). */
    private void startDatabase() {
        if (embeddedPort.isPresent()) startEmbeddedDatabase(embeddedPort.get());
        // an external database that does not answer yet is waited for after the routes serve, not here
        if (!closed && config.migrateOnStart() && embeddedPort.isPresent()) migrated = migrateOnce();
    }

    /** Starts the embedded PostgreSQL, retrying until it runs or the runtime stops; the one call a supervisor replaces. */
    private void startEmbeddedDatabase(int port) {
        while (!closed) {
            try {
                PostgresServer started = PostgresServer.start(config.dataDir(), port);
                postgres = started;
                postgresSupervisor = new PostgresSupervisor(started, guard,
                        PostgresSupervisor.Settings.defaults(config.embeddedPostgresDownLimitMs()));
                if (closed) stopDatabase();
                return;
            } catch (RuntimeException e) {
                if (closed) return; // a start the stop cut short: not a database problem
                guard.report(Verdict.unreachable(build, e.getMessage(), Instant.now()));
                log.error("{}", e.getMessage());
                pause(10_000);
            }
        }
    }

    /** The pool and the guard close after the services (they were made before them); the server goes now. */
    private void stopDatabase() {
        closeQuietly(postgresSupervisor); // it stops watching first: this stop is not a death to repair
        closeQuietly(postgres);
    }

    /** Everything that needs the engine: the runner, the triggers and the route table. */
    private void buildRoutes() {
        var currentEngine = engine;
        recorder = new RunRecorder(runs, config.recordRuns(), guard::recheck);
        var packages = PackageLocks.create(dataSource, config.npmRegistryUrl(), config.npmMetadataTtlS(), config.npmRegistryAllow());
        var modules = new ValModules(vals, new BlobStore(dataSource), env, currentEngine.compiler(),
                new ValModules.Limits(config.blobMaxBytes(), config.blobQuotaBytes()), 1000, new Outbox(config.email(), users),
                packages.store());
        runner = new ValRunner(currentEngine, recorder, new ValRunner.Settings(config.valTimeoutMs(), config.valMemoryLimitBytes(),
                config.logLimitBytes(), config.contextsPerVersion(), config.maxWarmVersions()), config.valMaxConcurrency(), modules);

        WorkerExecutor jsWorkers = vertx.createSharedWorkerExecutor("valence-js", config.jsWorkers(),
                config.valTimeoutMs() + 30_000, TimeUnit.MILLISECONDS);
        WorkerExecutor dbWorkers = vertx.createSharedWorkerExecutor("valence-db", config.dbPoolSize());
        fetcher = new Fetcher(vertx, new Fetcher.Settings(config.fetchAllow(), config.fetchTimeoutMs(), config.fetchMaxResponseBytes()));
        runner.useWeb(new ValRunner.Web(fetcher, config.maxResponseBytes()));
        runner.onSchemaTrouble(guard::recheck);

        var info = new JsonObject().put("engine", currentEngine.implementationName()).put("jit", currentEngine.jitEnabled())
                .put("instance", config.instanceId()).put("build", build.buildId());
        var triggerResults = new TriggerResultStore(dataSource);
        triggerRunner = new TriggerRunner(vals, tokens, runs, triggerResults, runner, valId -> cron.lastRunAt(valId),
                (valId, startedAt) -> cron.ran(valId, startedAt));
        triggerRunner.registerWith(heldWork);
        runNotices = new RunNotices(dataSource, runs, config.instanceId());
        runNotices.subscribe(EnvStore.CHANNEL, modules.envNotices()); // env writes made on other instances
        var triggers = new Triggers(triggerRunner, heldWork, triggerResults, Duration.ofSeconds(config.cronMinIntervalSeconds()),
                runNotices, this::directConnection);
        cron = new CronVals(dataSource, guard, heldWork, vals, new CronVals.Settings(config.cronPollMs(), config.cronSyncMs(),
                triggers.minimumCronInterval(), 4, config.instanceId()));
        // the heap's high-water mark evicts the largest allocators and refuses new loads while memory is short
        heap = new HeapHighWater(config.heapHighWaterPct(), runner::evictLargestAllocators);
        heap.bindMetrics(registry);
        runner.gateLoads(heap);
        // the background loops: an error that ends one is not the end of it
        supervisor.watch("schema guard", guard::loopAlive, guard::restartLoop);
        supervisor.watch("held work", heldWork::loopAlive, heldWork::restartLoop);
        for (var loop : statusPage.loops()) supervisor.watch(loop.name(), loop.alive(), loop.restart());
        supervisor.watch("run notices", runNotices::loopAlive, runNotices::restartLoop);
        supervisor.watch("cron", cron::loopAlive, cron::restartLoop);
        supervisor.watch("env sealing", envSealing::loopAlive, envSealing::restartLoop);
        supervisor.watch("run recorder", recorder.writer());
        supervisor.watch("limits watchdog", runner.limitsSampler());
        server = Routes.server(
                new Routes.Host(vertx, config, listener, info, guard, registry, supervisor, jsWorkers, dbWorkers),
                new Routes.Stores(users, tokens, vals, runs, env, statusPage.audit(), packages),
                new Routes.Running(currentEngine, new ValDirectory(vals, 1000), runner, recorder, triggers),
                new Routes.Authoring(new BlobStore(dataSource), new ValSearch(dataSource), statusPage.sessions()));
        server.failLivenessWhen(() -> postgresSupervisor == null ? Optional.empty() : postgresSupervisor.livenessProblem());
    }

    /** After the drain: nothing runs vals any more. */
    private void closeRoutes() {
        closeQuietly(heap);
        closeQuietly(runNotices);
        closeQuietly(fetcher);
        closeQuietly(runner);
        closeQuietly(recorder);
    }

    private void openSmtp() {
        // it answers 451 (try later) until the schema is compatible, so it may open before the database is up
        if (config.email().listenerEnabled()) {
            smtp = SmtpListener.start(config.bindHost(), config.email(), guard, vals, triggerRunner);
            supervisor.watch("SMTP listener", smtp.acceptLoop());
        }
    }

    /** What needs the database and the engine both: cron (its table exists once migrations ran) and the warm-ups off the request path. */
    private void startBackground() {
        if (databaseUp) cron.start();
        engine.warmUpCompilerInBackground();
        // The JIT's thresholds need thousands of calls: reach them now, off the request path, rather than
        // on real traffic; after the bring-up so that it does not delay the first val served.
        int warmUpCalls = Integer.getInteger("valence.jitWarmUpCalls", JIT_WARM_UP_CALLS);
        if (warmUpCalls > 0 && engine.jitEnabled()) engine.warmUpInBackground(warmUpCalls);
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNs) / 1_000_000;
    }

    private java.sql.Connection directConnection() throws SQLException {
        return DriverManager.getConnection(directUrl.jdbcUrl(), credentials(directUrl));
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) return;
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("Error while stopping: {}", e.toString());
        }
    }

    /**
     * Migrates (waiting for a database that does not answer yet), then hands over to the schema guard.
     * It never fails: a database that cannot be brought up leaves the fallback serving and the guard checking.
     */
    private void bringUp() {
        try {
            if (config.migrateOnStart() && !migrated) migrate();
            if (closed) return;
            try {
                statusPage.ensureTeamToken(config.dataDir());
            } catch (RuntimeException e) {
                log.warn("Could not check the status page's team tokens yet: {}", e.getMessage());
            }
            announcer = new StatusAnnouncer(statusPage.automatic(), guard, dataSource, config.instanceId(), 3_000);
            supervisor.watch("status announcer", announcer::loopAlive, announcer::restartLoop);
            if (closed) closeQuietly(announcer);
            guard.onTransition(t -> {
                if (t.to().compatible() && bootstrapToken.isEmpty()) bootstrap();
            });
            guard.start();
            guard.recheck().get(30, TimeUnit.SECONDS);
            if (guard.current().compatible()) bootstrap();
            heartbeat = new Heartbeat(config.instanceId(), dataSource, guard, config.heartbeatMs());
            supervisor.watch("heartbeat", heartbeat::loopAlive, heartbeat::restartLoop);
            if (closed) closeQuietly(heartbeat);
            databaseUp = true;
            log.info("Valence is up ({} ms): {}", elapsedMs(), guard.current().message());
        } catch (Exception e) {
            if (!closed) log.error("Bringing up the database failed; serving the fallback", e);
        }
    }

    /** One attempt; false when the database did not answer (the bring-up tries again). */
    private boolean migrateOnce() {
        try {
            Migrations.migrate(directUrl == url ? dataSource : directDataSource());
            return true;
        } catch (FlywayException e) {
            if (isConnectionProblem(e)) {
                guard.report(Verdict.unreachable(build, firstLine(e.getMessage()), Instant.now()));
                return false;
            }
            // a failed or changed migration: the guard reports what it means for this build
            log.error("Migrations could not be applied: {}", firstLine(e.getMessage()));
            return true;
        }
    }

    private void migrate() {
        while (!closed && !migrateOnce()) pause(config.schemaPollMs());
    }

    private synchronized void bootstrap() {
        if (bootstrapToken.isPresent()) return;
        try {
            bootstrapToken = Bootstrap.ensureAdmin(users, tokens, config.dataDir()).or(() -> Optional.of(""));
            dev.valence.runtime.http.LegacyNames.warnIfAny(users, vals);
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
        hikari.setConnectionTimeout(config.dbConnectTimeoutMs());
        hikari.setInitializationFailTimeout(-1); // do not connect now: the database may come later
        return new HikariDataSource(hikari);
    }

    /** Flyway's own connections when a pooler sits in front: its lock is a session advisory lock. */
    private javax.sql.DataSource directDataSource() {
        var direct = new org.postgresql.ds.PGSimpleDataSource();
        direct.setUrl(directUrl.jdbcUrl());
        if (directUrl.user() != null) direct.setUser(directUrl.user());
        if (directUrl.password() != null) direct.setPassword(directUrl.password());
        direct.setConnectTimeout(5);
        return direct;
    }

    private static Properties credentials(DatabaseUrl url) {
        var properties = new Properties();
        if (url.user() != null) properties.setProperty("user", url.user());
        if (url.password() != null) properties.setProperty("password", url.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return properties;
    }

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

    /** Waits {@code ms} between attempts, or less when the runtime stops meanwhile (a stop waits for the start's attempts). */
    private void pause(long ms) {
        try {
            closing.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the start-up sequence has finished (the first schema check included). */
    public boolean awaitBroughtUp(Duration timeout) throws InterruptedException {
        try {
            services.started(SCHEMA).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // closed before it finished: nothing more will come up
        }
    }

    public int port() {
        return listener.actualPort();
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

    /**
     * Stops the services in reverse: readiness 503 at once, the port drains (requests in flight finish
     * within SHUTDOWN_GRACE_MS), then the rest; what the start set up before the services closes last.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        closing.countDown();
        long stopNs = System.nanoTime();
        supervisor.close(); // what stops now is not to be restarted
        services.stop(Duration.ofMillis(config.shutdownDelayMs() + config.shutdownGraceMs()).plus(STOP_MARGIN));
        if (engine == null) engineReady.thenAccept(Valence::closeQuietly); // warmed early, never taken by the engine service
        closeStatusPage();
        while (!resources.isEmpty()) closeQuietly(resources.pop());
        log.info("Valence stopped ({} ms)", (System.nanoTime() - stopNs) / 1_000_000);
    }
}
