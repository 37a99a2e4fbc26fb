package dev.valence.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** A Node.js {@code http} server running {@link Handlers#NODE_SERVER}, when {@code node} is installed. */
final class NodeServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final String version;

    private NodeServer(Process process, Path dir, int port, String version) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.version = version;
    }

    static boolean available() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "node")));
    }

    static NodeServer start(Duration timeout) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("valence-bench-node");
        Path script = dir.resolve("server.mjs");
        Files.writeString(script, Handlers.NODE_SERVER);
        var versionProcess = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String version = new String(versionProcess.getInputStream().readAllBytes()).trim();
        versionProcess.waitFor();
        int port = RuntimeProcess.freePort();
        Process process = new ProcessBuilder("node", script.toString(), Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile()).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (RuntimeProcess.status("http://127.0.0.1:" + port + "/trivial") != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("The Node.js server did not start: " + Files.readString(dir.resolve("node.log")));
            }
            Thread.sleep(20);
        }
        return new NodeServer(process, dir, port, version);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String version() {
        return version;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        RuntimeProcess.deleteTree(dir);
    }
}
