package dev.valence.ops.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx with the shipped warm-routing configuration ({@code ops/proxy/nginx.conf}, as
 * docker-compose.yml and the Kubernetes proxy use it) in front of the soak's runtimes. Only the
 * listening address and the two per-environment files beside it are the soak's own; nginx is
 * installed with apt-get when missing.
 */
final class Proxy implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final String LISTEN = "listen 8080;";

    private final Process process;
    private final int port;

    private Proxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static void ensureInstalled(PrintWriter log) throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) return;
        log.println("installing nginx (apt-get install nginx)...");
        log.flush();
        if (run("apt-get", "install", "-y", "--no-install-recommends", "nginx") != 0) {
            run("apt-get", "update");
            int status = run("apt-get", "install", "-y", "--no-install-recommends", "nginx");
            if (status != 0 || !Files.isExecutable(BINARY)) {
                throw new IOException("nginx is missing and apt-get could not install it (exit status " + status
                        + "); install Debian's nginx package (as root: apt-get install nginx) and run the soak again");
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

    /** Starts nginx in the foreground on 127.0.0.1:{@code port} in front of the runtimes at {@code runtimeBases}' ports. */
    static Proxy start(Path repo, Path dir, int port, List<Integer> runtimePorts) throws IOException, InterruptedException {
        Path shipped = repo.resolve("ops/proxy/nginx.conf");
        String config = Files.readString(shipped);
        if (!config.contains(LISTEN)) throw new IOException(shipped + " no longer says '" + LISTEN + "': the soak cannot move it to a free port");
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Files.writeString(prefix.resolve("nginx.conf"), config.replace(LISTEN, "listen 127.0.0.1:" + port + ";"));
        Files.copy(shipped.resolveSibling("compose-edge.conf"), prefix.resolve("valence-edge.conf"));
        // the same server lines as compose-runtimes.conf, with this machine's ports
        Files.writeString(prefix.resolve("valence-runtimes.conf"), runtimePorts.stream()
                .map(p -> "server 127.0.0.1:" + p + " max_fails=1 fail_timeout=5s;\n").collect(Collectors.joining()));
        // the access log (on, as shipped) goes to a file in the scratch folder rather than the terminal
        Process process = new ProcessBuilder(BINARY.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.log").toFile()).start();
        var proxy = new Proxy(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (var probe = new Socket("127.0.0.1", port)) {
                return proxy;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    proxy.close();
                    throw new IOException("nginx did not listen on port " + port + "; its log: " + prefix.resolve("nginx.log"));
                }
                Thread.sleep(20);
            }
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
