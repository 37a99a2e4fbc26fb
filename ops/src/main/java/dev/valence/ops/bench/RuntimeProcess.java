package dev.valence.ops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The runtime under test, started as its own process the way {@code ./valence run} starts it (the
 * built jar and its lib folder, the same JIT flags) on its embedded default: a scratch data folder,
 * the embedded PostgreSQL, no configuration beyond the port and what a scenario sets.
 */
final class RuntimeProcess implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int port;
    private final String token;
    /** Wall time from launching the JVM to /readyz answering 200. */
    private final double readyMs;
    private final long launchedNanos;

    private RuntimeProcess(Process process, Path dataDir, boolean ownsDataDir, int port, String token, long launchedNanos, double readyMs) {
        this.launchedNanos = launchedNanos;
        this.process = process;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.port = port;
        this.token = token;
        this.readyMs = readyMs;
    }

    /** The java command and flags of the {@code valence} script's {@code run} (keep in step with it), then {@code extraJvmOptions}. */
    static List<String> command(Path repo, List<String> extraJvmOptions) {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java,
                "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--upgrade-module-path=" + repo.resolve("runtime/target/jvmci").toAbsolutePath(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dpolyglot.engine.WarnInterpreterOnly=false"));
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-cp", repo.resolve("runtime/target/valence-runtime-0.1.0-SNAPSHOT.jar").toAbsolutePath() + ":"
                + repo.resolve("runtime/target/lib").toAbsolutePath() + "/*", "dev.valence.runtime.Main"));
        return command;
    }

    /** Whether the runtime has been built ({@code ./valence build}). */
    static boolean built(Path repo) {
        return Files.isRegularFile(repo.resolve("runtime/target/valence-runtime-0.1.0-SNAPSHOT.jar"))
                && Files.isDirectory(repo.resolve("runtime/target/lib")) && Files.isDirectory(repo.resolve("runtime/target/jvmci"));
    }

    /**
     * Starts a runtime on {@code dataDir} (a new scratch folder when null, deleted on close) and waits
     * until it is ready and its admin token can be read.
     */
    static RuntimeProcess start(Path repo, Path dataDir, List<String> jvmOptions, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return start(repo, dataDir, jvmOptions, env, timeout, "/readyz");
    }

    /**
     * Restarts on an existing data folder; returns the wall times from launch to /readyz and to
     * {@code valPath} answering 200, and stops it again.
     */
    static double[] timeToFirstVal(Path repo, Path dataDir, List<String> jvmOptions, Map<String, String> env, String valPath, Duration timeout)
            throws IOException, InterruptedException {
        var runtime = start(repo, dataDir, jvmOptions, env, timeout, "/readyz");
        try {
            while (status(runtime.base() + valPath) != 200) {
                if (System.nanoTime() - runtime.launchedNanos > timeout.toNanos()) throw new IOException(valPath + " did not answer 200 after the restart.");
                Thread.sleep(5);
            }
            return new double[] {runtime.readyMs, (System.nanoTime() - runtime.launchedNanos) / 1e6};
        } finally {
            runtime.stop();
        }
    }

    private static RuntimeProcess start(Path repo, Path dataDir, List<String> jvmOptions, Map<String, String> env, Duration timeout,
                                        String readyPath) throws IOException, InterruptedException {
        boolean owns = dataDir == null;
        Path data = owns ? Files.createTempDirectory("valence-bench-data") : dataDir;
        int port = freePort();
        var builder = new ProcessBuilder(command(repo, jvmOptions)).directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("runtime.log").toFile()));
        var environment = builder.environment();
        environment.put("VALENCE_DATA_DIR", data.toString());
        environment.put("PORT", Integer.toString(port));
        environment.put("BIND_HOST", "127.0.0.1");
        environment.put("EMBED_STATUS_PAGE", "false");
        environment.put("STATUS_PORT", "0");
        environment.put("BENCH_UNGUARDED_ROUTE", "true");
        // the load generator sends one val tens of thousands of requests a second from one address: limits off
        // unless a run asks for them (--runtime-env), so throughput measures the val path, not 429s
        environment.put("VAL_RATE_PER_MINUTE", "0");
        environment.put("API_RATE_PER_TOKEN_PER_MINUTE", "0");
        environment.put("API_RATE_PER_ADDRESS_PER_MINUTE", "0");
        environment.putAll(env);
        long launched = System.nanoTime();
        Process process = builder.start();
        long deadline = launched + timeout.toNanos();
        Path tokenFile = data.resolve("bootstrap-token");
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("The runtime exited with status " + process.exitValue() + " before it was ready; its log: "
                        + data.resolve("runtime.log"));
            }
            if (System.nanoTime() > deadline) {
                kill(process);
                throw new IOException("The runtime was not ready within " + timeout.toSeconds() + " s; its log: " + data.resolve("runtime.log"));
            }
            if (status("http://127.0.0.1:" + port + readyPath) == 200 && Files.size(tokenFileOrEmpty(tokenFile)) > 0) break;
            Thread.sleep(10);
        }
        double readyMs = (System.nanoTime() - launched) / 1e6;
        return new RuntimeProcess(process, data, owns, port, Files.readString(tokenFile).trim(), launched, readyMs);
    }

    private static Path tokenFileOrEmpty(Path tokenFile) throws IOException {
        if (Files.exists(tokenFile)) return tokenFile;
        return Path.of("/dev/null");
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    static int status(String url) throws InterruptedException {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** {@link System#nanoTime()} when the JVM was launched: its GC log's uptime counts from about then. */
    long launchedNanos() {
        return launchedNanos;
    }

    String token() {
        return token;
    }

    double readyMs() {
        return readyMs;
    }

    Path dataDir() {
        return dataDir;
    }

    long pid() {
        return process.pid();
    }

    /** Microseconds of CPU per clock tick of /proc/PID/stat (USER_HZ is 100 on Linux). */
    static final double MICROS_PER_TICK = 10_000;

    /** CPU time the JVM has used so far, user and system, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // the command name (field 2) may hold spaces: count fields after its closing parenthesis
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The JVM's resident set size in KiB ({@code VmRSS} of /proc/PID/status). */
    long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IOException("No VmRSS line for process " + process.pid());
    }

    /** Asks the JVM for a full collection (jcmd GC.run), so RSS readings are not mostly garbage. */
    void gc() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) return;
        var p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the runtime (SIGTERM: it stops its PostgreSQL) and keeps the data folder. */
    void stop() throws InterruptedException {
        kill(process);
    }

    private static void kill(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        if (ownsDataDir) deleteTree(dataDir);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
