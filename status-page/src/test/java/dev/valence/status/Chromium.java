package dev.valence.status;

import static org.junit.jupiter.api.Assertions.fail;

import dev.valence.foundation.testing.Commands;
import dev.valence.foundation.testing.DebianPackages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, run once per page load with a fresh profile. Installs the package when it is
 * missing ({@link DebianPackages}), because browser tests that skip themselves on a machine without a browser
 * test nothing.
 */
public final class Chromium {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    static final long TIMEOUT_SECONDS = 60;

    /** Without the background-networking flags Chromium keeps dialling Google, which this machine's network refuses. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars");

    private Chromium() {}

    public static void ensureInstalled() {
        DebianPackages.ensureInstalledWithRecommends(BINARY, "chromium");
    }

    /** The DOM after the page's scripts ran, as Chromium serialises it. */
    static String dumpDom(String url, String... extraFlags) {
        return chromium(url, List.of(extraFlags), List.of("--dump-dom"));
    }

    /** Saves a PNG of the page to {@code png}. */
    static void screenshot(String url, Path png, String... extraFlags) throws IOException {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        chromium(url, List.of(extraFlags), List.of("--screenshot=" + png.toAbsolutePath()));
        if (!Files.exists(png)) fail("chromium ran without error but wrote no screenshot to " + png.toAbsolutePath());
    }

    private static String chromium(String url, List<String> extraFlags, List<String> action) {
        Path profile;
        try {
            profile = Files.createTempDirectory("valence-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary Chromium profile directory", e);
        }
        try {
            var command = new ArrayList<String>();
            command.add(BINARY.toString());
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + profile);
            command.addAll(extraFlags);
            command.addAll(action);
            command.add(url);
            return run(command, TIMEOUT_SECONDS, "headless Chromium on " + url);
        } finally {
            deleteRecursively(profile);
        }
    }

    /** Runs a command to completion within {@code timeoutSeconds}, failing the test with {@code why} and its output otherwise; returns stdout. */
    private static String run(List<String> command, long timeoutSeconds, String why) {
        try {
            var result = Commands.run(command, Map.of(), Duration.ofSeconds(timeoutSeconds));
            if (result.timedOut()) {
                fail(why + ": " + String.join(" ", command) + " did not finish within " + timeoutSeconds + " s and was killed; stderr: "
                        + tail(result.stderr()));
            }
            if (result.exitCode() != 0) {
                fail(why + ": " + String.join(" ", command) + " exited with " + result.exitCode() + "; stderr: " + tail(result.stderr()));
            }
            return result.stdout();
        } catch (IOException e) {
            return fail(why + ": cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(why + ": interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Chromium::deleteQuietly);
        } catch (IOException e) {
            // a profile left in /tmp costs disk, not correctness
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) return;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // see deleteRecursively
        }
    }
}
