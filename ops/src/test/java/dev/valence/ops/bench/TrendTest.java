package dev.valence.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.ops.bench.Trend.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {
    @Test
    void theSlopeIsTheLeastSquaresLineThroughTheSamples() {
        // mean minute 2, mean value 103.9: Sxy = 19, Sxx = 10
        var points = List.of(new Point(0, 100), new Point(1, 102), new Point(2, 104.5), new Point(3, 105), new Point(4, 108));
        assertEquals(1.9, Trend.slopePerMinute(points), 1e-12);
    }

    @Test
    void aFlatSeriesHasSlopeZeroAndAFallingOneANegativeSlope() {
        assertEquals(0.0, Trend.slopePerMinute(List.of(new Point(0, 50), new Point(0.5, 50), new Point(1, 50))), 0.0);
        assertEquals(-4.0, Trend.slopePerMinute(List.of(new Point(0, 10), new Point(0.5, 8), new Point(1, 6))), 1e-12);
    }

    @Test
    void samplesWithoutAValueAreLeftOutOfTheFit() {
        var points = List.of(new Point(0, 1), new Point(1, Double.NaN), new Point(2, 5));
        assertEquals(2.0, Trend.slopePerMinute(points), 1e-12);
    }

    @Test
    void fewerThanTwoSamplesOrOneInstantHaveNoSlope() {
        assertTrue(Double.isNaN(Trend.slopePerMinute(List.of(new Point(1, 5)))));
        assertTrue(Double.isNaN(Trend.slopePerMinute(List.of(new Point(1, 5), new Point(1, 7)))));
    }

    @Test
    void theLastThirdIsComparedWithTheFirstByTheirMedians() {
        // thirds of 7 values are 2 long: first {4, 6} median 5, last {7.5, 8.5} median 8
        assertEquals(1.6, Trend.lastThirdOverFirst(List.of(4.0, 6.0, 100.0, 100.0, 100.0, 7.5, 8.5)), 1e-12);
        assertEquals(0.5, Trend.lastThirdOverFirst(List.of(2.0, Double.NaN, 9.0, 1.0)), 1e-12);
        assertTrue(Double.isNaN(Trend.lastThirdOverFirst(List.of(1.0, 2.0))));
    }

    @Test
    void growthIsScaledToAMillionRequests() {
        assertEquals(40_000_000.0, Trend.perMillion(1_000_000, 9_000_000, 200_000), 0.0);
        assertTrue(Double.isNaN(Trend.perMillion(0, 10, 0)));
    }

    @Test
    void memory_is_judged_after_the_first_third_of_the_samples_where_a_fresh_jvm_grows_once() {
        var points = List.of(new Point(0, 500), new Point(1, 900), new Point(2, 1000), new Point(3, 1000),
                new Point(4, 1001), new Point(5, 1002), new Point(6, 1003));
        assertEquals(List.of(new Point(2, 1000), new Point(3, 1000), new Point(4, 1001), new Point(5, 1002), new Point(6, 1003)),
                Trend.afterFirstThird(points));
        assertEquals(0.8, Trend.slopePerMinute(Trend.afterFirstThird(points)), 1e-12);
        assertEquals(List.of(new Point(0, 1)), Trend.afterFirstThird(List.of(new Point(0, 1))));
    }
}
