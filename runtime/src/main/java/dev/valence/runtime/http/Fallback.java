package dev.valence.runtime.http;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import dev.valence.status.FallbackPage;
import dev.valence.status.OpenIncident;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer while the schema and this build disagree: 503 with Retry-After and no-store and the
 * reason's code in the {@value #REASON_HEADER} header; for browsers the status page's {@link FallbackPage}
 * (a plain sentence and the open incident, in the status page's look and under its Content-Security-Policy),
 * for everyone else JSON with the reason's code and sentence, the status page address and the status
 * feed (newest first). It does no I/O: everything comes from the guard's and the status page's memory,
 * so it is served the same with the database gone. Versions, levels and reason codes are for operators:
 * they get them in the JSON answer and the header; visitors get a {@link #visitorSentence} in plain words.
 */
final class Fallback {
    static final int RETRY_AFTER_SECONDS = 5;
    /** The machine reason for operators (curl -I, proxies' logs), also on the page a browser gets. */
    static final String REASON_HEADER = "Valence-Fallback-Reason";

    private final SchemaGuard guard;
    private final String statusPageUrl;
    private final MeterRegistry registry;
    private final FallbackPage statusPage;

    Fallback(SchemaGuard guard, String statusPageUrl, MeterRegistry registry, FallbackPage statusPage) {
        this.guard = guard;
        this.statusPageUrl = statusPageUrl;
        this.registry = registry;
        this.statusPage = statusPage;
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
        if (Html.prefersHtml(ctx.request())) {
            Verdict verdict = guard.current();
            Instant since = verdict.code().equals(reasonCode) ? verdict.since() : null;
            response.putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Content-Security-Policy", FallbackPage.contentSecurityPolicy())
                    .end(statusPage.render(reasonCode, visitorSentence(reasonCode), since, automationKey(reasonCode), Instant.now()));
        } else {
            SecurityHeaders.json(response).putHeader("Content-Type", "application/json").end(json(reasonCode, sentence, feed(reasonCode)).encode());
        }
    }

    /** What a visitor is told for a reason code: what is true, and a promise to come back only where one is kept. */
    static String visitorSentence(String reasonCode) {
        return switch (reasonCode) {
            case "starting" -> "This service is starting up and will answer in a few seconds.";
            // new code waits for its migrations, which a deploy applies next
            case "schema_too_old" -> "This service is in the middle of an update and will answer again as soon as the update is finished.";
            // only a deploy of newer code ends this: nothing here comes back by waiting
            case "schema_too_new" -> "This service is unavailable until its operators finish deploying an update.";
            case "failed_migration" -> "An update to this service failed, and it is unavailable until its operators repair it.";
            case "database_unreachable" -> "This service cannot reach its database and will answer again as soon as the connection is back.";
            case "query_failed" -> "This service ran into a problem with its database and cannot answer right now.";
            default -> "This service cannot answer right now.";
        };
    }

    /** The key under which the status announcer opens the incident for a schema reason (it is preferred over other open ones). */
    private static String automationKey(String reasonCode) {
        return "schema:" + reasonCode;
    }

    /** The status feed: the open incident and its updates from the status data, else the guard's own transitions. */
    private record Feed(Optional<OpenIncident> incident, List<Entry> updates) {}

    private record Entry(String at, String status, String body) {}

    private Feed feed(String reasonCode) {
        Optional<OpenIncident> incident = statusPage.openIncident(automationKey(reasonCode));
        if (incident.isPresent()) {
            return new Feed(incident, incident.get().updates().stream()
                    .map(u -> new Entry(u.at().toString(), u.status(), u.body())).toList());
        }
        return new Feed(incident, guard.transitions().stream()
                .map(t -> new Entry(t.at().toString(), t.to().code(), t.to().message())).toList());
    }

    private JsonObject json(String reasonCode, String sentence, Feed feed) {
        var updates = new JsonArray();
        for (Entry e : feed.updates()) updates.add(new JsonObject().put("at", e.at()).put("status", e.status()).put("body", e.body()));
        var status = new JsonObject().put("since", guard.current().since().toString()).put("updates", updates);
        feed.incident().ifPresent(incident -> status.put("incident", new JsonObject().put("id", incident.id())
                .put("name", incident.name()).put("status", incident.status()).put("impact", incident.impact()).put("url", incident.url())));
        return new JsonObject()
                .put("error", new JsonObject().put("code", "unavailable").put("reason", reasonCode).put("message", sentence))
                .put("retryAfterSeconds", RETRY_AFTER_SECONDS)
                .put("statusPage", statusPageUrl)
                .put("status", status);
    }
}
