package dev.valence.ops.bench;

import dev.valence.ops.bench.LoadGenerator.Load;
import dev.valence.ops.bench.LoadGenerator.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/** The benchmark scenarios, run against one main runtime (and, when present, one Node.js server). */
final class Bench {
    /** The settings of one run. */
    record Settings(Path repo, int rounds, int seconds, int warmupSeconds, int connections, int coldSaves,
                    List<Integer> memoryVals, List<String> jvmOptions, Map<String, String> runtimeEnv, Variant variant) {}

    /** A second runtime to compare with the main one: another build, other JVM options, other settings. */
    record Variant(Path repo, List<String> jvmOptions, Map<String, String> env, List<String> vals) {
        /** The vals the variant scenario compares on: trivial and realistic by throughput, fib by time per request. */
        static final List<String> VALS = List.of("trivial", "realistic", "fib");
    }

    /**
     * A system under test in a throughput scenario: its label, what to send it, and the runtime
     * process whose CPU time per request is read around each round (null: not read).
     */
    private record Subject(String name, Load load, RuntimeProcess process) {
        Subject(String name, Load load) {
            this(name, load, null);
        }
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Settings settings;
    private final LoadGenerator load;
    private final Report report;
    private final PrintWriter log;
    private RuntimeProcess runtime;
    private ApiClient api;
    /** Whether the realistic val with a package import was saved (its registry answered). */
    private boolean withPackage;
    private static final String WITH_PACKAGE = "realistic val with a package import (Hono)";
    private NodeServer node;
    /** CPU µs per request of each system of the last {@link #alternate} whose subject names a process, round by round. */
    private final Map<String, List<Double>> cpu = new LinkedHashMap<>();

    Bench(Settings settings, LoadGenerator load, Report report, PrintWriter log) {
        this.settings = settings;
        this.load = load;
        this.report = report;
        this.log = log;
    }

