package dev.valence.runtime;

import dev.valence.foundation.testing.Commands;
import dev.valence.foundation.testing.DebianPackages;
import dev.valence.foundation.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Debian's nginx running the shipped warm-routing configuration ({@code ops/proxy/nginx.conf}, the file
 * docker-compose.yml and the Kubernetes proxy use) in front of runtimes on this machine. Only the two
 * per-environment files beside it and the listening address are the test's own. Installed by the test
 * set-up with apt-get when missing ({@link DebianPackages}).
 */
final class Nginx implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");
    /** Surefire runs in the module's directory; the configuration lives in the ops module. */
    static final Path SHIPPED_CONFIG = Path.of("..", "ops", "proxy", "nginx.conf");

    private final ServerProcess process;
    private final Path prefix;
    private final List<Integer> runtimePorts;

    private Nginx(ServerProcess process, Path prefix, List<Integer> runtimePorts) {
        this.process = process;
        this.prefix = prefix;
        this.runtimePorts = runtimePorts;
    }

    static void ensureInstalled() {
        DebianPackages.ensureInstalled(BINARY, "nginx");
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
        return new Nginx(ServerProcess.startListening("nginx", List.of(BINARY.toString(), "-p", prefix + "/", "-c",
                prefix.resolve("nginx.conf").toString(), "-g", "daemon off;"), port, 10_000), prefix, runtimePorts);
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
        int before = process.logLines();
        var reload = Commands.run(List.of(BINARY.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(), "-s", "reload"),
                Map.of(), Duration.ofSeconds(30));
        if (reload.exitCode() != 0) throw new AssertionError("nginx -s reload failed: " + reload.tail());
        process.awaitLine("new worker processes after the reload", before, l -> l.contains("start worker process"), 10_000);
    }

    List<String> log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
