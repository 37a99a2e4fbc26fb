package dev.valence.ops.bench;

import java.util.List;

/**
 * The soak's summary maths: a least-squares line through samples (how fast memory grows), and how
 * the last third of a series compares with the first (whether latency drifted).
 */
final class Trend {
    private Trend() {}

    /** One reading: when (minutes since the soak began) and what. */
    record Point(double minutes, double value) {}

    /**
     * The slope of the least-squares line through the points, in the value's unit per minute; NaN
     * with fewer than two points or when they all share one time.
     */
    static double slopePerMinute(List<Point> points) {
        List<Point> finite = points.stream().filter(p -> Double.isFinite(p.value())).toList();
        int n = finite.size();
        if (n < 2) return Double.NaN;
        double meanX = finite.stream().mapToDouble(Point::minutes).average().orElseThrow();
        double meanY = finite.stream().mapToDouble(Point::value).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (Point p : finite) {
            sxy += (p.minutes() - meanX) * (p.value() - meanY);
            sxx += (p.minutes() - meanX) * (p.minutes() - meanX);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /**
     * The points after the first third of them (a third is {@code size / 3}): a fresh JVM's first minutes
     * under load (JIT compilation, heap and code-cache sizing, pools filling) grow its memory once, and a
     * leak is growth that goes on after that.
     */
    static List<Point> afterFirstThird(List<Point> points) {
        return points.subList(points.size() / 3, points.size());
    }

    /**
     * The median of the last third of the values over the median of the first third (a third is
     * {@code size / 3} values, at least one); NaN with fewer than three values. Non-finite values
     * (windows without requests) are left out first.
     */
    static double lastThirdOverFirst(List<Double> values) {
        List<Double> finite = values.stream().filter(Double::isFinite).toList();
        if (finite.size() < 3) return Double.NaN;
        int third = finite.size() / 3;
        double first = Report.Stats.median(finite.subList(0, third));
        double last = Report.Stats.median(finite.subList(finite.size() - third, finite.size()));
        return last / first;
    }

    /** Growth scaled to a million requests: {@code (after - before) / requests * 1e6}; NaN without requests. */
    static double perMillion(long before, long after, long requests) {
        return requests <= 0 ? Double.NaN : (after - before) * 1e6 / requests;
    }
}
