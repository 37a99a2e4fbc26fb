package dev.valence.ops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives HTTP load at a URL for a while with a fixed number of connections: {@code wrk}, or a Java fallback. */
public interface LoadGenerator {
    /** What to send: {@code body} null for a GET. */
    record Load(String url, String method, String body, int connections, int seconds) {
        public static Load get(String url, int connections, int seconds) {
            return new Load(url, "GET", null, connections, seconds);
        }
    }

    /** Requests per second, latency percentiles in milliseconds, and how many answers were not 2xx/3xx (or failed). */
    record Result(double requestsPerSecond, double p50Ms, double p99Ms, long requests, long errors) {}

    Result run(Load load) throws IOException, InterruptedException;

    String name();

    /** wrk when it is on PATH (or can be installed with apt-get), else the in-process generator. */
    static LoadGenerator choose(String wanted, java.io.PrintWriter log) throws IOException, InterruptedException {
        if (wanted.equals("java")) return new JavaLoad();
        if (Wrk.available()) return new Wrk();
        if (Wrk.tryInstall(log)) return new Wrk();
        if (wanted.equals("wrk")) throw new IllegalStateException("wrk is not installed and apt-get could not install it.");
        log.println("wrk is missing and could not be installed: using the in-process Java load generator (slower, shares the JVM).");
        return new JavaLoad();
    }

    /** {@code wrk -t1 -cN -dS --latency}, parsed. */
    final class Wrk implements LoadGenerator {
        private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
        private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in");
        private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
        private static final Pattern SOCKET = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");

        static boolean available() {
            return onPath("wrk");
        }

        static boolean tryInstall(java.io.PrintWriter log) throws IOException, InterruptedException {
            if (!onPath("apt-get")) return false;
            log.println("installing wrk (apt-get install -y wrk)...");
            log.flush();
            var process = new ProcessBuilder("apt-get", "install", "-y", "-qq", "wrk").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(300, TimeUnit.SECONDS) && process.exitValue() == 0 && available();
        }

        private static boolean onPath(String command) {
            String path = System.getenv().getOrDefault("PATH", "");
            return Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
        }

        @Override
        public String name() {
            return "wrk";
        }

        @Override
        public Result run(Load load) throws IOException, InterruptedException {
            var command = new ArrayList<>(List.of("wrk", "-t1", "-c" + load.connections(), "-d" + load.seconds() + "s", "--latency"));
            Path script = null;
            if (load.body() != null || !load.method().equals("GET")) {
                script = Files.createTempFile("valence-bench", ".lua");
                Files.writeString(script, "wrk.method = \"" + load.method() + "\"\n"
                        + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                        + "wrk.body = " + luaString(load.body() == null ? "" : load.body()) + "\n");
                command.addAll(List.of("-s", script.toString()));
            }
            command.add(load.url());
            try {
                var process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes());
                if (!process.waitFor(load.seconds() + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IOException("wrk failed: " + out);
                }
                return parse(out);
            } finally {
                if (script != null) Files.deleteIfExists(script);
            }
        }

        /** Reads wrk's report (with {@code --latency}). */
        static Result parse(String out) throws IOException {
            Matcher rps = RPS.matcher(out);
            if (!rps.find()) throw new IOException("wrk printed no Requests/sec line: " + out);
            Matcher total = TOTAL.matcher(out);
            long requests = total.find() ? Long.parseLong(total.group(1)) : 0;
            long errors = 0;
            Matcher non2xx = NON2XX.matcher(out);
            if (non2xx.find()) errors += Long.parseLong(non2xx.group(1));
            Matcher socket = SOCKET.matcher(out);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) errors += Long.parseLong(socket.group(g));
            }
            return new Result(Double.parseDouble(rps.group(1)), percentile(out, "50%"), percentile(out, "99%"), requests, errors);
        }

        private static double percentile(String out, String label) {
            Matcher m = Pattern.compile("^\\s+" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE).matcher(out);
            if (!m.find()) return Double.NaN;
            double value = Double.parseDouble(m.group(1));
            return switch (m.group(2)) {
                case "us" -> value / 1000;
                case "ms" -> value;
                case "s" -> value * 1000;
                default -> value * 60_000;
            };
        }

        private static String luaString(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
    }

    /**
     * The fallback: one virtual thread per connection sending requests back to back through
     * {@link HttpClient} for the duration. It shares the CPU with the JVM it runs in, so it
     * measures lower rates than wrk; ratios in one run stay comparable.
     */
    final class JavaLoad implements LoadGenerator {
        @Override
        public String name() {
            return "java";
        }

        @Override
        public Result run(Load load) throws InterruptedException {
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            var builder = HttpRequest.newBuilder(URI.create(load.url())).timeout(Duration.ofSeconds(30));
            var request = (load.body() == null ? builder.method(load.method(), HttpRequest.BodyPublishers.noBody())
                    : builder.header("Content-Type", "application/json").method(load.method(), HttpRequest.BodyPublishers.ofString(load.body()))).build();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(load.seconds());
            var errors = new AtomicLong();
            List<long[]> perThread = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < load.connections(); i++) {
                var latencies = new long[1 << 18];
                var count = new int[1];
                perThread.add(latencies);
                threads.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try {
                            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status >= 400) errors.incrementAndGet();
                        } catch (IOException | InterruptedException e) {
                            errors.incrementAndGet();
                        }
                        if (count[0] < latencies.length - 1) latencies[++count[0]] = System.nanoTime() - t0;
                    }
                    latencies[0] = count[0];
                }));
            }
            for (Thread t : threads) t.join();
            double elapsed = (System.nanoTime() - started) / 1e9;
            int total = perThread.stream().mapToInt(l -> (int) l[0]).sum();
            long[] all = new long[total];
            int at = 0;
            for (long[] l : perThread) {
                System.arraycopy(l, 1, all, at, (int) l[0]);
                at += (int) l[0];
            }
            Arrays.sort(all);
            double p50 = total == 0 ? Double.NaN : all[Math.max(0, (int) Math.ceil(total * 0.50) - 1)] / 1e6;
            double p99 = total == 0 ? Double.NaN : all[Math.max(0, (int) Math.ceil(total * 0.99) - 1)] / 1e6;
            client.close();
            return new Result(total / elapsed, p50, p99, total, errors.get());
        }
    }

    /** For log lines. */
    static String describe(Result r) {
        return String.format(Locale.ROOT, "%.0f req/s, p50 %.2f ms, p99 %.2f ms%s", r.requestsPerSecond(), r.p50Ms(), r.p99Ms(),
                r.errors() > 0 ? ", " + r.errors() + " errors" : "");
    }
}
