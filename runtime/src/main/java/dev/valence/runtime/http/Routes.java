package dev.valence.runtime.http;

import dev.valence.runtime.Config;
import dev.valence.runtime.engine.JsEngine;
import dev.valence.runtime.engine.RunRecorder;
import dev.valence.runtime.engine.ValDirectory;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.health.Supervisor;
import dev.valence.runtime.ratelimit.RateLimits;
import dev.valence.foundation.audit.AuditLog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.valence.runtime.packages.PackageLocks;
import dev.valence.runtime.store.BlobStore;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.ValSearch;
import dev.valence.foundation.session.Sessions;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.triggers.Triggers;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.function.Supplier;

/**
 * Wires the HTTP handlers to the stores and the engine. What it is handed travels in four small
 * records, one per kind of collaborator, so a new one is added by name where it belongs.
 */
public final class Routes {
    private Routes() {}

    /** What every part of the server shares: the event loops, the settings, the listener, the guard, the pools. */
    public record Host(Vertx vertx, Config config, Listener listener, JsonObject info, SchemaGuard guard,
                       PrometheusMeterRegistry registry, Supervisor supervisor, WorkerExecutor jsWorkers,
                       WorkerExecutor dbWorkers) {}

    /** Where the API's answers are kept. */
    public record Stores(UserStore users, TokenStore tokens, ValStore vals, RunStore runs, EnvStore env, AuditLog audit,
                         PackageLocks packages) {}

    /** What runs vals: the engine, the directory of versions, the runner, its recorder and the triggers. */
    public record Running(JsEngine engine, ValDirectory directory, ValRunner runner, RunRecorder recorder, Triggers triggers) {}

    /** The handlers the route table calls, made here from the collaborators above. */
    record Handlers(AuthorApi api, ValRoute vals, TriggerApi triggers, LogTail logTail, Fallback fallback, RateLimits limits,
                    Authenticator auth) {}

    public static RuntimeServer server(Host host, Stores stores, Running running, Authoring authoring) {
        Config config = host.config();
        Listener listener = host.listener();
        var auth = new Authenticator(stores.tokens());
        var limits = new RateLimits(config.rateLimits(), host.registry());
        Supplier<String> publicUrl = () -> config.publicUrlFor(listener.actualPort());
        var api = new AuthorApi(auth, stores.users(), stores.tokens(), stores.vals(), stores.runs(), stores.env(), running.engine(),
                running.directory(), running.runner(), running.recorder(), publicUrl, running.triggers().minimumCronInterval(),
                new AuditApi(stores.audit()), stores.packages());
        var logTail = new LogTail(host.vertx(), config.logStreamHeartbeatMs());
        var recorder = running.recorder();
        var triggers = running.triggers();
        recorder.onWritten(logTail::publishAll);
        recorder.onWritten(triggers.runNotices()::announce);
        triggers.runNotices().listen(triggers.noticeConnector(), logTail::wanted, logTail::publish);
        var fallback = listener.fallback();
        var triggerApi = new TriggerApi(host.guard(), fallback, auth, stores.vals(), stores.runs(), recorder, triggers,
                host.jsWorkers(), config.email().maxBytes(), config.heldWorkMaxPerOwner(), config.heldWorkMaxBytesPerOwner());
        var valRoute = new ValRoute(running.directory(), running.runner(), auth, host.jsWorkers(), config.valsDomain(), fallback,
                limits, config.valPublicErrors());
        valRoute.edge(config.edge());
        var server = new RuntimeServer(host, new Handlers(api, valRoute, triggerApi, logTail, fallback, limits, auth));
        server.authoring(authoring(config, listener, auth, stores.users(), stores.vals(), host.dbWorkers(), api, new AuditApi(stores.audit()),
                authoring));
        return server;
    }

    /** The stores the blob and search API and the web editor's sign-in need. */
    public record Authoring(BlobStore blobs, ValSearch search, Sessions sessions) {}

    private static AuthoringRoutes authoring(Config config, Listener listener, Authenticator auth, UserStore users, ValStore vals,
                                             WorkerExecutor dbWorkers, AuthorApi api, AuditApi audit, Authoring stores) {
        Supplier<String> publicUrl = () -> config.publicUrlFor(listener.actualPort());
        // a val's own origin: the public address's scheme and port, the host {owner}--{val}.{VALS_DOMAIN}
        Supplier<URI> base = () -> URI.create(publicUrl.get());
        Supplier<String> valOrigin = () -> config.valsDomain().map(domain -> base.get().getScheme() + "://%s." + domain
                + (base.get().getPort() < 0 ? "" : ":" + base.get().getPort())).orElse(null);
        Supplier<String> valUrlTemplate = () -> valOrigin.get() == null ? null : valOrigin.get().formatted("{owner}--{val}") + "/";
        Supplier<String> frameSources = () -> valOrigin.get() == null ? "'none'" : valOrigin.get().formatted("*");
        var sessions = new EditorSessions(stores.sessions(), auth, users, dbWorkers, publicUrl, valUrlTemplate);
        return new AuthoringRoutes(new BlobApi(auth, stores.blobs(), audit), new SearchApi(auth, vals, stores.search(), api::valJson),
                sessions, new EditorPage(frameSources, config.valsDomain()));
    }
}
