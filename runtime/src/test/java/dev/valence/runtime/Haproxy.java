package dev.valence.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy from Debian's packages in front of runtimes, the way a deployment runs them: it
 * health-checks /readyz, so a replica takes traffic only once it is ready and loses it when it stops.
 * When the machine lacks HAProxy the test set-up installs it with apt-get (CI runs as root; Debian's
 * container images forbid services to start on install, so nothing runs until a test starts it).
 */
final class Haproxy implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Haproxy(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("haproxy-log").start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) log.add(line);
            } catch (IOException ended) {
                // the process ended: the log is complete
            }
        });
    }

    /** Installs HAProxy when it is missing (idempotent: nothing happens when it is there). */
    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) return;
        if (run("apt-get", "install", "-y", "--no-install-recommends", "haproxy") != 0) {
            // a fresh machine may not have the package lists yet
            run("apt-get", "update");
            int status = run("apt-get", "install", "-y", "--no-install-recommends", "haproxy");
            if (status != 0 || !Files.isExecutable(BINARY)) {
                throw new IllegalStateException("HAProxy is missing and apt-get could not install it (exit status " + status
                        + "); install Debian's haproxy package (as root: apt-get install haproxy) and run the test again");
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
        var haproxy = new Haproxy(new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString()).redirectErrorStream(true).start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (var probe = new Socket("127.0.0.1", port)) {
                return haproxy;
            } catch (IOException notYet) {
                if (!haproxy.process.isAlive() || System.nanoTime() > deadline) {
                    haproxy.close();
                    throw new AssertionError("HAProxy did not listen on " + port + ": " + haproxy.log);
                }
                Thread.sleep(10);
            }
        }
    }

    /** Waits until HAProxy's log says the server is up (its /readyz answered 200). */
    void awaitUp(String server, int afterLine, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (log.stream().skip(afterLine).noneMatch(l -> l.contains("Server runtimes/" + server + " is UP"))) {
            if (!process.isAlive()) throw new AssertionError("HAProxy exited: " + String.join("\n", log));
            if (System.nanoTime() > deadline) throw new AssertionError("HAProxy did not see " + server + " up within " + timeoutMs + " ms: " + log);
            Thread.sleep(10);
        }
    }

    int logLines() {
        return log.size();
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
