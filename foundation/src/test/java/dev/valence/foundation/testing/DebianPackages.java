package dev.valence.foundation.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian packages a test needs (nginx, HAProxy, Chromium, kubectl), installed by the test set-up with
 * apt-get when their binary is missing: a test that skips itself on a machine without them tests nothing.
 * Installs run one at a time across the test JVMs ({@link MachineLock}: dpkg refuses a second install
 * rather than waiting). A fresh machine may not have the package lists yet: a failed install runs
 * {@code apt-get update} and tries again. Debian's container images forbid services to start on install,
 * so nothing runs until a test starts it.
 */
public final class DebianPackages {
    /** A slow mirror may take minutes for Chromium; a hung apt-get must not hang the build for ever. */
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(15);

    private DebianPackages() {}

    /** Installs {@code packages} (without their recommended packages) unless {@code binary} is already there. */
    public static void ensureInstalled(Path binary, String... packages) {
        ensure(binary, List.of("--no-install-recommends"), packages);
    }

    /** As {@link #ensureInstalled}, with the packages' recommended ones (Chromium's fonts, for screenshots). */
    public static void ensureInstalledWithRecommends(Path binary, String... packages) {
        ensure(binary, List.of(), packages);
    }

    private static void ensure(Path binary, List<String> options, String... packages) {
        if (Files.isExecutable(binary)) return;
        try {
            MachineLock.holding("apt-get", () -> {
                if (!Files.isExecutable(binary)) install(binary, options, packages); // another test JVM may have installed it meanwhile
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("apt-get could not be run to install " + String.join(" ", packages) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + String.join(" ", packages), e);
        }
    }

    private static void install(Path binary, List<String> options, String... packages) throws IOException, InterruptedException {
        var install = new ArrayList<>(List.of("apt-get", "install", "-y"));
        install.addAll(options);
        install.addAll(List.of(packages));
        var result = apt(install);
        if (result.exitCode() != 0) {
            apt(List.of("apt-get", "update")); // a fresh machine may not have the package lists yet
            result = apt(install);
        }
        if (result.exitCode() != 0 || !Files.isExecutable(binary)) {
            String names = String.join(" ", packages);
            throw new IllegalStateException(binary + " is missing and apt-get could not install " + names + " ("
                    + (result.exitCode() == 0 ? "it finished, but the binary is still not there" : "exit status " + result.exitCode())
                    + "); install Debian's package (as root: apt-get install " + names + ") and run the test again. apt-get said: "
                    + result.tail());
        }
    }

    private static Commands.Result apt(List<String> command) throws IOException, InterruptedException {
        return Commands.run(command, Map.of("DEBIAN_FRONTEND", "noninteractive"), APT_TIMEOUT);
    }
}
