package dev.valence.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap after each collection, read from the JVM's own GC log ({@code -Xlog:gc:file=...:uptime}).
 * The runtime's /metrics has no JVM memory gauges, and the log needs no JMX, no agent and no endpoint:
 * the runtime under test is unchanged.
 */
final class GcLog {
    /** {@code [12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 31M->9M(64M) 4.123ms} */
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[([0-9.]+)s\\].*\\bGC\\(\\d+\\) Pause .*?\\b(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** One collection: when (seconds since the JVM started) and the heap in use after it, in MiB. */
    record Collection(double uptimeSeconds, double heapAfterMib) {}

    private GcLog() {}

    /** The JVM option that writes the log this class reads. */
    static String option(Path file) {
        return "-Xlog:gc:file=" + file.toAbsolutePath() + ":uptime";
    }

    static List<Collection> read(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        return parse(Files.readAllLines(file));
    }

    static List<Collection> parse(List<String> lines) {
        var out = new ArrayList<Collection>();
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) out.add(new Collection(Double.parseDouble(m.group(1)), mib(Long.parseLong(m.group(4)), m.group(5))));
        }
        return out;
    }

    private static double mib(long amount, String unit) {
        return switch (unit) {
            case "K" -> amount / 1024.0;
            case "G" -> amount * 1024.0;
            default -> amount;
        };
    }

    /**
     * The lowest heap after a collection among those from {@code fromUptime} (inclusive) to
     * {@code toUptime} (exclusive): the closest a log gets to the live set in that window. NaN when no
     * collection ran then.
     */
    static double lowestAfter(List<Collection> collections, double fromUptime, double toUptime) {
        return collections.stream().filter(c -> c.uptimeSeconds() >= fromUptime && c.uptimeSeconds() < toUptime)
                .mapToDouble(Collection::heapAfterMib).min().orElse(Double.NaN);
    }
}
