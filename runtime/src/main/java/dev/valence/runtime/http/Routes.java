package dev.valence.runtime.http;

import dev.valence.runtime.Config;
import dev.valence.runtime.engine.JsEngine;
import dev.valence.runtime.engine.RunRecorder;
import dev.valence.runtime.engine.ValDirectory;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.health.Supervisor;
import dev.valence.runtime.ratelimit.RateLimits;
import dev.valence.status.audit.AuditLog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.triggers.Triggers;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/** Wires the HTTP handlers to the stores and the engine. */
public final class Routes {
    private Routes() {}

    public static RuntimeServer server(Vertx vertx, Config config, Listener listener, JsonObject info, SchemaGuard guard,
                                       PrometheusMeterRegistry registry, WorkerExecutor jsWorkers,
                                       WorkerExecutor dbWorkers, UserStore users, TokenStore tokens, ValStore vals,
                                       RunStore runs, EnvStore env, JsEngine engine, ValDirectory directory,
                                       ValRunner runner, RunRecorder recorder, Triggers triggers, Supervisor supervisor,
                                       AuditLog audit) {
        var auth = new Authenticator(tokens);
        var limits = new RateLimits(config.rateLimits(), registry);
        Supplier<String> publicUrl = () -> config.publicUrlFor(listener.actualPort());
        var api = new AuthorApi(auth, users, tokens, vals, runs, env, engine, directory, runner, recorder, publicUrl,
                triggers.minimumCronInterval(), new AuditApi(audit));
        var logTail = new LogTail(vertx, config.logStreamHeartbeatMs());
        recorder.onWritten(logTail::publishAll);
        recorder.onWritten(triggers.runNotices()::announce);
        triggers.runNotices().listen(triggers.noticeConnector(), logTail::wanted, logTail::publish);
        var fallback = listener.fallback();
        var triggerApi = new TriggerApi(guard, fallback, auth, vals, runs, recorder, triggers, jsWorkers, config.email().maxBytes(),
                config.heldWorkMaxPerOwner(), config.heldWorkMaxBytesPerOwner());
        var valRoute = new ValRoute(directory, runner, auth, jsWorkers, config.valsDomain(), fallback, limits,
                config.valPublicErrors());
        valRoute.edge(config.edge());
        return new RuntimeServer(vertx, api, valRoute, dbWorkers, jsWorkers, config.maxBodyBytes(), info, guard, fallback, registry,
                config.benchUnguardedRoute(), triggerApi, logTail, listener, supervisor, limits, auth, config.edge());
    }
}
