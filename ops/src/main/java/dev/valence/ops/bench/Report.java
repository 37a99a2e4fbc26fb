package dev.valence.ops.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's results: every measured series (one value per round) and every target of issue 7
 * judged against the medians. Printed as two plain-text tables and written as JSON.
 */
public final class Report {
    /** One series: what was measured on which system, one value per round. */
    public record Series(String scenario, String system, String metric, String unit, List<Double> values) {
        public Series {
            values = List.copyOf(values);
        }

        public double median() {
            return Stats.median(values);
        }

        public double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        public double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    /** One of issue 7's targets: the measured value (a ratio, a latency...), the target in words and whether it holds. */
    public record Target(String name, double measured, String unit, String target, boolean met, String detail) {}

    private final JsonObject environment;
    private final List<Series> series = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(JsonObject environment) {
        this.environment = environment.copy();
    }

    public Series add(String scenario, String system, String metric, String unit, List<Double> values) {
        var s = new Series(scenario, system, metric, unit, values);
        series.add(s);
        return s;
    }

    public void target(String name, double measured, String unit, String target, boolean met, String detail) {
        targets.add(new Target(name, measured, unit, target, met, detail));
    }

    public void note(String note) {
        notes.add(note);
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    public List<Target> targets() {
        return List.copyOf(targets);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The results as plain-text tables (Markdown pipes, so they paste into BENCHMARKS.md). */
    public String table() {
        var out = new StringBuilder();
        out.append("| scenario | system | metric | median | min–max | runs |\n|---|---|---|---|---|---|\n");
        for (Series s : series) {
            out.append("| ").append(s.scenario()).append(" | ").append(s.system()).append(" | ").append(s.metric())
                    .append(" | ").append(format(s.median(), s.unit()))
                    .append(" | ").append(number(s.min())).append("–").append(number(s.max()))
                    .append(" | ").append(String.join(" / ", s.values().stream().map(Report::number).toList()))
                    .append(" |\n");
        }
        if (!targets.isEmpty()) {
            out.append("\n| target | measured | wanted | met | how |\n|---|---|---|---|---|\n");
            for (Target t : targets) {
                out.append("| ").append(t.name()).append(" | ").append(format(t.measured(), t.unit()))
                        .append(" | ").append(t.target()).append(" | ").append(t.met() ? "met" : "NOT met")
                        .append(" | ").append(t.detail()).append(" |\n");
            }
        }
        for (String note : notes) out.append("\nnote: ").append(note);
        if (!notes.isEmpty()) out.append('\n');
        return out.toString();
    }

    /** The results as JSON: the environment, every series with its statistics, the targets, the notes. */
    public JsonObject json() {
        var seriesJson = new JsonArray();
        for (Series s : series) {
            seriesJson.add(new JsonObject().put("scenario", s.scenario()).put("system", s.system()).put("metric", s.metric())
                    .put("unit", s.unit()).put("median", finite(s.median())).put("min", finite(s.min())).put("max", finite(s.max()))
                    .put("values", new JsonArray(s.values().stream().map(Report::finite).toList())));
        }
        var targetsJson = new JsonArray();
        for (Target t : targets) {
            targetsJson.add(new JsonObject().put("name", t.name()).put("measured", finite(t.measured())).put("unit", t.unit())
                    .put("target", t.target()).put("met", t.met()).put("detail", t.detail()));
        }
        return new JsonObject().put("environment", environment.copy()).put("series", seriesJson)
                .put("targets", targetsJson).put("notes", new JsonArray(new ArrayList<>(notes)));
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static String format(double value, String unit) {
        return number(value) + (unit.isEmpty() ? "" : " " + unit);
    }

    /** Three significant digits below 100, whole numbers with thousands separators above. */
    static String number(double value) {
        if (!Double.isFinite(value)) return "–";
        double abs = Math.abs(value);
        if (abs >= 100) return String.format(Locale.ROOT, "%,.0f", value);
        if (abs >= 10) return String.format(Locale.ROOT, "%.1f", value);
        if (abs >= 1) return String.format(Locale.ROOT, "%.2f", value);
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Medians and percentiles of small samples. */
    public static final class Stats {
        private Stats() {}

        public static double median(List<Double> values) {
            return percentile(values, 50);
        }

        /** The nearest-rank percentile ({@code p} in 0..100) of the values; NaN when there are none. */
        public static double percentile(List<Double> values, double p) {
            if (values.isEmpty()) return Double.NaN;
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            if (p == 50 && sorted.length % 2 == 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
        }
    }
}
