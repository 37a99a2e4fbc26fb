package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import dev.valence.foundation.testing.Commands;
import dev.valence.foundation.testing.DebianPackages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Debian's headless Chromium taking a screenshot of one page with a fresh profile, as the status page's browser tests
 * run it. Installs the package when it is missing ({@link DebianPackages}): a browser test that skips itself without a
 * browser tests nothing.
 */
public final class HeadlessChromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;
    /** Without the background-networking flags Chromium keeps dialling Google, which a test machine's network may refuse. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars");

    private HeadlessChromium() {}

    public static void ensureInstalled() {
        DebianPackages.ensureInstalledWithRecommends(BINARY, "chromium");
    }

    /**
     * Opens {@code url} with a fresh profile, as a visitor would, and lets its scripts, redirects and
     * navigations run until {@code done} holds (checked every 50 ms) or {@code timeoutMs} passes; then
     * closes the browser. Whether {@code done} held.
     */
    public static boolean visitUntil(String url, java.util.function.BooleanSupplier done, long timeoutMs) throws IOException {
        Path profile = Files.createTempDirectory("valence-chromium-");
        Path output = Files.createTempFile("valence-chromium-", ".log");
        var command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add(url);
        Process browser = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) return false;
                if (!browser.isAlive()) fail("chromium exited with " + browser.exitValue() + " before the visit ended; output: " + tail(output));
                Thread.sleep(50);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            try {
                browser.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(output);
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Saves a PNG of {@code url} to {@code png}. */
    static void screenshot(String url, Path png, String... extraFlags) throws IOException {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory("valence-chromium-");
        try {
            var command = new ArrayList<>(List.of(BINARY.toString()));
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + profile);
            command.addAll(List.of(extraFlags));
            command.add("--screenshot=" + png.toAbsolutePath());
            command.add(url);
            run(command, TIMEOUT_SECONDS);
        } finally {
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (!Files.exists(png)) fail("chromium ran without error but wrote no screenshot to " + png.toAbsolutePath());
    }

    private static void run(List<String> command, long timeoutSeconds) throws IOException {
        try {
            var result = Commands.run(command, Map.of(), Duration.ofSeconds(timeoutSeconds));
            if (result.timedOut()) fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s and was killed; output: " + result.tail());
            if (result.exitCode() != 0) fail(String.join(" ", command) + " exited with " + result.exitCode() + "; output: " + result.tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    }
}
