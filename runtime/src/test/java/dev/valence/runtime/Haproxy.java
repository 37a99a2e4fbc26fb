package dev.valence.runtime;

import dev.valence.foundation.testing.DebianPackages;
import dev.valence.foundation.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real HAProxy from Debian's packages in front of runtimes, the way a deployment runs them: it
 * health-checks /readyz, so a replica takes traffic only once it is ready and loses it when it stops.
 * When the machine lacks HAProxy the test set-up installs it with apt-get ({@link DebianPackages}).
 */
final class Haproxy implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final ServerProcess process;

    private Haproxy(ServerProcess process) {
        this.process = process;
    }

    /** Installs HAProxy when it is missing (idempotent: nothing happens when it is there). */
    static void ensureInstalled() {
        DebianPackages.ensureInstalled(BINARY, "haproxy");
    }

    /**
     * Starts HAProxy in the foreground on {@code port} with one server per entry of {@code servers}
     * (name to port), checked on /readyz every 200 ms; each answer names its server in X-Served-By.
     */
    static Haproxy start(Path dir, int port, Map<String, Integer> servers) throws IOException, InterruptedException {
        ensureInstalled();
        var config = new StringBuilder("""
                global
                    log stdout format raw local0 info
                    maxconn 512
                defaults
                    mode http
                    log global
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                    # a check slowed by a busy machine (a replica's JIT warming up beside it) must not take a server out
                    timeout check 2s
                    # a connection refused is retried on the other server: nothing was sent, so even a POST is safe
                    retries 3
                    option redispatch 1
                frontend vals
                    bind 127.0.0.1:%d
                    # the forwarding headers are replaced, never appended to: a client's own values are not passed on
                    # (the runtimes believe them only from TRUSTED_PROXIES, see the README's "Forwarded headers")
                    http-request set-header X-Forwarded-For %%[src]
                    http-request set-header X-Forwarded-Proto http
                    http-request set-header X-Forwarded-Host %%[req.hdr(host)]
                    http-request del-header X-Forwarded-Prefix
                    http-request del-header Forwarded
                    default_backend runtimes
                backend runtimes
                    balance roundrobin
                    option httpchk GET /readyz
                    http-check expect status 200
                    default-server check inter 200ms fall 2 rise 1
                    http-response set-header X-Served-By %%s
                """.formatted(port));
        servers.forEach((name, serverPort) -> config.append("    server ").append(name).append(" 127.0.0.1:").append(serverPort).append('\n'));
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        return new Haproxy(ServerProcess.startListening("haproxy", List.of(BINARY.toString(), "-db", "-f", file.toString()), port, 10_000));
    }

    /** Waits until HAProxy's log says the server is up (its /readyz answered 200). */
    void awaitUp(String server, int afterLine, long timeoutMs) throws InterruptedException {
        process.awaitLine(server + " up", afterLine, l -> l.contains("Server runtimes/" + server + " is UP"), timeoutMs);
    }

    int logLines() {
        return process.logLines();
    }

    List<String> log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
