package dev.valence.ops.bench;

import dev.valence.ops.bench.SoakLoad.Kind;
import dev.valence.ops.bench.Trend.Point;
import dev.valence.runtime.db.PostgresServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak: two runtime replicas behind nginx with the shipped warm-routing configuration, on one
 * PostgreSQL, under a steady mixed load for a long while (trivial, realistic and blob-writing HTTP
 * vals, a cron val every minute, two live log tails open). Every {@value #SAMPLE_SECONDS} s it reads
 * each replica's RSS and heap after GC and the window's latencies and errors; at the end it judges
 * memory slopes, errors, latency drift, run records and the database's growth.
 */
final class Soak {
    /** What the soak runs with. {@code databaseUrl} null: an embedded PostgreSQL of its own. */
    record Settings(Path repo, Duration duration, Duration warmup, int requestsPerSecond, List<String> jvmOptions,
                    Map<String, String> runtimeEnv, String databaseUrl) {}

    static final int SAMPLE_SECONDS = 10;
    private static final int REPLICAS = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(60);
    private static final double MIB = 1024 * 1024;
    /** What "flat" means for memory over a soak: at most this much growth a minute. */
    private static final double FLAT_MIB_PER_MINUTE = 1.0;
    /** What "stable" means for p99: the last third's median window p99 at most this times the first third's. */
    private static final double STABLE_P99_RATIO = 1.5;

    /** One sample: when, the window's latencies and errors, and each replica's memory. */
    record Sample(double minutes, int requests, double p50Ms, double p99Ms, long errors, double[] rssMib, double[] heapAfterGcMib) {}

    private final Settings settings;
    private final Report report;
    private final PrintWriter log;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Path> gcLogs = new ArrayList<>();

    Soak(Settings settings, Report report, PrintWriter log) {
        this.settings = settings;
        this.report = report;
        this.log = log;
    }

    void run() throws IOException, InterruptedException, SQLException {
        Proxy.ensureInstalled(log);
        Path scratch = Files.createTempDirectory("valence-soak");
        PostgresServer embedded = null;
        var replicas = new ArrayList<RuntimeProcess>();
        Proxy proxy = null;
        var tails = new ArrayList<LogTail>();
        try {
            String url = settings.databaseUrl();
            if (url == null) {
                say("starting the embedded PostgreSQL both replicas share...");
                embedded = PostgresServer.start(scratch.resolve("postgres"), 0);
                url = "postgres://postgres:" + URLEncoder.encode(embedded.password(), StandardCharsets.UTF_8) + "@localhost:" + embedded.port() + "/postgres";
            }
            var env = new LinkedHashMap<>(settings.runtimeEnv());
            env.put("DATABASE_URL", url);
            // one key for both, as replicas of one deployment share it: a value sealed by one opens on the other
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            env.put("VALENCE_SECRET_KEY", Base64.getEncoder().encodeToString(key));
            for (int i = 1; i <= REPLICAS; i++) {
                Path data = Files.createDirectories(scratch.resolve("replica-" + i));
                // the first replica creates the admin and writes its token; the others find the admin there already
                if (i > 1) Files.copy(replicas.getFirst().dataDir().resolve("bootstrap-token"), data.resolve("bootstrap-token"));
                var jvm = new ArrayList<>(settings.jvmOptions());
                gcLogs.add(scratch.resolve("gc-" + i + ".log"));
                jvm.add(GcLog.option(gcLogs.getLast()));
                say("starting replica " + i + "...");
                replicas.add(RuntimeProcess.start(settings.repo(), data, jvm, env, START_TIMEOUT));
            }
            proxy = Proxy.start(settings.repo(), scratch, RuntimeProcess.freePort(), replicas.stream().map(RuntimeProcess::port).toList());
            String token = replicas.getFirst().token();
            var api = new ApiClient(proxy.base(), token);
            SoakVals.save(api, api);
            Instant cronSaved = Instant.now();
            tails.add(new LogTail(proxy.base(), token, Kind.REALISTIC.val));
            tails.add(new LogTail(proxy.base(), token, SoakVals.CRON_NAME));
            var database = new SoakDatabase(url);
            var load = new SoakLoad(proxy.base());
            try {
                if (!settings.warmup().isZero()) {
                    say("warming up for " + settings.warmup().toSeconds() + " s at " + settings.requestsPerSecond() + " req/s...");
                    load.run(settings.warmup(), settings.requestsPerSecond());
                }
                var before = database.sizes();
                long sentBefore = load.sentTotal();
                long errorsBefore = load.errors();
                say("soaking for " + settings.duration().toSeconds() + " s at " + settings.requestsPerSecond() + " req/s through nginx...");
                measure(load, replicas);
                Instant loadEnded = Instant.now();
                long requests = load.sentTotal() - sentBefore;
                judgeMemory(replicas.size());
                judgeLatency(load.errors() - errorsBefore, load.problems());
                judgeRuns(database, load);
                judgeCron(database, cronSaved, loadEnded);
                judgeTails(tails);
                reportGrowth(before, database.sizes(), requests);
            } finally {
                load.close();
            }
        } finally {
            for (LogTail t : tails) t.close();
            if (proxy != null) proxy.close();
            for (RuntimeProcess r : replicas) r.stop();
            if (embedded != null) embedded.close();
            RuntimeProcess.deleteTree(scratch);
        }
    }

    /** Runs the load for the soak's duration while a second thread samples every SAMPLE_SECONDS. */
    private void measure(SoakLoad load, List<RuntimeProcess> replicas) throws InterruptedException {
        load.nextWindow(); // the warm-up's last window is not the soak's
        long start = System.nanoTime();
        var sampler = Thread.ofPlatform().name("soak-sampler").start(() -> {
            long windowStart = start;
            try {
                for (int k = 1; ; k++) {
                    long due = start + k * SAMPLE_SECONDS * 1_000_000_000L;
                    Thread.sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
                    sample(load, replicas, start, windowStart);
                    windowStart = due;
                }
            } catch (InterruptedException done) {
                // the load has ended: a last, shorter window when it holds anything worth reading
                if (System.nanoTime() - windowStart > 2_000_000_000L) sample(load, replicas, start, windowStart);
            }
        });
        try {
            load.run(settings.duration(), settings.requestsPerSecond());
        } finally {
            sampler.interrupt();
            sampler.join();
        }
    }

    private void sample(SoakLoad load, List<RuntimeProcess> replicas, long start, long windowStart) {
        long now = System.nanoTime();
        var window = load.nextWindow();
        var latencies = window.latenciesMs();
        double[] rss = new double[replicas.size()];
        double[] heap = new double[replicas.size()];
        for (int i = 0; i < replicas.size(); i++) {
            var r = replicas.get(i);
            try {
                rss[i] = r.rssKib() / 1024.0;
                var collections = GcLog.read(gcLogs.get(i));
                heap[i] = GcLog.lowestAfter(collections, (windowStart - r.launchedNanos()) / 1e9, (now - r.launchedNanos()) / 1e9);
            } catch (IOException e) {
                rss[i] = Double.NaN;
                heap[i] = Double.NaN;
            }
        }
        var s = new Sample((now - start) / 60e9, latencies.size(), Report.Stats.percentile(latencies, 50), Report.Stats.percentile(latencies, 99),
                window.errors(), rss, heap);
        synchronized (samples) {
            samples.add(s);
        }
        say(String.format(Locale.ROOT, "%5.1f min: %d requests, p50 %.1f ms, p99 %.1f ms, %d errors, RSS %s MiB, heap after GC %s MiB",
                s.minutes(), s.requests(), s.p50Ms(), s.p99Ms(), s.errors(), join(rss), join(heap)));
    }

    private static String join(double[] values) {
        var parts = new ArrayList<String>();
        for (double v : values) parts.add(Report.number(v));
        return String.join(" / ", parts);
    }

    private void judgeMemory(int replicaCount) {
        for (int i = 0; i < replicaCount; i++) {
            int r = i;
            String system = "replica " + (i + 1);
            var rss = report.add("soak", system, "RSS every " + SAMPLE_SECONDS + " s", "MiB", samples.stream().map(s -> s.rssMib()[r]).toList());
            var heap = report.add("soak", system, "heap after GC (lowest per window)", "MiB",
                    samples.stream().map(s -> s.heapAfterGcMib()[r]).toList());
            var rssPoints = samples.stream().map(s -> new Point(s.minutes(), s.rssMib()[r])).toList();
            var heapPoints = samples.stream().map(s -> new Point(s.minutes(), s.heapAfterGcMib()[r])).toList();
            double rssSlope = Trend.slopePerMinute(Trend.afterFirstThird(rssPoints));
            double heapSlope = Trend.slopePerMinute(Trend.afterFirstThird(heapPoints));
            report.target(system + ": RSS slope after the first third", rssSlope, "MiB/min", "flat (≤ " + FLAT_MIB_PER_MINUTE + " MiB/min)",
                    rssSlope <= FLAT_MIB_PER_MINUTE, "least-squares line through the last " + Trend.afterFirstThird(rssPoints).size() + " of "
                            + rss.values().size() + " samples of VmRSS (whole run: " + String.format("%.2f", Trend.slopePerMinute(rssPoints))
                            + " MiB/min, the JVM's start-up growth included)");
            report.target(system + ": heap-after-GC slope after the first third", heapSlope, "MiB/min", "flat (≤ " + FLAT_MIB_PER_MINUTE + " MiB/min)",
                    heapSlope <= FLAT_MIB_PER_MINUTE, "least-squares line through the windows with a collection among the last "
                            + Trend.afterFirstThird(heapPoints).size() + " (the JVM's GC log; whole run: "
                            + String.format("%.2f", Trend.slopePerMinute(heapPoints)) + " MiB/min)");
        }
    }

    private void judgeLatency(long errors, List<String> problems) {
        var p99 = report.add("soak", "through nginx", "p99 per " + SAMPLE_SECONDS + " s window", "ms", samples.stream().map(Sample::p99Ms).toList());
        report.add("soak", "through nginx", "p50 per " + SAMPLE_SECONDS + " s window", "ms", samples.stream().map(Sample::p50Ms).toList());
        report.add("soak", "through nginx", "requests per " + SAMPLE_SECONDS + " s window", "", samples.stream().map(s -> (double) s.requests()).toList());
        report.add("soak", "through nginx", "errors per " + SAMPLE_SECONDS + " s window", "", samples.stream().map(s -> (double) s.errors()).toList());
        report.target("soak: errors", errors, "", "0", errors == 0,
                errors == 0 ? "wrong status or body, or no answer, over the whole soak" : "kinds seen (warm-up included): " + String.join("; ", problems));
        double ratio = Trend.lastThirdOverFirst(p99.values());
        report.target("soak: p99 last third vs first third", ratio, "×", "≤ " + STABLE_P99_RATIO + "×", ratio <= STABLE_P99_RATIO,
                "median of the windows' p99 in each third; latency counted from when each request was due (open loop)");
    }

    /** Waits until every answered request has its run record (they are written in batches), up to FLUSH_TIMEOUT. */
    private void judgeRuns(SoakDatabase database, SoakLoad load) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + FLUSH_TIMEOUT.toNanos();
        long flushStart = System.nanoTime();
        Map<Kind, long[]> counts;
        while (true) {
            counts = new LinkedHashMap<>();
            boolean all = true;
            for (Kind k : Kind.values()) {
                long expected = load.answered(k) + 1; // the set-up's first call of each
                long recorded = database.runs(k.val);
                counts.put(k, new long[] {expected, recorded});
                all &= recorded >= expected;
            }
            if (all || System.nanoTime() > deadline) break;
            Thread.sleep(500);
        }
        double waited = (System.nanoTime() - flushStart) / 1e9;
        long expected = counts.values().stream().mapToLong(c -> c[0]).sum();
        long recorded = counts.values().stream().mapToLong(c -> c[1]).sum();
        var detail = new StringBuilder();
        counts.forEach((k, c) -> detail.append(k.val).append(' ').append(c[1]).append('/').append(c[0]).append("; "));
        detail.append(String.format(Locale.ROOT, "read with SQL %.1f s after the load ended (runs plus silent-run group members)", waited));
        report.target("soak: run records present", recorded * 100.0 / expected, "% of answered requests", "100%", recorded == expected, detail.toString());
    }

    private void judgeCron(SoakDatabase database, Instant saved, Instant ended) throws SQLException {
        long[] ticks = database.cronTicks(SoakVals.CRON_NAME);
        // the scheduler takes up to CRON_SYNC_MS (5 s by default) to see a new cron val; a tick due in the
        // minute after the load ended may or may not have run when the records are read
        long firstMinute = Math.floorDiv(saved.getEpochSecond() + 5, 60) + 1;
        long lastMinute = Math.floorDiv(ended.getEpochSecond(), 60);
        long expected = Math.max(0, lastMinute - firstMinute + 1);
        boolean met = ticks[0] == ticks[1] && ticks[0] >= expected && ticks[0] <= expected + 1;
        report.target("soak: cron ticks (every minute)", ticks[0], "runs", expected + " (or one more)", met,
                ticks[1] + " distinct minutes: a tick run twice would show as fewer minutes than runs");
    }

    private void judgeTails(List<LogTail> tails) {
        for (LogTail t : tails) {
            report.target("soak: log tail of " + t.val() + " held open", t.drops(), "drops", "0", t.drops() == 0,
                    t.runEvents() + " run events received" + (t.lastProblem() == null ? "" : "; last problem: " + t.lastProblem()));
        }
    }

    private void reportGrowth(Map<String, SoakDatabase.Size> before, Map<String, SoakDatabase.Size> after, long requests) {
        long tableTotal = 0;
        long indexTotal = 0;
        for (var e : after.entrySet()) {
            var was = before.getOrDefault(e.getKey(), new SoakDatabase.Size(0, 0));
            var now = e.getValue();
            long table = now.tableBytes() - was.tableBytes();
            long index = now.indexBytes() - was.indexBytes();
            tableTotal += table;
            indexTotal += index;
            if (table == 0 && index == 0) continue;
            report.add("soak", "PostgreSQL " + e.getKey(), "table growth per million requests", "MiB",
                    List.of(Trend.perMillion(was.tableBytes(), now.tableBytes(), requests) / MIB));
            report.add("soak", "PostgreSQL " + e.getKey(), "index growth per million requests", "MiB",
                    List.of(Trend.perMillion(was.indexBytes(), now.indexBytes(), requests) / MIB));
        }
        report.add("soak", "PostgreSQL, all tables", "table + index growth per million requests", "MiB",
                List.of(Trend.perMillion(0, tableTotal + indexTotal, requests) / MIB));
        report.note(String.format(Locale.ROOT, "soak: %,d requests in %d s at %d req/s (5 trivial : 3 realistic : 2 blob writes) through nginx to %d replicas;"
                        + " database growth measured from the end of the warm-up to after the last run records were written, %.1f MiB of tables and %.1f MiB of indexes in all.",
                requests, settings.duration().toSeconds(), settings.requestsPerSecond(), REPLICAS, tableTotal / MIB, indexTotal / MIB));
    }

    private void say(String line) {
        log.println(line);
        log.flush();
    }
}
