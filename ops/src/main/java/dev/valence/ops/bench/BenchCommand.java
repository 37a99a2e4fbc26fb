package dev.valence.ops.bench;

import dev.valence.ops.ExitCodes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./valence ops bench}: the benchmark. Starts the built runtime on its embedded default,
 * a Node.js server with the same handlers when {@code node} is installed, and a load generator
 * ({@code wrk}, installed with apt-get when missing, else an in-process one); alternates the systems
 * round by round and prints medians, spreads and ratios, also written as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Valence against a plain Vert.x route and Node.js and judge the targets.",
                "Run from the repository root after ./valence build; takes about 10 minutes with the defaults."})
public final class BenchCommand implements Callable<Integer> {
    /** Every scenario, in the order they run. */
    public static final List<String> SCENARIOS = List.of("trivial", "realistic", "fib", "guard", "recording", "cold-start", "memory", "startup", "variant", "soak");

    /** What runs without --scenarios: everything but the tuning comparison and the soak (minutes to hours, not for CI). */
    static final List<String> DEFAULT_SCENARIOS = SCENARIOS.subList(0, SCENARIOS.size() - 2);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured runs per system and scenario (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--duration", description = "Length of each measured run: seconds (8, 90s), minutes (10m) or hours (2h);"
            + " default 8 s, and 10 minutes for the soak.")
    String duration;

    /** --duration in seconds, for the throughput scenarios. */
    int seconds;

    @Option(names = "--rate", defaultValue = "200", description = "For the soak: requests a second sent through the proxy (default ${DEFAULT-VALUE}).")
    int soakRate;

    @Option(names = "--database", paramLabel = "URL", description = "For the soak: an empty PostgreSQL both replicas use"
            + " (postgres://user:pass@host:5432/db); default: an embedded one of its own.")
    String database;

    @Option(names = "--warmup", defaultValue = "30", description = "Seconds of warm-up per system before a scenario's rounds, and of load before the soak's measured part (default ${DEFAULT-VALUE}; the Graal JIT needs it).")
    int warmup;

    @Option(names = "--connections", defaultValue = "32", description = "Connections for the throughput scenarios (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--scenarios", split = ",", description = "Which scenarios to run (default all but variant): ${COMPLETION-CANDIDATES}.",
            completionCandidates = ScenarioNames.class)
    List<String> scenarios = DEFAULT_SCENARIOS;

    @Option(names = "--cold-saves", defaultValue = "50", description = "Saves timed by the cold-start scenario (default ${DEFAULT-VALUE}).")
    int coldSaves;

    @Option(names = "--memory-vals", split = ",", defaultValue = "1,100,1000", description = "Val counts the memory scenario reads RSS at (default ${DEFAULT-VALUE}).")
    List<Integer> memoryVals;

    @Option(names = "--json", defaultValue = "bench-results.json", description = "Where to write the results as JSON (default ${DEFAULT-VALUE}).")
    Path json;

    @Option(names = "--load-generator", defaultValue = "auto", description = "auto (wrk, else Java), wrk or java (default ${DEFAULT-VALUE}).")
    String loadGenerator;

    @Option(names = "--no-node", description = "Skip the Node.js rows even when node is installed.")
    boolean noNode;

    @Option(names = "--runtime-jvm-opts", description = "Extra JVM options for the runtimes under test, space-separated (e.g. \"-Xmx256m -XX:+UseParallelGC\").")
    String jvmOptions = "";

    @Option(names = "--runtime-env", description = "Extra environment for the runtimes under test, KEY=VALUE (repeatable, e.g. JS_WORKERS=2).")
    Map<String, String> runtimeEnv = new LinkedHashMap<>();

    @Option(names = "--variant-repo", description = "For the variant scenario: the checkout whose build the variant runs (default: --repo).")
    Path variantRepo;

    @Option(names = "--variant-jvm-opts", description = "For the variant scenario: JVM options added for the variant runtime.")
    String variantJvmOptions = "";

    @Option(names = "--variant-env", description = "For the variant scenario: environment of the variant runtime, KEY=VALUE (repeatable).")
    Map<String, String> variantEnv = new LinkedHashMap<>();

    @Option(names = "--variant-vals", split = ",", defaultValue = "trivial,realistic",
            description = "For the variant scenario: the vals compared (default ${DEFAULT-VALUE}; also fib, timed per request on one connection).")
    List<String> variantVals;

    @Option(names = "--repo", defaultValue = ".", description = "The Valence checkout whose built runtime is measured (default: the current folder).")
    Path repo;

