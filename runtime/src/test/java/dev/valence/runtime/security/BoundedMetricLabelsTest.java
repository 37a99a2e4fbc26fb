package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Whatever methods and paths strangers send, the metrics keep a bounded set of series. */
class BoundedMetricLabelsTest {

    @Test
    void random_methods_and_unmatched_paths_add_one_label_value_each_not_one_per_request() throws Exception {
        try (var platform = TestPlatform.start("edge_metrics")) {
            for (int i = 0; i < 30; i++) {
                try (var http = new RawHttp(platform.valence.port())) {
                    http.head("BREW" + i, "/healthz", "Connection: close").read(3_000);
                }
                platform.get("/no-such-place-" + i);
                platform.get("/api/v1/no-such-route-" + i);
            }
            String metrics = platform.get("/metrics").body();
            Set<String> series = Arrays.stream(metrics.split("\n"))
                    .filter(line -> line.startsWith("vertx_http_server_requests_total{")).collect(Collectors.toSet());
            assertFalse(metrics.contains("BREW"), "a method name became a label value:\n" + series);
            assertFalse(metrics.contains("no-such"), "a path became a label value:\n" + series);
            assertTrue(series.stream().anyMatch(line -> line.contains("method=\"OTHER\"")), String.join("\n", series));
            Set<String> methods = labelValues(series, "method");
            assertTrue(Set.of("GET", "OTHER").containsAll(methods), methods.toString());
            Set<String> routes = labelValues(series, "route");
            assertTrue(routes.size() <= 6, "route label values: " + routes);
        }
    }

    private static Set<String> labelValues(Set<String> series, String label) {
        var pattern = java.util.regex.Pattern.compile("[{,]" + label + "=\"([^\"]*)\"");
        return series.stream().map(pattern::matcher).filter(java.util.regex.Matcher::find).map(m -> m.group(1)).collect(Collectors.toSet());
    }
}
