package dev.valence.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic and output formats (no timing: nothing here starts a server). */
class ReportTest {
    @Test
    void mediansAndPercentilesOfSmallSamples() {
        assertEquals(2.0, Report.Stats.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Report.Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(99.0, Report.Stats.percentile(java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList(), 99));
        assertEquals(7.0, Report.Stats.percentile(List.of(7.0), 99));
        assertTrue(Double.isNaN(Report.Stats.median(List.of())));
    }

    @Test
    void tableShowsMediansSpreadsRunsAndTargets() {
        var report = new Report(new JsonObject().put("nproc", 2));
        report.add("trivial", "trivial val", "throughput", "req/s", List.of(20000.0, 18000.0, 25000.5));
        report.add("trivial", "trivial val", "p99 latency", "ms", List.of(1.5, 2.25, 3.0));
        report.target("trivial val vs plain", 0.8123, "×", "≥ 0.85×", false, "median ratio");
        report.note("node is not installed: the Node.js rows are skipped.");

        assertEquals("""
                | scenario | system | metric | median | min–max | runs |
                |---|---|---|---|---|---|
                | trivial | trivial val | throughput | 20,000 req/s | 18,000–25,001 | 20,000 / 18,000 / 25,001 |
                | trivial | trivial val | p99 latency | 2.25 ms | 1.50–3.00 | 1.50 / 2.25 / 3.00 |

                | target | measured | wanted | met | how |
                |---|---|---|---|---|
                | trivial val vs plain | 0.812 × | ≥ 0.85× | NOT met | median ratio |

                note: node is not installed: the Node.js rows are skipped.
                """, report.table());
    }

    @Test
    void jsonHoldsEnvironmentSeriesAndTargets() {
        var report = new Report(new JsonObject().put("nproc", 2));
        report.add("memory", "runtime JVM, 1 warm val(s)", "RSS after GC", "MiB", List.of(210.5));
        report.target("memory per idle warm val", 0.4, "MiB", "≤ 1 MB", true, "delta");
        JsonObject json = report.json();

        assertEquals(2, json.getJsonObject("environment").getInteger("nproc"));
        var series = json.getJsonArray("series").getJsonObject(0);
        assertEquals("memory", series.getString("scenario"));
        assertEquals(210.5, series.getDouble("median"));
        assertEquals(List.of(210.5), series.getJsonArray("values").getList());
        var target = json.getJsonArray("targets").getJsonObject(0);
        assertEquals(true, target.getBoolean("met"));
        assertEquals(0.4, target.getDouble("measured"));
        assertEquals(json, new JsonObject(json.encode()), "the JSON round-trips");
    }

    @Test
    void readsWrksReport() throws IOException {
        String out = """
                Running 8s test @ http://127.0.0.1:18480/v/admin/trivial
                  1 threads and 32 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     1.80ms    2.10ms  40.12ms   91.00%
                    Req/Sec    20.11k     1.20k   22.00k    80.00%
                  Latency Distribution
                     50%    1.21ms
                     75%    1.90ms
                     90%    3.00ms
                     99%  812.00us
                  160880 requests in 8.00s, 14.11MB read
                  Non-2xx or 3xx responses: 12
                Requests/sec:  20110.37
                Transfer/sec:      1.76MB
                """;
        var result = LoadGenerator.Wrk.parse(out);
        assertEquals(20110.37, result.requestsPerSecond());
        assertEquals(1.21, result.p50Ms());
        assertEquals(0.812, result.p99Ms(), 1e-9);
        assertEquals(160880, result.requests());
        assertEquals(12, result.errors());

        assertThrows(IOException.class, () -> LoadGenerator.Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"));
    }
}
