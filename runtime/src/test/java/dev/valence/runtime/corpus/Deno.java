package dev.valence.runtime.corpus;

import dev.valence.foundation.testing.MachineLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real Deno, installed from the npm registry under {@code target/deno} on first use: the oracle the corpus and
 * the globals surface are checked against. The version is pinned so that the oracle does not move under the
 * tests. Tests are skipped (with the reason) only when npm or the registry cannot be reached.
 */
public final class Deno {
    public static final String VERSION = "2.9.6";
    private static final Path HOME = Path.of("target", "deno").toAbsolutePath();
    private static final Path BINARY = HOME.resolve("node_modules/@deno/linux-x64-glibc/deno");
    private static final Path WRAPPERS = Path.of("src", "test", "resources", "deno").toAbsolutePath();

    private Deno() {
    }

    /** The deno binary, installing it when missing; aborts the calling test when the registry cannot be reached. */
    public static Path binary() {
        try {
            // the test classes that use Deno may run in two test JVMs at once: one npm install into target/deno
            return MachineLock.holding("deno-" + VERSION.replace('.', '-'), Deno::installed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to install Deno " + VERSION, e);
        }
    }

    private static Path installed() {
        if (Files.isExecutable(BINARY) && installedVersion().equals(VERSION)) return BINARY;
        Output npm;
        try {
            Files.createDirectories(HOME);
            // the platform package holds the binary; the deno package's postinstall only links it, so no scripts run
            npm = run(List.of("npm", "install", "--prefix", HOME.toString(), "--no-save", "--no-audit", "--no-fund",
                    "--ignore-scripts", "deno@" + VERSION, "@deno/linux-x64-glibc@" + VERSION), Map.of(), 180);
        } catch (IOException e) {
            Assumptions.abort("npm is not available to install Deno " + VERSION + " (" + e.getMessage() + "); the Deno oracle tests are skipped");
            return null;
        }
        if (npm.exitCode() != 0) {
            boolean offline = npm.text().matches("(?s).*(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|network).*");
            if (offline) Assumptions.abort("the npm registry is unreachable, so Deno " + VERSION + " cannot be installed; the Deno oracle tests are skipped:\n" + npm.text());
            throw new IllegalStateException("npm install of Deno " + VERSION + " failed (exit " + npm.exitCode() + "):\n" + npm.text());
        }
        return BINARY;
    }

    private static String installedVersion() {
        try {
            return run(List.of(BINARY.toString(), "--version"), Map.of(), 30).text().replaceFirst("(?s)^deno (\\S+).*", "$1");
        } catch (IOException e) {
            return "";
        }
    }

    public static Path wrapper(String name) {
        return WRAPPERS.resolve(name);
    }

    /** The result of a finished process: exit code and stdout and stderr merged in the order they were written. */
    public record Output(int exitCode, String text) {
    }

    /** Runs {@code deno run} with the given arguments (permissions included) and waits for it. */
    public static Output runDeno(List<String> args, Map<String, String> env, int timeoutSeconds) throws IOException {
        var command = new ArrayList<String>();
        command.add(binary().toString());
        command.add("run");
        command.addAll(args);
        return run(command, env, timeoutSeconds);
    }

    /** Starts {@code deno run} with the given arguments; the caller reads its output and stops it. */
    public static Process startDeno(List<String> args, Map<String, String> env) throws IOException {
        var command = new ArrayList<String>();
        command.add(binary().toString());
        command.add("run");
        command.addAll(args);
        return builder(command, env).start();
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> env) {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DENO_DIR", HOME.resolve("cache").toString());
        builder.environment().put("DENO_NO_UPDATE_CHECK", "1");
        builder.environment().put("NO_COLOR", "1");
        builder.environment().putAll(env);
        return builder;
    }

    private static Output run(List<String> command, Map<String, String> env, int timeoutSeconds) throws IOException {
        Process process = builder(command, env).start();
        var text = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(l -> text.append(l).append('\n'));
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        });
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        return new Output(process.exitValue(), text.toString());
    }
}
