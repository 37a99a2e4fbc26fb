package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The heap's high-water mark in a real runtime: a val that keeps memory in module state pushes the
 * old generation over a mark set low for the test (500 MB above what this JVM holds before it
 * starts); it is evicted first as the largest allocator while a small val stays warm, and while
 * the heap stays above the mark new loads answer 503 {@code val_limit}.
 */
class HeapHighWaterTest {
    private static final long MB = 1024 * 1024;
    private static final String HOG = """
            const kept = [];
            export default () => {
              kept.push(new Uint8Array(50 * 1024 * 1024));
              return new Response(String(kept.length));
            }""";

    /** Keeps the old generation above the mark in the refusal part of the test. */
    private static byte[] ballast;

    @Test
    void a_val_keeping_memory_in_module_state_is_evicted_first_and_new_loads_answer_503_val_limit_while_the_heap_is_high() throws Exception {
        MemoryPoolMXBean old = oldGeneration();
        System.gc();
        long maxBytes = old.getUsage().getMax();
        long baseline = old.getCollectionUsage().getUsed();
        // the mark sits 500 MB above what this JVM holds, or halfway to its limit when the suite's earlier
        // classes left less room than that: the hog must cross it well before the heap is full
        long headroom = maxBytes - baseline;
        long above = Math.min(500 * MB, headroom / 2);
        assertTrue(above >= 150 * MB, "the test JVM has room for the hog: " + baseline / MB + " of " + maxBytes / MB + " MB held");
        int percent = (int) Math.ceil((baseline + above) * 100.0 / maxBytes);
        try (var platform = TestPlatform.start("heap_high_water", Map.of("HEAP_HIGH_WATER_PCT", Integer.toString(percent)))) {
            String token = platform.adminToken;
            long smallId = Long.parseLong(platform.createVal(token, "small", "export default () => new Response('small')").getString("id"));
            platform.createVal(token, "hog", HOG);
            assertEquals("small", platform.get("/v/admin/small").body());

            // the hog keeps 50 MB more on each request: at most 16 requests (800 MB, past the mark's 500 MB at most),
            // fewer when a collection on the way already found the heap above the mark and evicted it
            int kept = 0;
            TestPlatform.Reply reply = null;
            for (int i = 0; i < 16; i++) {
                reply = platform.get("/v/admin/hog");
                if (reply.status() != 200) break;
                kept = Integer.parseInt(reply.body());
            }
            assertTrue(kept >= 1, "the hog ran: " + reply.status() + " " + reply.body());
            System.gc();
            String where = "kept " + kept + " x 50 MB, last answer " + reply.status() + ", held " + baseline / MB + " MB before, mark "
                    + percent + "% of " + maxBytes / MB + " MB";
            eventually("the hog is evicted (" + where + ")", 30_000, () -> metric(platform, "valence_heap_evicted_versions_total") >= 1);
            assertTrue(platform.valence.runner().idleContexts(smallId) > 0, "the small val stays warm: the largest allocator goes first");
            assertEquals("small", platform.get("/v/admin/small").body(), "warm contexts keep serving");
            eventually("the hog loads again, with its module state gone", 30_000, () -> {
                var again = platform.get("/v/admin/hog");
                return again.status() == 200 && again.body().equals("1");
            });

            // memory the vals do not hold keeps the heap above the mark: loads are refused until it is freed
            System.gc();
            long used = old.getCollectionUsage().getUsed();
            long markBytes = maxBytes / 100 * percent;
            ballast = new byte[(int) Math.max(64 * MB, markBytes - used + 200 * MB)];
            System.gc();
            eventually("above the mark", 30_000, () -> metric(platform, "valence_heap_above_high_water") == 1);
            platform.createVal(token, "fresh", "export default () => new Response('fresh')");
            var refused = platform.get("/v/admin/fresh");
            assertEquals(503, refused.status(), refused.body());
            assertEquals("5", refused.header("retry-after"));
            assertEquals("no-store", refused.header("cache-control"));
            var error = refused.json().getJsonObject("error");
            assertEquals("val_limit", error.getString("code"));
            assertEquals("admin/fresh", error.getString("val"));
            Matcher sentence = Pattern.compile("the val could not be loaded because the runtime's memory is nearly full: the old generation holds"
                    + " (\\d+)% of (\\d+) MB after the last collection, above the high-water mark of " + percent + "% \\(HEAP_HIGH_WATER_PCT\\);"
                    + " vals are loaded again once it falls below the mark: try again in a few seconds").matcher(error.getString("message"));
            assertTrue(sentence.matches(), error.getString("message"));
            assertTrue(Integer.parseInt(sentence.group(1)) >= percent, error.getString("message"));
            assertEquals(maxBytes / MB, Long.parseLong(sentence.group(2)));
            assertTrue(metric(platform, "valence_heap_refused_loads_total") >= 1);
            assertEquals(markBytes, (long) metric(platform, "valence_heap_high_water_bytes"));

            ballast = null;
            System.gc();
            eventually("loads resume below the mark", 30_000, () -> platform.get("/v/admin/fresh").status() == 200);
            assertEquals(0, metric(platform, "valence_heap_above_high_water"));
        } finally {
            ballast = null;
        }
    }

    private static MemoryPoolMXBean oldGeneration() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported() && p.getName().matches("(?i).*(old|tenured).*"))
                .findFirst().orElseThrow();
    }

    private static double metric(TestPlatform platform, String name) {
        String text = platform.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
        if (!m.find()) throw new AssertionError(name + " is not in /metrics");
        return Double.parseDouble(m.group(1));
    }
}
