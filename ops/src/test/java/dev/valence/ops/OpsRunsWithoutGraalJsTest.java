package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.WITH_CONTRACT;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ops reads the runtime's stores and schema verdicts but never runs a val: its commands work in a JVM
 * whose class path has no GraalJS at all (the tests' own class path has it, for the tests that start a
 * runtime in-process, so this one starts a JVM of its own without it).
 */
class OpsRunsWithoutGraalJsTest {
    private record Outcome(int exit, String output) {}

    private static Outcome ops(String... args) throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains(File.separator + "org" + File.separator + "graalvm" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(!classPath.contains("graalvm"), "the class path still names GraalVM: " + classPath);
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", classPath, "dev.valence.ops.Ops"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ops " + String.join(" ", args) + " did not finish");
        return new Outcome(process.exitValue(), output);
    }

    @Test
    void migrate_and_the_rollback_gate_run_with_no_graaljs_on_the_class_path() throws Exception {
        String url = newDatabase("no_graal");
        var migrate = ops("migrate", "--database", url, WITH_CONTRACT);
        assertEquals(ExitCodes.OK, migrate.exit(), migrate.output());

        var gate = ops("gate", "rollback", "--to", "900", "--database", url);
        assertEquals(ExitCodes.OK, gate.exit(), gate.output());
        assertTrue(gate.output().endsWith("""
                rollback to code level 900 (minimum 900):
                yes (compatible): schema is at app v900 (floor 900); this build is level 900 (minimum 900): compatible
                """), gate.output());
    }
}
