package dev.valence.foundation.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end, with a time cap: its exit status and what it wrote. The output goes to files,
 * not pipes, so a chatty command never blocks on a pipe nobody reads.
 */
public final class Commands {
    private static final int TAIL_CHARS = 2000;

    private Commands() {}

    /** How a command ended; {@code timedOut} when it was killed at the time cap (its exit status is then -1). */
    public record Result(int exitCode, boolean timedOut, String stdout, String stderr) {
        /** The end of what it wrote (stderr, then stdout), for a failure message. */
        public String tail() {
            String text = (stderr + (stderr.isEmpty() || stdout.isEmpty() ? "" : "\n") + stdout).strip();
            return text.length() <= TAIL_CHARS ? text : "..." + text.substring(text.length() - TAIL_CHARS);
        }
    }

    /** Runs {@code command} with {@code env} added to this process's environment; kills it and its children after {@code timeout}. */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("valence-cmd-", ".out");
        Path stderr = Files.createTempFile("valence-cmd-", ".err");
        try {
            var builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return new Result(ended ? process.exitValue() : -1, !ended, Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
