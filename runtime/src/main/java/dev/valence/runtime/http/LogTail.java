package dev.valence.runtime.http;

import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live log tail of vals over server-sent events ({@code GET /api/v1/vals/{owner}/{val}/logs/stream}).
 * Each run recorded by this runtime is sent to the val's subscribers once it is written: an
 * {@code event: run} with its summary, then one {@code event: log} per log line, both carrying the
 * run id, trigger and outcome. A comment line every heartbeat keeps proxies from closing an idle
 * stream. Runs recorded by other instances arrive through {@link dev.valence.runtime.store.RunNotices}.
 * A subscriber that reads too slowly loses lines rather than holding memory.
 */
final class LogTail {
    private final Vertx vertx;
    private final long heartbeatMs;
    private final ConcurrentHashMap<Long, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();

    private record Subscriber(HttpServerResponse response, Context context) {}

    LogTail(Vertx vertx, long heartbeatMs) {
        this.vertx = vertx;
        this.heartbeatMs = heartbeatMs;
    }

    /** Starts streaming the val's runs to this response; called on the response's event loop. */
    void subscribe(HttpServerResponse response, long valId) {
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        response.write(": tailing the runs of this val on this instance\n\n");
        var subscriber = new Subscriber(response, vertx.getOrCreateContext());
        subscribers.computeIfAbsent(valId, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
        long timer = vertx.setPeriodic(heartbeatMs, id -> {
            if (!response.ended() && !response.closed()) response.write(": heartbeat\n\n");
        });
        Runnable unsubscribe = () -> {
            vertx.cancelTimer(timer);
            subscribers.computeIfPresent(valId, (id, set) -> {
                set.remove(subscriber);
                return set.isEmpty() ? null : set;
            });
        };
        response.closeHandler(v -> unsubscribe.run());
        response.endHandler(v -> unsubscribe.run());
    }

    /** Sends written runs to their vals' subscribers (called on the recorder's thread). */
    void publishAll(RunStore.Written written) {
        if (subscribers.isEmpty()) return;
        for (Run run : written.runs()) publish(run);
    }

    /** Whether any stream on this instance tails the val. */
    boolean wanted(long valId) {
        return subscriberCount(valId) > 0;
    }

    /** Sends one run to the val's subscribers. */
    void publish(Run run) {
        Set<Subscriber> set = subscribers.get(run.valId());
        if (set == null || set.isEmpty()) return;
        String events = events(run);
        for (Subscriber subscriber : set) {
            subscriber.context().runOnContext(v -> {
                HttpServerResponse response = subscriber.response();
                if (response.ended() || response.closed() || response.writeQueueFull()) return;
                response.write(events);
            });
        }
    }

    int subscriberCount(long valId) {
        Set<Subscriber> set = subscribers.get(valId);
        return set == null ? 0 : set.size();
    }

    private static String events(Run run) {
        var out = new StringBuilder();
        JsonObject base = new JsonObject().put("runId", String.valueOf(run.id())).put("trigger", run.trigger().wire())
                .put("outcome", run.outcome().wire()).put("version", run.version()).put("startedAt", run.startedAt().toString());
        out.append("event: run\nid: ").append(run.id()).append("\ndata: ")
                .append(base.copy().put("status", run.httpStatus()).put("durationMs", Math.round(run.durationMs() * 1000) / 1000.0)
                        .put("error", run.error()).encode())
                .append("\n\n");
        if (run.logs() != null && !run.logs().isEmpty()) {
            for (String line : run.logs().split("\n", -1)) {
                out.append("event: log\nid: ").append(run.id()).append("\ndata: ").append(base.copy().put("line", line).encode()).append("\n\n");
            }
        }
        return out.toString();
    }
}
