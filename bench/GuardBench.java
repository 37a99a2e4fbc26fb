import dev.valence.runtime.Config;
import dev.valence.runtime.Valence;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The schema guard's benchmark (run through bench/guard-bench.sh):
 *  1. overhead: a trivial val through the guarded route and through an unguarded mount of the same
 *     process, alternated with wrk; medians and the ratio;
 *  2. detection latency over N flips: a contract row committed (the same trigger path as a contract
 *     migration) -> first fallback 503 seen by a client, and its removal -> first 200. The poll
 *     interval is set to 30 s, so what is measured is LISTEN/NOTIFY.
 */
public class GuardBench {
    public static void main(String[] args) throws Exception {
        int flips = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        var data = Files.createTempDirectory("valence-guard-bench");
        var env = Map.of("VALENCE_DATA_DIR", data.toString(), "PORT", "0", "SCHEMA_POLL_MS", "30000",
                "BENCH_UNGUARDED_ROUTE", "true", "STATUS_PORT", "0", "VAL_RATE_PER_MINUTE", "0", "EMBEDDED_PG_PORT", String.valueOf(freePort()));
        try (Valence valence = Valence.start(Config.fromEnv(env))) {
            valence.awaitBroughtUp(java.time.Duration.ofSeconds(120));
            String base = "http://localhost:" + valence.port();
            String token = valence.bootstrapToken().orElseThrow();
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/vals")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"trivial\",\"code\":\"export default () => new Response('hello')\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String guarded = base + "/v/admin/trivial";
            String unguarded = base + "/__unguarded/v/admin/trivial";

            System.out.println("warming up for 60 s (the Graal JIT needs it on two cores)...");
            for (int i = 0; i < 3; i++) {
                wrk(guarded, 10);
                wrk(unguarded, 10);
            }
            List<Double> on = new ArrayList<>(), off = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                on.add(wrk(guarded, seconds));
                off.add(wrk(unguarded, seconds));
            }
            double medOn = median(on), medOff = median(off);
            System.out.printf("guard overhead: guarded %.0f req/s %s, unguarded %.0f req/s %s, guarded/unguarded %.3f (%.1f%% apart)%n",
                    medOn, on, medOff, off, medOn / medOff, Math.abs(medOn - medOff) / medOff * 100);

            String jdbc = "jdbc:postgresql://localhost:" + env.get("EMBEDDED_PG_PORT") + "/postgres";
            var request = HttpRequest.newBuilder(URI.create(guarded)).build();
            double[] toFallback = new double[flips];
            double[] toRecovery = new double[flips];
            try (var db = DriverManager.getConnection(jdbc, "postgres", "")) {
                for (int i = 0; i < flips; i++) {
                    db.createStatement().execute("INSERT INTO control.schema_contract (version, kind, min_code_level, description) VALUES (9999, 'contract', 9999, 'guard bench flip')");
                    long committed = System.nanoTime();
                    toFallback[i] = waitForStatus(client, request, 503, committed);
                    db.createStatement().execute("DELETE FROM control.schema_contract WHERE version = 9999");
                    long repaired = System.nanoTime();
                    toRecovery[i] = waitForStatus(client, request, 200, repaired);
                    Thread.sleep(50);
                }
            }
            Arrays.sort(toFallback);
            Arrays.sort(toRecovery);
            System.out.printf("detection over %d flips: commit -> first 503: p50 %.1f ms, p99 %.1f ms, max %.1f ms; repair -> first 200: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    flips, pct(toFallback, 50), pct(toFallback, 99), toFallback[flips - 1], pct(toRecovery, 50), pct(toRecovery, 99), toRecovery[flips - 1]);
        }
    }

    static double waitForStatus(HttpClient client, HttpRequest request, int status, long sinceNs) throws Exception {
        while (true) {
            int got = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (got == status) return (System.nanoTime() - sinceNs) / 1e6;
            if (System.nanoTime() - sinceNs > 10_000_000_000L) throw new IllegalStateException("no " + status + " within 10 s");
        }
    }

    static double wrk(String url, int seconds) throws Exception {
        var process = new ProcessBuilder("wrk", "-t1", "-c32", "-d" + seconds + "s", url).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("Requests/sec:")) return Double.parseDouble(line.substring(13).trim());
        }
        throw new IllegalStateException("wrk printed no rate:\n" + out);
    }

    static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static int freePort() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
