package dev.valence.runtime.http;

import io.micrometer.core.instrument.Tag;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the HTTP metrics' label values a fixed set, whatever strangers send. Vert.x labels a request
 * with its method as sent, so each invented method would start new series (eleven per method) and
 * new entries in Micrometer's meter maps, kept for the life of the process. Here the method label
 * is Valence's own: a standard method as itself, anything else as {@code OTHER}, decided before a
 * meter is looked up. Paths never become labels: the request metrics carry the method and status
 * code only (Vert.x's path and route labels stay off).
 */
public final class MetricLabels {
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    static final String OTHER_METHOD = "OTHER";
    private static final List<Tag> OTHER = List.of(Tag.of("method", OTHER_METHOD));

    private MetricLabels() {}

    /** The options with Vert.x's own method label replaced by the bounded one. */
    public static MicrometerMetricsOptions bounded(MicrometerMetricsOptions options) {
        var labels = EnumSet.noneOf(Label.class);
        labels.addAll(options.getLabels());
        labels.remove(Label.HTTP_METHOD);
        labels.remove(Label.HTTP_PATH);
        labels.remove(Label.HTTP_ROUTE);
        return options.setLabels(labels).setServerRequestTagsProvider(request -> {
            String method = request.method().name();
            return METHODS.contains(method) ? List.of(Tag.of("method", method)) : OTHER;
        });
    }
}