    static final class ScenarioNames extends ArrayList<String> {
        ScenarioNames() {
            super(SCENARIOS);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Unknown scenario '" + s + "'. Known: " + String.join(", ", SCENARIOS) + ".");
        }
        for (String val : variantVals) {
            if (!Bench.Variant.VALS.contains(val)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Unknown val '" + val + "' for --variant-vals. Known: " + String.join(", ", Bench.Variant.VALS) + ".");
        }
        seconds = duration == null ? 8 : seconds(duration);
        if (rounds < 1 || seconds < 1 || soakRate < 1 || warmup < 0 || connections < 1 || coldSaves < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rounds, --duration, --rate, --connections and --cold-saves must be at least 1 and --warmup at least 0.");
        }
        if (!RuntimeProcess.built(repo)) {
            err.println("error: no built runtime under " + repo.toAbsolutePath() + "/runtime/target: run ./valence build first.");
            return ExitCodes.ENVIRONMENT;
        }
        var load = LoadGenerator.choose(loadGenerator, err);
        var variant = new Bench.Variant(variantRepo == null ? repo : variantRepo, words(variantJvmOptions), variantEnv, variantVals);
        if (scenarios.contains("variant") && !RuntimeProcess.built(variant.repo())) {
            err.println("error: no built runtime under " + variant.repo().toAbsolutePath() + "/runtime/target for the variant.");
            return ExitCodes.ENVIRONMENT;
        }
        var settings = new Bench.Settings(repo, rounds, seconds, warmup, connections, coldSaves, memoryVals, words(jvmOptions), runtimeEnv, variant);
        var environment = environment(load);
        var report = new Report(environment);
        var bench = new Bench(settings, load, report, err);
        if (scenarios.stream().anyMatch(s -> !s.equals("soak"))) runAgainstOneRuntime(bench, environment);
        if (scenarios.contains("soak")) {
            var soak = new Soak.Settings(repo, java.time.Duration.ofSeconds(duration == null ? 600 : seconds), java.time.Duration.ofSeconds(warmup),
                    soakRate, words(jvmOptions), runtimeEnv, database);
            new Soak(soak, report, err).run();
        }
        environment.put("loadAverageAtEnd", loadAverage());
        var finished = new Report(environment);
        report.series().forEach(s -> finished.add(s.scenario(), s.system(), s.metric(), s.unit(), s.values()));
        report.targets().forEach(t -> finished.target(t.name(), t.measured(), t.unit(), t.target(), t.met(), t.detail()));
        report.notes().forEach(finished::note);
        out.println();
        out.print(finished.table());
        Files.writeString(json, finished.json().encodePrettily() + "\n");
        out.println("\nwrote " + json.toAbsolutePath());
        out.flush();
        return ExitCodes.OK;
    }

    /** The scenarios that share one main runtime (all but the soak, which starts its own). */
    private void runAgainstOneRuntime(Bench bench, JsonObject environment) throws IOException, InterruptedException {
        try {
            bench.setUp(!noNode);
            environment.put("node", bench.nodeVersion());
            for (String scenario : SCENARIOS) {
                if (!scenarios.contains(scenario) || scenario.equals("soak")) continue;
                switch (scenario) {
                    case "trivial" -> bench.trivial();
                    case "realistic" -> bench.realistic();
                    case "fib" -> bench.fib();
                    case "guard" -> bench.guard();
                    case "recording" -> bench.recording();
                    case "cold-start" -> bench.coldStart();
                    case "memory" -> bench.memory();
                    case "startup" -> bench.startup();
                    case "variant" -> bench.variant();
                    default -> throw new IllegalStateException(scenario);
                }
            }
        } finally {
            bench.tearDown();
        }
    }

    /** A --duration: a whole number of seconds, or one followed by s, m or h. */
    int seconds(String text) {
        var m = java.util.regex.Pattern.compile("([0-9]{1,7})([smh]?)").matcher(text.trim());
        if (!m.matches()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--duration '" + text + "' is not a length of time: write 8, 90s, 10m or 2h.");
        }
        int n = Integer.parseInt(m.group(1));
        return switch (m.group(2)) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n;
        };
    }

    private static List<String> words(String options) {
        return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }

    private JsonObject environment(LoadGenerator load) throws IOException {
        var env = new JsonObject()
                .put("date", Instant.now().toString())
                .put("command", dev.valence.runtime.db.DatabaseUrl.redact("./valence ops " + String.join(" ", spec.commandLine().getParseResult().originalArgs())))
                .put("nproc", Runtime.getRuntime().availableProcessors())
                .put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"))
                .put("memory", firstMatch(Path.of("/proc/meminfo"), "MemTotal"))
                .put("loadAverageAtStart", loadAverage())
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("loadGenerator", load.name())
                .put("rounds", rounds).put("durationSeconds", seconds)
                .put("soakRequestsPerSecond", scenarios.contains("soak") ? soakRate : null)
                .put("soakSeconds", scenarios.contains("soak") ? (duration == null ? 600 : seconds) : null).put("warmupSeconds", warmup).put("connections", connections)
                .put("runtimeJvmOptions", jvmOptions).put("runtimeEnv", new JsonObject(new LinkedHashMap<>(runtimeEnv)));
        if (scenarios.contains("variant")) {
            env.put("variant", new JsonObject().put("repo", (variantRepo == null ? repo : variantRepo).toAbsolutePath().toString())
                    .put("jvmOptions", variantJvmOptions).put("env", new JsonObject(new LinkedHashMap<>(variantEnv)))
                    .put("vals", String.join(",", variantVals)));
        }
        return env;
    }

    /** The 1, 5 and 15 minute load averages: how busy the shared machine was. */
    private static String loadAverage() throws IOException {
        Path file = Path.of("/proc/loadavg");
        if (!Files.isReadable(file)) return null;
        String[] fields = Files.readString(file).trim().split("\\s+");
        return String.join(" ", Arrays.copyOf(fields, 3));
    }

    private static String firstMatch(Path file, String key) throws IOException {
        if (!Files.isReadable(file)) return null;
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(null);
    }
}
