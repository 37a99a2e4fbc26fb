package dev.valence.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A runtime as its own {@code java} process ({@link Main}, configured by environment variables, as
 * in production), on this test JVM's class path and JVM flags; stopped with SIGTERM like a deploy does.
 */
final class ReplicaProcess implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    final int port;
    final Path log;

    private ReplicaProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Main with {@code env} on {@code port} and waits until /readyz answers 200. */
    static ReplicaProcess start(int port, Map<String, String> env, Path log, Duration timeout) throws IOException, InterruptedException {
        var replica = launch(port, env, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (replica.readyzStatus() != 200) {
            if (!replica.process.isAlive()) throw new AssertionError("the replica on port " + port + " exited: " + Files.readString(log));
            if (System.nanoTime() > deadline) {
                replica.close(); // a replica that never became ready must not outlive the test
                throw new AssertionError("the replica on port " + port + " was not ready in time: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return replica;
    }

    /** Starts Main with {@code env} on {@code port} and returns at once, while it starts. */
    static ReplicaProcess launch(int port, Map<String, String> env, Path log) throws IOException {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // the test JVM's flags (the JIT's module path above all), not its heap size or agents
            if (!option.startsWith("-Xmx") && !option.startsWith("-javaagent") && !option.startsWith("-agentlib")) command.add(option);
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        return new ReplicaProcess(builder.start(), port, log);
    }

    private int readyzStatus() throws InterruptedException {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    /** SIGTERM, as an orchestrator sends it; returns the exit status once the process has ended. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the replica on port " + port + " did not end within " + timeout.toMillis() + " ms of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
