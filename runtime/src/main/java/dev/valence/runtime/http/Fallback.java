package dev.valence.runtime.http;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Transition;
import dev.valence.runtime.guard.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The answer while the schema and this build disagree: 503 with Retry-After and no-store, the
 * reason's code and sentence, the status page address and the status feed (newest first), as HTML
 * for browsers and JSON for everyone else. It does no I/O: everything comes from the guard's memory,
 * so it is served the same with the database gone.
 */
final class Fallback {
    static final int RETRY_AFTER_SECONDS = 5;

    private final SchemaGuard guard;
    private final String statusPageUrl;
    private final MeterRegistry registry;

    Fallback(SchemaGuard guard, String statusPageUrl, MeterRegistry registry) {
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
                .putHeader("Cache-Control", "no-store");
        List<Transition> feed = guard.transitions();
        if (Html.prefersHtml(ctx.request())) {
            response.putHeader("Content-Type", "text/html; charset=utf-8").end(html(reasonCode, sentence, feed));
        } else {
            response.putHeader("Content-Type", "application/json").end(json(reasonCode, sentence, feed).encode());
        }
    }

    private JsonObject json(String reasonCode, String sentence, List<Transition> feed) {
        var updates = new JsonArray();
        for (Transition t : feed) {
            updates.add(new JsonObject().put("at", t.at().toString()).put("status", t.to().code()).put("body", t.to().message()));
        }
        return new JsonObject()
                .put("error", new JsonObject().put("code", "unavailable").put("reason", reasonCode).put("message", sentence))
                .put("retryAfterSeconds", RETRY_AFTER_SECONDS)
                .put("statusPage", statusPageUrl)
                .put("status", new JsonObject().put("since", guard.current().since().toString()).put("updates", updates));
    }

    private String html(String reasonCode, String sentence, List<Transition> feed) {
        var items = new StringBuilder();
        for (Transition t : feed) {
            items.append("<li><time datetime=\"").append(t.at()).append("\">").append(Html.escape(t.at().toString()))
                    .append("</time> <strong>").append(Html.escape(t.to().code())).append("</strong>: ")
                    .append(Html.escape(t.to().message())).append("</li>");
        }
        return Html.page("Temporarily unavailable",
                "<h1>Temporarily unavailable</h1>"
                        + "<p>This service is being updated and will be back by itself. Please retry in a few seconds.</p>"
                        + "<p>Reason (<code>" + Html.escape(reasonCode) + "</code>): " + Html.escape(sentence) + "</p>"
                        + "<p>Follow the status at <a href=\"" + Html.escape(statusPageUrl) + "\">" + Html.escape(statusPageUrl) + "</a>.</p>"
                        + (items.isEmpty() ? "" : "<h2>Updates</h2><ol reversed>" + items + "</ol>"));
    }
}
