package dev.valence.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx running the shipped warm-routing configuration ({@code ops/proxy/nginx.conf}, the file
 * docker-compose.yml and the Kubernetes proxy use) in front of runtimes on this machine. Only the two
 * per-environment files beside it and the listening address are the test's own. Installed by the test
 * set-up with apt-get when missing, as {@link Haproxy} is.
 */
final class Nginx implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");
    /** Surefire runs in the module's directory; the configuration lives in the ops module. */
    static final Path SHIPPED_CONFIG = Path.of("..", "ops", "proxy", "nginx.conf");

    private final Process process;
    private final Path prefix;
    private final List<Integer> runtimePorts;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Nginx(Process process, Path prefix, List<Integer> runtimePorts) {
        this.process = process;
        this.prefix = prefix;
        this.runtimePorts = runtimePorts;
        Thread.ofPlatform().daemon().name("nginx-log").start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) log.add(line);
            } catch (IOException ended) {
                // the process ended: the log is complete
            }
        });
    }

    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) return;
        if (run("apt-get", "install", "-y", "--no-install-recommends", "nginx") != 0) {
            run("apt-get", "update");
            int status = run("apt-get", "install", "-y", "--no-install-recommends", "nginx");
            if (status != 0 || !Files.isExecutable(BINARY)) {
                throw new IllegalStateException("nginx is missing and apt-get could not install it (exit status " + status
                        + "); install Debian's nginx package (as root: apt-get install nginx) and run the test again");
            }
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /**
     * Starts nginx in the foreground on 127.0.0.1:{@code port} with the shipped configuration, the runtimes
     * on {@code runtimePorts} and this machine's loopback as the edge; every answer names the runtimes
     * tried, in order, in X-Served-By ({@code 127.0.0.1:A} or {@code 127.0.0.1:A, 127.0.0.1:B}).
     */
    static Nginx start(Path dir, int port, List<Integer> runtimePorts) throws IOException, InterruptedException {
        ensureInstalled();
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        String shipped = Files.readString(SHIPPED_CONFIG);
        String listen = "listen 8080;";
        if (!shipped.contains(listen)) throw new AssertionError(SHIPPED_CONFIG + " no longer says '" + listen + "'");
        Files.writeString(prefix.resolve("nginx.conf"), shipped.replace(listen, "listen 127.0.0.1:" + port + ";"));
        Files.writeString(prefix.resolve("valence-edge.conf"), Files.readString(SHIPPED_CONFIG.resolveSibling("compose-edge.conf"))
                + "\nadd_header X-Served-By $upstream_addr always;\n");
        writeRuntimes(prefix, runtimePorts, -1);
        var nginx = new Nginx(new ProcessBuilder(BINARY.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).start(), prefix, runtimePorts);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (var probe = new Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                if (!nginx.process.isAlive() || System.nanoTime() > deadline) {
                    nginx.close();
                    throw new AssertionError("nginx did not listen on " + port + ": " + nginx.log);
                }
                Thread.sleep(10);
            }
        }
    }

    private static void writeRuntimes(Path prefix, List<Integer> runtimePorts, int downPort) throws IOException {
        Files.writeString(prefix.resolve("valence-runtimes.conf"), runtimePorts.stream()
                .map(p -> "server 127.0.0.1:" + p + " max_fails=1 fail_timeout=5s" + (p == downPort ? " down" : "") + ";\n")
                .collect(Collectors.joining()));
    }

    /**
     * Takes the runtime on {@code port} out of the ring ({@code down}; -1 puts every runtime back) and reloads
     * gracefully, as an orchestrator drops a stopping pod from the proxy's list before it sends SIGTERM (on
     * Kubernetes: the endpoints and the proxy's DNS look-ups). Returns once the new workers run.
     */
    void markDown(int port) throws IOException, InterruptedException {
        writeRuntimes(prefix, runtimePorts, port);
        int before = log.size();
        var reload = new ProcessBuilder(BINARY.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(), "-s", "reload")
                .redirectErrorStream(true).start();
        String output = new String(reload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (reload.waitFor() != 0) throw new AssertionError("nginx -s reload failed: " + output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.stream().skip(before).noneMatch(l -> l.contains("start worker process"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("nginx did not reload: " + log);
            Thread.sleep(10);
        }
    }

    List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
