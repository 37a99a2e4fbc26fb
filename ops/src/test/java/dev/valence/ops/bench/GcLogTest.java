package dev.valence.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.ops.bench.GcLog.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {
    private static final List<String> LOG = List.of(
            "[0.012s][info][gc] Using G1",
            "[3.456s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 31M->9M(64M) 4.123ms",
            "[9.900s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 2048K->1536K(64M) 1.000ms",
            "[10.100s][info][gc] GC(2) Concurrent Mark Cycle",
            "[12.000s][info][gc] GC(3) Pause Full (System.gc()) 2G->1G(4G) 20.5ms",
            "[15.000s][info][gc] GC(4) Pause Remark 40M->38M(64M) 1.2ms");

    @Test
    void everyPauseGivesItsTimeAndTheHeapAfterItInMebibytes() {
        assertEquals(List.of(new Collection(3.456, 9), new Collection(9.9, 1.5), new Collection(12.0, 1024), new Collection(15.0, 38)),
                GcLog.parse(LOG));
    }

    @Test
    void aWindowGivesTheLowestHeapAfterACollectionInIt() {
        var collections = GcLog.parse(LOG);
        assertEquals(1.5, GcLog.lowestAfter(collections, 0, 10), 0.0);
        assertEquals(38, GcLog.lowestAfter(collections, 13, 20), 0.0);
        assertTrue(Double.isNaN(GcLog.lowestAfter(collections, 20, 30)));
    }

    @Test
    void theOptionWritesUptimeDecoratedLinesToTheFile() {
        assertEquals("-Xlog:gc:file=/tmp/soak/gc-1.log:uptime", GcLog.option(java.nio.file.Path.of("/tmp/soak/gc-1.log")));
    }
}
