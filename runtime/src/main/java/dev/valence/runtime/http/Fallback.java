package dev.valence.runtime.http;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import dev.valence.status.SnapshotKeeper;
import dev.valence.status.http.PageLook;
import dev.valence.status.model.Incident;
import dev.valence.status.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The answer while the schema and this build disagree: 503 with Retry-After and no-store and the
 * reason's code in the {@value #REASON_HEADER} header; for browsers the {@link FallbackPage} (a plain
 * sentence and the open incident, in the status page's look and under its Content-Security-Policy),
 * for everyone else JSON with the reason's code and sentence, the status page address and the status
 * feed (newest first). It does no I/O: everything comes from the guard's and the status page's memory,
 * so it is served the same with the database gone.
 */
final class Fallback {
    static final int RETRY_AFTER_SECONDS = 5;
    /** The machine reason for operators (curl -I, proxies' logs), also on the page a browser gets. */
    static final String REASON_HEADER = "Valence-Fallback-Reason";

    private final SchemaGuard guard;
    private final String statusPageUrl;
    private final MeterRegistry registry;

    private final Supplier<SnapshotKeeper> statusFeed;

    Fallback(SchemaGuard guard, String statusPageUrl, MeterRegistry registry, Supplier<SnapshotKeeper> statusFeed) {
        this.statusFeed = statusFeed;
        this.guard = guard;
        this.statusPageUrl = statusPageUrl;
        this.registry = registry;
    }

    /** Answers the fallback when the verdict is not compatible; returns whether it did. */
    boolean answerIfIncompatible(RoutingContext ctx) {
        Verdict verdict = guard.current();
        if (verdict.compatible()) return false;
        answer(ctx, verdict.code(), verdict.message());
        return true;
    }

    void answer(RoutingContext ctx, String reasonCode, String sentence) {
        registry.counter("valence.fallback.responses", "reason", reasonCode).increment();
        var response = ctx.response().setStatusCode(503)
                .putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                .putHeader("Cache-Control", "no-store")
                .putHeader(REASON_HEADER, reasonCode);
        SecurityHeaders.nosniff(response);
        Feed feed = feed(reasonCode);
        if (Html.prefersHtml(ctx.request())) {
            Verdict verdict = guard.current();
            Instant since = verdict.code().equals(reasonCode) ? verdict.since() : null;
            response.putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Content-Security-Policy", PageLook.contentSecurityPolicy())
                    .end(FallbackPage.render(reasonCode, statusPageUrl, since, feed.incident(), feed.snapshot(), Instant.now()));
        } else {
            SecurityHeaders.json(response).putHeader("Content-Type", "application/json").end(json(reasonCode, sentence, feed).encode());
        }
    }

    /** The status feed: the open incident and its updates from the status data, else the guard's own transitions. */
    private record Feed(Incident incident, Snapshot snapshot, List<Entry> updates) {}

    private record Entry(String at, String status, String body) {}

    private Feed feed(String reasonCode) {
        SnapshotKeeper keeper = statusFeed.get();
        SnapshotKeeper.View view = keeper == null ? null : keeper.view();
        if (view != null) {
            List<Incident> open = view.snapshot().unresolvedIncidents();
            Incident incident = open.stream().filter(i -> ("schema:" + reasonCode).equals(i.automationKey())).findFirst()
                    .orElse(open.isEmpty() ? null : open.getFirst());
            if (incident != null) {
                return new Feed(incident, view.snapshot(), incident.updates().stream()
                        .map(u -> new Entry(u.displayAt().toString(), u.status().wire(), u.body())).toList());
            }
        }
        return new Feed(null, null, guard.transitions().stream()
                .map(t -> new Entry(t.at().toString(), t.to().code(), t.to().message())).toList());
    }

    private JsonObject json(String reasonCode, String sentence, Feed feed) {
        var updates = new JsonArray();
        for (Entry e : feed.updates()) updates.add(new JsonObject().put("at", e.at()).put("status", e.status()).put("body", e.body()));
        var status = new JsonObject().put("since", guard.current().since().toString()).put("updates", updates);
        if (feed.incident() != null) {
            status.put("incident", new JsonObject().put("id", feed.incident().id()).put("name", feed.incident().name())
                    .put("status", feed.incident().status().wire()).put("impact", feed.incident().impact().wire())
                    .put("url", FallbackPage.incidentUrl(statusPageUrl, feed.incident())));
        }
        return new JsonObject()
                .put("error", new JsonObject().put("code", "unavailable").put("reason", reasonCode).put("message", sentence))
                .put("retryAfterSeconds", RETRY_AFTER_SECONDS)
                .put("statusPage", statusPageUrl)
                .put("status", status);
    }
}
