package dev.valence.foundation.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server a test runs in the foreground (nginx, HAProxy): started, its output kept line by line as it
 * comes (what a test waits on and prints when something fails), listening on a port before a test uses it,
 * and stopped with SIGTERM, then SIGKILL if it lingers.
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name(name + "-log").start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) log.add(line);
            } catch (IOException ended) {
                // the process ended: the log is complete
            }
        });
    }

    /**
     * Starts {@code command} (its errors merged into its output) and returns once it accepts connections on
     * 127.0.0.1:{@code port}; fails with its log when it exits first or does not listen within {@code timeoutMs}.
     */
    public static ServerProcess startListening(String name, List<String> command, int port, long timeoutMs)
            throws IOException, InterruptedException {
        var server = new ServerProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try (var probe = new Socket("127.0.0.1", port)) {
                return server;
            } catch (IOException notYet) {
                if (!server.process.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new AssertionError(name + " did not listen on " + port + " within " + timeoutMs + " ms: " + server.log);
                }
                Thread.sleep(10);
            }
        }
    }

    /** Waits until a line after the first {@code afterLine} ones matches {@code line}; fails with the log otherwise. */
    public void awaitLine(String what, int afterLine, Predicate<String> line, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (log.stream().skip(afterLine).noneMatch(line)) {
            if (!process.isAlive()) throw new AssertionError(name + " exited while waiting for " + what + ": " + String.join("\n", log));
            if (System.nanoTime() > deadline) throw new AssertionError(name + " did not show " + what + " within " + timeoutMs + " ms: " + log);
            Thread.sleep(10);
        }
    }

    /** How many lines it has written so far: a mark for {@link #awaitLine}. */
    public int logLines() {
        return log.size();
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
