package dev.valence.status;

import dev.valence.foundation.edge.HttpTimeouts;
import dev.valence.foundation.secrets.SecretHandout;
import dev.valence.foundation.audit.AuditLog;
import dev.valence.foundation.listen.ListenLoop;
import dev.valence.status.http.StatusServer;
import dev.valence.foundation.session.Sessions;
import dev.valence.status.snapshot.SnapshotKeeper;
import dev.valence.status.store.DeployState;
import dev.valence.status.store.StatusStore;
import dev.valence.status.store.TeamTokens;
import dev.valence.status.store.WebhookOutbox;
import dev.valence.foundation.outbound.AllowList;
import dev.valence.foundation.outbound.OutboundGuard;
import dev.valence.status.webhooks.WebhookDeliverer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page, assembled: data, snapshot keeper, automatic incidents and (optionally) its HTTP
 * server. The runtime embeds one; {@link Main} runs one alone. What an embedding platform uses is here
 * and in this package: {@link #automatic()} to open and resolve incidents about its own components,
 * {@link #fallbackPage()} for its 503 answer, {@link #loops()} for its supervisor.
 */
public final class StatusPage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
    public static final String TEAM_TOKEN_FILE = "status-team-token";
    /** How long a browser stays signed in to /ops: a working day, so a stolen cookie is worth little by the next. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);

    private final DataSource dataSource;
    private final StatusStore store;
    private final TeamTokens tokens;
    private final Sessions sessions;
    private final AuditLog audit;
    private final SnapshotKeeper keeper;
    private final AutomaticIncidents automatic;
    private final WebhookDeliverer webhooks;
    private final OutboundGuard outbound;
    private final FallbackPage fallbackPage;
    private StatusServer server;

    /**
     * Settings of the page itself.
     *
     * @param webhookAllowHosts what webhooks may reach although it is loopback, private or link-local (WEBHOOK_ALLOW_HOSTS)
     */
    public record Settings(String pageUrl, Path snapshotFile, long pollMs, AllowList webhookAllowHosts) {
        /** Settings with webhooks refused on every reserved address. */
        public Settings(String pageUrl, Path snapshotFile, long pollMs) {
            this(pageUrl, snapshotFile, pollMs, AllowList.NONE);
        }
    }

    /** A background loop of the page, for a supervisor: whether it still runs, and how to start it again after an error ended it. */
    public record Loop(String name, BooleanSupplier alive, Runnable restart) {}

    /** {@code listen} opens a new, unpooled connection for the snapshot's LISTEN (not through a transaction-pooling proxy). */
    public StatusPage(DataSource dataSource, ListenLoop.Connector listen, Settings settings) {
        this.dataSource = dataSource;
        this.store = new StatusStore(dataSource);
        this.tokens = new TeamTokens(dataSource);
        this.sessions = new Sessions(dataSource, SESSION_LIFETIME, StatusStore.StoreFailure::new);
        this.audit = new AuditLog(dataSource);
        this.keeper = new SnapshotKeeper(store, listen, settings.snapshotFile(), settings.pollMs());
        this.automatic = new AutomaticIncidents(store);
        this.pageUrl = settings.pageUrl();
        this.outbound = new OutboundGuard(settings.webhookAllowHosts());
        this.webhooks = new WebhookDeliverer(new WebhookOutbox(dataSource), pageUrl, outbound);
        this.fallbackPage = new FallbackPage(keeper, pageUrl);
        keeper.onChange(snapshot -> webhooks.wake());
    }

    private final String pageUrl;

    /** Serves the page on its own port with the default client timeouts; returns the port bound. */
    public int serve(Vertx vertx, String host, int port) {
        return serve(vertx, host, port, HttpTimeouts.DEFAULTS);
    }

    /** Serves the page on its own port; returns the port bound. */
    public int serve(Vertx vertx, String host, int port, HttpTimeouts timeouts) {
        server = new StatusServer(vertx, keeper, store, tokens, pageUrl).withOps(new DeployState(dataSource), sessions).withAudit(audit)
                .withWebhookGuard(outbound);
        server.listen(host, port, timeouts).await();
        log.info("Status page is serving on http://{}:{}", host, server.actualPort());
        return server.actualPort();
    }

    /** The page's background loops: the snapshot's LISTEN loop and the webhook deliverer. */
    public List<Loop> loops() {
        return List.of(new Loop("status snapshot", keeper::loopAlive, keeper::restartLoop),
                new Loop("webhook deliverer", webhooks::loopAlive, webhooks::restartLoop));
    }

    /** What the platform's 503 shows of this page: the open incident and the page in this page's look, from memory. */
    public FallbackPage fallbackPage() {
        return fallbackPage;
    }

    /** The thread that sends webhook deliveries. */
    public WebhookDeliverer webhooks() {
        return webhooks;
    }

    /** The browser session store in {@code control}, for any web surface of the process (see {@link Sessions}). */
    public Sessions sessions() {
        return sessions;
    }

    /** Who changed what, shared with the runtime's authoring API. */
    public AuditLog audit() {
        return audit;
    }

    public SnapshotKeeper keeper() {
        return keeper;
    }

    public AutomaticIncidents automatic() {
        return automatic;
    }

    public int port() {
        return server.actualPort();
    }

    /**
     * On a page without team tokens, creates one, prints it once and writes it to
     * {@code dataDir/status-team-token} readable only by its owner.
     */
    public Optional<String> ensureTeamToken(Path dataDir) {
        if (tokens.any()) return Optional.empty();
        String secret = tokens.create("bootstrap");
        SecretHandout.handOut("Created a status page team token", secret, dataDir.resolve(TEAM_TOKEN_FILE));
        return Optional.of(secret);
    }

    @Override
    public void close() {
        if (server != null) server.close().await();
        webhooks.close();
        keeper.close();
    }
}
