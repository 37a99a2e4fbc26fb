package dev.valence.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.valence.ops.bench.SoakLoad.Kind;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SoakValsTest {
    @Test
    void onlyTheAnswerEachValGivesCountsAsRight() {
        assertNull(SoakVals.check(Kind.TRIVIAL, 200, "hello"));
        assertNull(SoakVals.check(Kind.REALISTIC, 200, "{\"ok\":true,\"id\":7,\"count\":8,\"items\":[],\"currency\":\"EUR\"}"));
        assertNull(SoakVals.check(Kind.BLOB_WRITE, 200, "stored item-7"));
        assertEquals("answered 200: hi", SoakVals.check(Kind.TRIVIAL, 200, "hi"));
        assertEquals("answered 200: {\"ok\":true,\"id\":7}", SoakVals.check(Kind.REALISTIC, 200, "{\"ok\":true,\"id\":7}"));
        assertEquals("answered 503: {\"error\":{\"code\":\"too_many_uploads\"}}",
                SoakVals.check(Kind.BLOB_WRITE, 503, "{\"error\":{\"code\":\"too_many_uploads\"}}"));
        assertEquals("answered 502: " + "x".repeat(200) + "...", SoakVals.check(Kind.TRIVIAL, 502, "x".repeat(300)));
    }

    @Test
    void everyTenRequestsAreFiveTrivialThreeRealisticAndTwoBlobWrites() {
        var kinds = LongStream.range(0, 10).mapToObj(Kind::of).toList();
        assertEquals(java.util.List.of(Kind.TRIVIAL, Kind.TRIVIAL, Kind.TRIVIAL, Kind.TRIVIAL, Kind.TRIVIAL,
                Kind.REALISTIC, Kind.REALISTIC, Kind.REALISTIC, Kind.BLOB_WRITE, Kind.BLOB_WRITE), kinds);
        assertEquals(Kind.TRIVIAL, Kind.of(1_000_000_000_010L));
    }
}
