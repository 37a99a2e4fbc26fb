package dev.valence.ops.k8s;

import dev.valence.foundation.testing.DebianPackages;
import dev.valence.foundation.testing.MachineLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize}, as two releases render it: the kubectl on this machine (installed with
 * apt-get as Debian's kubernetes-client when there is none, {@link DebianPackages}) and Debian's kubernetes-client 1.20, whose
 * bundled kustomize v2.0.3 is the oldest the manifests promise to render with. The 1.20 binary is taken
 * out of its package ({@code apt-get download}, {@code dpkg-deb -x}) so that it never replaces the other.
 */
final class Kubectl {
    private static final Path DEBIAN_1_20 = Path.of("target", "kubernetes-client-1.20", "usr", "bin", "kubectl");

    private final List<String> binary;
    final String name;

    private Kubectl(String name, List<String> binary) {
        this.name = name;
        this.binary = binary;
    }

    /** The kubectl on the PATH, installed from Debian's packages when missing. */
    static synchronized Kubectl onPath() throws IOException, InterruptedException {
        if (run(Path.of("."), "sh", "-c", "command -v kubectl") != 0) DebianPackages.ensureInstalled(Path.of("/usr/bin/kubectl"), "kubernetes-client");
        return new Kubectl("kubectl on the PATH", List.of("kubectl"));
    }

    /** Debian's kubectl 1.20.2 (kustomize v2.0.3), unpacked under target/. */
    static synchronized Kubectl debian120() throws IOException, InterruptedException {
        if (!Files.isExecutable(DEBIAN_1_20)) {
            Path dir = Files.createDirectories(Path.of("target", "kubernetes-client-1.20").toAbsolutePath());
            Path debs = Files.createDirectories(Path.of("target", "kubernetes-client-deb").toAbsolutePath());
            if (aptDownload(debs) != 0) {
                aptUpdate();
                if (aptDownload(debs) != 0) throw new IllegalStateException("apt-get download kubernetes-client failed: run apt-get update");
            }
            try (var files = Files.list(debs)) {
                Path deb = files.filter(p -> p.getFileName().toString().startsWith("kubernetes-client_1.20")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("Debian's kubernetes-client is no longer 1.20 in " + debs
                                + ": pin the test to the kustomize it bundles"));
                if (run(debs, "dpkg-deb", "-x", deb.toString(), dir.toString()) != 0) throw new IllegalStateException("dpkg-deb -x " + deb + " failed");
            }
        }
        return new Kubectl("Debian's kubectl 1.20 (kustomize v2.0.3)", List.of(DEBIAN_1_20.toAbsolutePath().toString()));
    }

    private static int aptDownload(Path into) throws IOException, InterruptedException {
        return run(into, "apt-get", "download", "kubernetes-client");
    }

    private static void aptUpdate() throws IOException, InterruptedException {
        // apt-get locks the package lists too: one at a time across the test JVMs
        MachineLock.holding("apt-get", () -> run(Path.of("."), "apt-get", "update"));
    }

    private static int run(Path dir, String... command) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** The YAML stream {@code kubectl kustomize dir} prints; fails with kubectl's own words when it refuses. */
    String kustomize(Path dir) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(binary);
        command.addAll(List.of("kustomize", dir.toString()));
        Path err = Files.createTempFile("kustomize", ".err");
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(name + " could not render " + dir + ": " + Files.readString(err));
        }
        return out;
    }
}