    /** Starts the main runtime and the Node server (when node is installed) and saves the vals the scenarios call. */
    void setUp(boolean wantNode) throws IOException, InterruptedException {
        say("starting the runtime (embedded PostgreSQL, scratch data folder)...");
        // the package row's save reaches the npm registry through the outbound guard: allow that one host
        var env = new LinkedHashMap<>(settings.runtimeEnv());
        if (System.getenv("NPM_REGISTRY_ALLOW") == null) env.putIfAbsent("NPM_REGISTRY_ALLOW", java.net.URI.create(
                java.util.Objects.requireNonNullElse(System.getenv("NPM_REGISTRY_URL"), "https://registry.npmjs.org")).getHost());
        runtime = RuntimeProcess.start(settings.repo(), null, settings.jvmOptions(), env, START_TIMEOUT);
        api = new ApiClient(runtime.base(), runtime.token());
        api.create("trivial", Handlers.TRIVIAL_VAL);
        api.create("realistic", Handlers.REALISTIC_VAL);
        api.create("realistic-no-url", Handlers.REALISTIC_NO_URL_VAL);
        api.create("fib", Handlers.FIB_VAL);
        api.create("cold", Handlers.coldVal(0));
        withPackage = createPackageVal();
        if (wantNode && NodeServer.available()) {
            node = NodeServer.start(Duration.ofSeconds(30));
            say("Node.js " + node.version() + " serving the same handlers at " + node.base());
        } else {
            report.note(wantNode ? "node is not installed: the Node.js rows are skipped." : "Node.js rows skipped (--no-node).");
        }
        // the first calls load each val (and, for the realistic one, the URL library): seconds on a busy machine
        for (String path : List.of("/v/admin/trivial", "/v/admin/fib", "/v/admin/cold")) {
            var r = api.get(path);
            if (r.statusCode() != 200) throw new IOException("The first call of " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        var r = api.post("/v/admin/realistic/items/7", Handlers.REALISTIC_BODY);
        if (r.statusCode() != 200 || !r.body().startsWith("{\"ok\":true,\"id\":7,")) {
            throw new IOException("The realistic val answered " + r.statusCode() + ": " + r.body());
        }
        say("the realistic val answers " + r.body().length() + " bytes of JSON");
    }

    /**
     * The realistic val routed by Hono from npm: the save resolves it against the runtime's registry
     * (NPM_REGISTRY_URL, the public one by default, allowed through the outbound guard by the runtime's
     * environment); without a registry the row is skipped with the save's own sentence.
     */
    private boolean createPackageVal() throws IOException, InterruptedException {
        try {
            api.create("realistic-hono", Handlers.REALISTIC_HONO_VAL);
        } catch (IOException refused) {
            report.note("realistic with a package import: skipped, the save of a val importing npm:hono@" + Handlers.HONO_VERSION
                    + " was refused (" + refused.getMessage() + ").");
            return false;
        }
        var r = api.post("/v/admin/realistic-hono/items/7", Handlers.REALISTIC_BODY);
        if (r.statusCode() != 200 || !r.body().startsWith("{\"ok\":true,\"id\":7,")) {
            throw new IOException("The realistic val with a package import answered " + r.statusCode() + ": " + r.body());
        }
        return true;
    }

    String nodeVersion() {
        return node == null ? null : node.version();
    }

    void tearDown() throws InterruptedException {
        if (node != null) node.close();
        if (runtime != null) runtime.close();
    }

    // --- throughput scenarios -------------------------------------------------------------------

    /** Trivial val vs the plain Vert.x route (/healthz) of the same process vs Node; p99 of the val. */
    void trivial() throws IOException, InterruptedException {
        int c = settings.connections();
        var systems = new ArrayList<>(List.of(
                new Subject("plain Vert.x route /healthz", Load.get(runtime.base() + "/healthz", c, settings.seconds())),
                new Subject("trivial val", Load.get(runtime.base() + "/v/admin/trivial", c, settings.seconds()))));
        if (node != null) systems.add(new Subject("Node.js http", Load.get(node.base() + "/trivial", c, settings.seconds())));
        var results = alternate("trivial", systems);
        var plain = series("trivial", systems.get(0).name(), results.get(systems.get(0).name()));
        var val = series("trivial", systems.get(1).name(), results.get(systems.get(1).name()));
        var p99 = report.add("trivial", "trivial val", "p99 latency", "ms", values(results.get("trivial val"), Result::p99Ms));
        double vsPlain = val.median() / plain.median();
        report.target("trivial val vs plain Vert.x route (" + c + " conn)", vsPlain, "×", "≥ 0.85×", vsPlain >= 0.85,
                "median req/s ratio, rounds alternated");
        if (node != null) {
            var n = series("trivial", "Node.js http", results.get("Node.js http"));
            double vsNode = val.median() / n.median();
            report.target("trivial val vs Node.js http", vsNode, "×", "≥ 1.5×", vsNode >= 1.5, "median req/s ratio");
        }
        report.target("p99 latency of the trivial val (" + c + " conn)", p99.median(), "ms", "≤ 2 ms", p99.median() <= 2,
                "median over rounds of each round's p99");
    }

    /** Route on path + parse a JSON body + answer ~1 KB of JSON, val vs Node. */
    void realistic() throws IOException, InterruptedException {
        if (node == null) {
            report.note("realistic: skipped without Node.js (it is a comparison with Node).");
            return;
        }
        int c = settings.connections();
        var systems = List.of(
                new Subject("realistic val", new Load(runtime.base() + "/v/admin/realistic/items/42", "POST", Handlers.REALISTIC_BODY, c, settings.seconds())),
                new Subject("Node.js http", new Load(node.base() + "/realistic/items/42", "POST", Handlers.REALISTIC_BODY, c, settings.seconds())),
                new Subject("same val, path split without new URL", new Load(runtime.base() + "/v/admin/realistic-no-url/items/42", "POST", Handlers.REALISTIC_BODY, c, settings.seconds())));
        if (withPackage) {
            systems = new ArrayList<>(systems);
            systems.add(new Subject(WITH_PACKAGE, new Load(runtime.base() + "/v/admin/realistic-hono/items/42", "POST", Handlers.REALISTIC_BODY, c, settings.seconds())));
        }
        var results = alternate("realistic", systems);
        var val = series("realistic", "realistic val", results.get("realistic val"));
        var n = series("realistic", "Node.js http", results.get("Node.js http"));
        series("realistic", "same val, path split without new URL", results.get("same val, path split without new URL"));
        if (withPackage) {
            var hono = series("realistic", WITH_PACKAGE, results.get(WITH_PACKAGE));
            report.add("realistic", WITH_PACKAGE, "p99 latency", "ms", values(results.get(WITH_PACKAGE), Result::p99Ms));
            double cost = val.median() / hono.median();
            report.target("realistic val routed by Hono vs by hand", cost, "× the cost", "≤ 1.3×", cost <= 1.3,
                    "median req/s of the hand-routed val over the Hono one (the package's request cost)");
        }
        report.add("realistic", "realistic val", "p99 latency", "ms", values(results.get("realistic val"), Result::p99Ms));
        double ratio = val.median() / n.median();
        report.target("realistic val vs Node.js http", ratio, "×", "≥ 1.5×", ratio >= 1.5, "median req/s ratio");
    }

    /** fib(27) per request, one connection: time per request, val vs Node. */
    void fib() throws IOException, InterruptedException {
        if (node == null) {
            report.note("fib: skipped without Node.js (it is a comparison with Node).");
            return;
        }
        var systems = List.of(
                new Subject("fib(27) val", Load.get(runtime.base() + "/v/admin/fib", 1, settings.seconds())),
                new Subject("Node.js http", Load.get(node.base() + "/fib", 1, settings.seconds())));
        var results = alternate("fib", systems);
        // p50 rather than 1/throughput: on a shared machine the mean is mostly other processes' stalls
        var val = report.add("fib", "fib(27) val", "p50 time per request (1 conn)", "ms", values(results.get("fib(27) val"), Result::p50Ms));
        var n = report.add("fib", "Node.js http", "p50 time per request (1 conn)", "ms", values(results.get("Node.js http"), Result::p50Ms));
        report.add("fib", "fib(27) val", "mean time per request (1 conn)", "ms", values(results.get("fib(27) val"), r -> 1000 / r.requestsPerSecond()));
        report.add("fib", "Node.js http", "mean time per request (1 conn)", "ms", values(results.get("Node.js http"), r -> 1000 / r.requestsPerSecond()));
        double ratio = val.median() / n.median();
        report.target("fib(27) val time vs Node.js", ratio, "× Node's time", "≤ 1.2×", ratio <= 1.2, "median of p50 per request, HTTP (~0.2 ms) included on both sides");
    }

    /** The schema guard's request-path cost: the guarded route vs the unguarded benchmark mount of the same val. */
    void guard() throws IOException, InterruptedException {
        int c = settings.connections();
        var systems = List.of(
                new Subject("guarded /v/admin/trivial", Load.get(runtime.base() + "/v/admin/trivial", c, settings.seconds())),
                new Subject("unguarded mount", Load.get(runtime.base() + "/__unguarded/v/admin/trivial", c, settings.seconds())));
        var results = alternate("guard", systems);
        var on = series("guard", systems.get(0).name(), results.get(systems.get(0).name()));
        var off = series("guard", systems.get(1).name(), results.get(systems.get(1).name()));
        double apart = Math.abs(on.median() - off.median()) / off.median() * 100;
        report.target("schema guard overhead (guarded vs unguarded)", apart, "% apart", "noise-level (one volatile read)",
                apart <= 5, "detection latency: bench/guard-bench.sh (NOTIFY round trip), see BENCHMARKS.md");
    }

    /** Run recording on (the main runtime) vs off (a second runtime with RECORD_RUNS=false), alternated. */
    void recording() throws IOException, InterruptedException {
        // Two fresh runtimes that differ only in RECORD_RUNS, so both have the same history (the main
        // runtime has run every other scenario's vals by now).
        var onEnv = new LinkedHashMap<>(settings.runtimeEnv());
        onEnv.put("RECORD_RUNS", "true");
        var offEnv = new LinkedHashMap<>(settings.runtimeEnv());
        offEnv.put("RECORD_RUNS", "false");
        say("starting two fresh runtimes, RECORD_RUNS=true and RECORD_RUNS=false...");
        try (var on = RuntimeProcess.start(settings.repo(), null, settings.jvmOptions(), onEnv, START_TIMEOUT);
             var off = RuntimeProcess.start(settings.repo(), null, settings.jvmOptions(), offEnv, START_TIMEOUT)) {
            new ApiClient(on.base(), on.token()).create("trivial", Handlers.TRIVIAL_VAL);
            new ApiClient(off.base(), off.token()).create("trivial", Handlers.TRIVIAL_VAL);
            int c = settings.connections();
            var systems = List.of(
                    new Subject("trivial val, RECORD_RUNS=true", Load.get(on.base() + "/v/admin/trivial", c, settings.seconds())),
                    new Subject("trivial val, RECORD_RUNS=false", Load.get(off.base() + "/v/admin/trivial", c, settings.seconds())));
            var results = alternate("recording", systems);
            var onSeries = series("recording", systems.get(0).name(), results.get(systems.get(0).name()));
            var offSeries = series("recording", systems.get(1).name(), results.get(systems.get(1).name()));
            double apart = (offSeries.median() - onSeries.median()) / offSeries.median() * 100;
            report.target("run recording on vs off", apart, "% slower with recording", "≤ 5% apart", Math.abs(apart) <= 5,
                    "two fresh runtimes (each with its own embedded PostgreSQL), rounds alternated");
        }
    }

    /**
     * A fresh runtime of the main build vs a variant (another checkout's build, other JVM options or settings) on the
     * trivial and the realistic val, alternated: how tuning experiments are judged.
     */
    void variant() throws IOException, InterruptedException {
        var v = settings.variant();
        var jvm = new ArrayList<>(settings.jvmOptions());
        jvm.addAll(v.jvmOptions());
        var env = new LinkedHashMap<>(settings.runtimeEnv());
        env.putAll(v.env());
        // Two fresh runtimes with the same vals and the same history: against the runtime the other
        // scenarios had used, a variant of the very same build measured 8 % faster on fib (a control run).
        say("starting a fresh main runtime and the variant runtime (" + v.repo() + ", JVM " + jvm + ", env " + env + ")...");
        try (var base = RuntimeProcess.start(settings.repo(), null, settings.jvmOptions(), settings.runtimeEnv(), START_TIMEOUT);
             var other = RuntimeProcess.start(v.repo(), null, jvm, env, START_TIMEOUT)) {
            for (var process : List.of(base, other)) {
                var client = new ApiClient(process.base(), process.token());
                client.create("trivial", Handlers.TRIVIAL_VAL);
                client.create("realistic", Handlers.REALISTIC_VAL);
                client.create("fib", Handlers.FIB_VAL);
                client.get("/v/admin/trivial");
                client.get("/v/admin/fib");
                client.post("/v/admin/realistic/items/7", Handlers.REALISTIC_BODY);
            }
            String label = v.repo() + (v.jvmOptions().isEmpty() ? "" : " JVM " + v.jvmOptions()) + (v.env().isEmpty() ? "" : " env " + v.env());
            for (String val : v.vals()) {
                boolean fib = val.equals("fib");
                int c = fib ? 1 : settings.connections(); // fib: time per request on one connection, as the fib scenario
                String rest = val.equals("realistic") ? "/items/42" : "";
                String body = val.equals("realistic") ? Handlers.REALISTIC_BODY : null;
                String method = body == null ? "GET" : "POST";
                var systems = List.of(
                        new Subject(val + " val, main", new Load(base.base() + "/v/admin/" + val + rest, method, body, c, settings.seconds()), base),
                        new Subject(val + " val, variant", new Load(other.base() + "/v/admin/" + val + rest, method, body, c, settings.seconds()), other));
                var results = alternate("variant " + val, systems);
                String mainName = systems.get(0).name(), variantName = systems.get(1).name();
                var main = series("variant", mainName, results.get(mainName));
                var variant = series("variant", variantName, results.get(variantName));
                var mainP50 = report.add("variant", mainName, "p50 latency", "ms", values(results.get(mainName), Result::p50Ms));
                var variantP50 = report.add("variant", variantName, "p50 latency", "ms", values(results.get(variantName), Result::p50Ms));
                report.add("variant", mainName, "p99 latency", "ms", values(results.get(mainName), Result::p99Ms));
                report.add("variant", variantName, "p99 latency", "ms", values(results.get(variantName), Result::p99Ms));
                var mainCpu = report.add("variant", mainName, "runtime CPU per request", "µs", cpu.get(mainName));
                var variantCpu = report.add("variant", variantName, "runtime CPU per request", "µs", cpu.get(variantName));
                if (fib) {
                    double ratio = variantP50.median() / mainP50.median();
                    report.target(val + " val: variant vs main", ratio, "× main's time", "(experiment)", ratio <= 1,
                            "median of p50 per request, one connection; variant: " + label);
                } else {
                    double ratio = variant.median() / main.median();
                    report.target(val + " val: variant vs main", ratio, "×", "(experiment)", ratio >= 1, "median req/s ratio; variant: " + label);
                }
                double cpuRatio = variantCpu.median() / mainCpu.median();
                report.target(val + " val: variant's CPU per request vs main's", cpuRatio, "×", "(experiment)", cpuRatio <= 1,
                        "runtime JVM's CPU time (/proc/PID/stat utime + stime) over a round / requests answered");
            }
        }
    }

    // --- latency, memory, start-up ----------------------------------------------------------------

    /** Cold start: save a new version, then time the first request that answers with it. */
    void coldStart() throws IOException, InterruptedException {
        try (var timed = new TimedGet(runtime.base())) {
            for (int i = 1; i <= 5; i++) timeFirstResponse(timed, -i); // the save path and the compiler warm up too
            var times = new ArrayList<Double>();
            for (int i = 1; i <= settings.coldSaves(); i++) times.add(timeFirstResponse(timed, i));
            var warm = new ArrayList<Double>();
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                timed.get("/v/admin/cold");
                warm.add((System.nanoTime() - t0) / 1e6);
            }
            reportColdStart(times, warm);
        }
    }

    private void reportColdStart(List<Double> times, List<Double> warm) throws IOException, InterruptedException {
        // where the time goes: each version's first run record holds the runner's own time (new context,
        // prelude, module load, the call); the rest is the directory lookup and HTTP
        var runs = api.getAuthorized("/api/v1/vals/admin/cold/runs?limit=1000");
        var firstRunMs = new LinkedHashMap<Integer, Double>();
        if (runs.statusCode() == 200) {
            for (Object o : new io.vertx.core.json.JsonObject(runs.body()).getJsonArray("data")) {
                var run = (io.vertx.core.json.JsonObject) o;
                Integer version = run.getInteger("version");
                Double ms = run.getDouble("durationMs");
                if (version != null && ms != null) firstRunMs.merge(version, ms, Math::max); // the first (slowest) run of the version
            }
        }
        if (!firstRunMs.isEmpty()) {
            report.add("cold start", "its run record (runner: context + prelude + module + call)", "duration p50", "ms",
                    List.of(Report.Stats.percentile(new ArrayList<>(firstRunMs.values()), 50)));
        }
        double p50 = Report.Stats.percentile(times, 50), p99 = Report.Stats.percentile(times, 99);
        report.add("cold start", "first response of a new version", "latency p50", "ms", List.of(p50));
        report.add("cold start", "first response of a new version", "latency p99", "ms", List.of(p99));
        report.add("cold start", "same val, warm (sequential)", "latency p50", "ms", List.of(Report.Stats.percentile(warm, 50)));
        report.target("cold start p50 (" + times.size() + " saves)", p50, "ms", "≤ 5 ms", p50 <= 5,
                "save via the API, then time the first GET (one keep-alive connection)");
        report.target("cold start p99 (" + times.size() + " saves)", p99, "ms", "≤ 20 ms", p99 <= 20, "same saves");
    }

    private double timeFirstResponse(TimedGet timed, int n) throws IOException, InterruptedException {
        api.update("cold", Handlers.coldVal(n));
        long t0 = System.nanoTime();
        while (true) {
            var response = timed.get("/v/admin/cold");
            if (response.status() == 200 && response.body().equals("version " + n)) break;
            if ((System.nanoTime() - t0) > 30_000_000_000L) {
                throw new IOException("The new version " + n + " was not served within 30 s: " + response.status() + " " + response.body());
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** RSS of a fresh runtime with 1, 100, 1000... distinct vals, each called once (warm). */
    void memory() throws IOException, InterruptedException {
        say("starting a fresh runtime for the memory scenario...");
        try (var fresh = RuntimeProcess.start(settings.repo(), null, settings.jvmOptions(), settings.runtimeEnv(), START_TIMEOUT)) {
            var client = new ApiClient(fresh.base(), fresh.token());
            var rss = new LinkedHashMap<Integer, Double>();
            int have = 0;
            try (var pool = Executors.newFixedThreadPool(4)) {
                for (int count : settings.memoryVals()) {
                    var work = new ArrayList<Future<?>>();
                    for (int i = have; i < count; i++) {
                        int id = i;
                        work.add(pool.submit(() -> {
                            String name = "m" + id;
                            client.create(name, "const id = " + id + ";\nexport default () => new Response('val ' + id)");
                            var r = client.get("/v/admin/" + name);
                            if (r.statusCode() != 200) throw new IOException(name + " answered " + r.statusCode());
                            return null;
                        }));
                    }
                    for (var f : work) {
                        try {
                            f.get();
                        } catch (java.util.concurrent.ExecutionException e) {
                            throw new IOException("Creating the memory scenario's vals failed: " + e.getCause().getMessage(), e.getCause());
                        }
                    }
                    have = count;
                    Thread.sleep(1000);
                    fresh.gc();
                    Thread.sleep(500);
                    double mib = fresh.rssKib() / 1024.0;
                    rss.put(count, mib);
                    report.add("memory", "runtime JVM, " + count + " warm val(s)", "RSS after GC", "MiB", List.of(mib));
                    say(String.format(Locale.ROOT, "RSS with %d warm vals: %.0f MiB", count, mib));
                }
            }
            var counts = new ArrayList<>(rss.keySet());
            if (counts.size() >= 2) {
                int first = counts.getFirst(), last = counts.getLast();
                double perVal = (rss.get(last) - rss.get(first)) / (last - first);
                report.add("memory", "per warm val (" + first + " → " + last + ")", "RSS delta", "MiB", List.of(perVal));
                report.target("memory per idle warm val", perVal, "MiB", "≤ 1 MB", perVal <= 1, "(RSS(" + last + ") − RSS(" + first + ")) / " + (last - first));
            }
        }
    }

    /** A build and its settings whose start-up is timed. */
    private record Starter(String label, Path repo, List<String> jvmOptions, Map<String, String> env) {}

    /**
     * First start ever (fresh data folder) to ready, and restart on that data to the first val served.
     * With a variant (--variant-repo, --variant-jvm-opts or --variant-env) both are timed, alternating
     * round by round, in rows of their own.
     */
    void startup() throws IOException, InterruptedException {
        var starters = new ArrayList<>(List.of(new Starter("", settings.repo(), settings.jvmOptions(), settings.runtimeEnv())));
        var v = settings.variant();
        if (!v.repo().toAbsolutePath().normalize().equals(settings.repo().toAbsolutePath().normalize()) || !v.jvmOptions().isEmpty() || !v.env().isEmpty()) {
            var jvm = new ArrayList<>(settings.jvmOptions());
            jvm.addAll(v.jvmOptions());
            var env = new LinkedHashMap<>(settings.runtimeEnv());
            env.putAll(v.env());
            starters.set(0, new Starter(", main", settings.repo(), settings.jvmOptions(), settings.runtimeEnv()));
            starters.add(new Starter(", variant", v.repo(), jvm, env));
        }
        var first = new LinkedHashMap<String, List<Double>>();
        var firstVal = new LinkedHashMap<String, List<Double>>();
        var restart = new LinkedHashMap<String, List<Double>>();
        var restartReady = new LinkedHashMap<String, List<Double>>();
        for (var table : List.of(first, firstVal, restart, restartReady)) starters.forEach(st -> table.put(st.label(), new ArrayList<>()));
        for (int round = 0; round < settings.rounds(); round++) {
            for (int k = 0; k < starters.size(); k++) {
                Starter st = starters.get((round + k) % starters.size());
                Path data = java.nio.file.Files.createTempDirectory("valence-bench-start");
                try {
                    long launched = System.nanoTime();
                    var fresh = RuntimeProcess.start(st.repo(), data, st.jvmOptions(), st.env(), START_TIMEOUT);
                    first.get(st.label()).add(fresh.readyMs());
                    var client = new ApiClient(fresh.base(), fresh.token());
                    client.create("hello", Handlers.TRIVIAL_VAL);
                    if (client.get("/v/admin/hello").statusCode() != 200) throw new IOException("The new val did not answer.");
                    firstVal.get(st.label()).add((System.nanoTime() - launched) / 1e6);
                    fresh.stop();
                    double[] times = RuntimeProcess.timeToFirstVal(st.repo(), data, st.jvmOptions(), st.env(), "/v/admin/hello", START_TIMEOUT);
                    restartReady.get(st.label()).add(times[0]);
                    restart.get(st.label()).add(times[1]);
                } finally {
                    RuntimeProcess.deleteTree(data);
                }
                say(String.format(Locale.ROOT, "start-up round %d%s: first start ready %.0f ms, restart → first val %.0f ms",
                        round + 1, st.label(), first.get(st.label()).getLast(), restart.get(st.label()).getLast()));
            }
        }
        for (Starter st : starters) {
            String l = st.label();
            var f = report.add("start-up", "first start ever (fresh data folder)" + l, "launch → /readyz 200", "ms", first.get(l));
            report.add("start-up", "first start ever, then save + call a val" + l, "launch → first val answer", "ms", firstVal.get(l));
            report.add("start-up", "restart on existing data" + l, "launch → /readyz 200", "ms", restartReady.get(l));
            var r = report.add("start-up", "restart on existing data" + l, "launch → first val answer", "ms", restart.get(l));
            report.target("restart → first val served" + l, r.median() / 1000, "s", "≤ 3 s", r.median() <= 3000, "JVM launch included");
            report.target("first start ever" + l, f.median() / 1000, "s", "≤ 6 s", f.median() <= 6000,
                    "initdb + migrations + admin; PostgreSQL binaries already unpacked by an earlier run on this machine");
        }
    }

    // --- helpers ------------------------------------------------------------------------------------

    /**
     * Warms every system up once, then runs {@code rounds} rounds; each round runs every system once,
     * the order rotated round by round so no system always goes first.
     */
    private Map<String, List<Result>> alternate(String scenario, List<Subject> systems) throws IOException, InterruptedException {
        say(scenario + ": warming up (at least " + settings.warmupSeconds() + " s per system, until its rate stops rising)...");
        for (Subject s : systems) warmUp(s);
        var results = new LinkedHashMap<String, List<Result>>();
        systems.forEach(s -> results.put(s.name(), new ArrayList<>()));
        systems.forEach(s -> cpu.put(s.name(), new ArrayList<>()));
        for (int round = 0; round < settings.rounds(); round++) {
            for (int k = 0; k < systems.size(); k++) {
                Subject s = systems.get((round + k) % systems.size());
                long ticksBefore = s.process() == null ? 0 : s.process().cpuTicks();
                Result r = load.run(s.load());
                if (r.errors() > 0) throw new IOException(scenario + ": " + s.name() + " answered " + r.errors() + " errors in a round.");
                results.get(s.name()).add(r);
                if (s.process() != null && r.requests() > 0) {
                    cpu.get(s.name()).add((s.process().cpuTicks() - ticksBefore) * RuntimeProcess.MICROS_PER_TICK / r.requests());
                }
                say(String.format(Locale.ROOT, "  %s round %d, %s: %s", scenario, round + 1, s.name(), LoadGenerator.describe(r)));
            }
        }
        return results;
    }

    /**
     * Runs a system in 5-second chunks until the warm-up time is spent and the last chunk was not
     * two chunks in a row were not 10% faster than the best before them (the JIT is done), at most four times the warm-up time.
     */
    private void warmUp(Subject s) throws IOException, InterruptedException {
        Load l = s.load();
        int chunk = Math.max(1, Math.min(5, settings.warmupSeconds()));
        long spent = 0;
        double previous = 0, best = 0;
        int flat = 0; // chunks in a row that were not 10% faster than the best before them
        while (true) {
            Result r = load.run(new Load(l.url(), l.method(), l.body(), l.connections(), chunk));
            spent += chunk;
            flat = best > 0 && r.requestsPerSecond() < best * 1.10 ? flat + 1 : 0;
            best = Math.max(best, r.requestsPerSecond());
            previous = r.requestsPerSecond();
            if (spent >= settings.warmupSeconds() && flat >= 2 || spent >= 4L * Math.max(1, settings.warmupSeconds())) break;
        }
        say(String.format(Locale.ROOT, "  warmed %s for %d s (last %.0f req/s)", s.name(), spent, previous));
    }

    private Report.Series series(String scenario, String system, List<Result> results) {
        return report.add(scenario, system, "throughput", "req/s", values(results, Result::requestsPerSecond));
    }

    private static List<Double> values(List<Result> results, ToDoubleFunction<Result> f) {
        return results.stream().map(r -> f.applyAsDouble(r)).toList();
    }

    private void say(String line) {
        log.println(line);
        log.flush();
    }
}
