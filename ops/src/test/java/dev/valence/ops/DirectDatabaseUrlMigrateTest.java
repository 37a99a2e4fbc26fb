package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ops migrate} takes DATABASE_DIRECT_URL before DATABASE_URL: with a transaction-pooling PgBouncer at
 * DATABASE_URL, Flyway's session advisory lock needs the server itself. Run as its own process, since the
 * default comes from the environment.
 */
class DirectDatabaseUrlMigrateTest {
    /** Nothing listens on port 1: a URL the command would fail on if it used it. */
    private static final String NOWHERE = "postgres://postgres@127.0.0.1:1/nowhere";

    @Test
    void migrate_uses_the_direct_url_when_both_are_set() throws Exception {
        String db = newDatabase("direct");
        var result = ops(Map.of("DATABASE_URL", NOWHERE, "DATABASE_DIRECT_URL", db), "migrate");
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().startsWith("applied control v1: instances and schema contract\n"), result.output());
        assertEquals("1", query(db, "SELECT min(version::int) FROM app.flyway_schema_history WHERE success"));
    }

    @Test
    void migrate_uses_database_url_when_there_is_no_direct_one() throws Exception {
        var result = ops(Map.of("DATABASE_URL", NOWHERE), "migrate");
        assertEquals(ExitCodes.ENVIRONMENT, result.exit(), result.output());
        assertTrue(result.output().contains("cannot use the database at " + NOWHERE), result.output());
    }

    private record Result(int exit, String output) {
    }

    private static Result ops(Map<String, String> env, String... arguments) throws Exception {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-javaagent") && !option.startsWith("-agentlib")) command.add(option);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Ops.class.getName()));
        command.addAll(List.of(arguments));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DATABASE_URL");
        builder.environment().remove("DATABASE_DIRECT_URL");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("ops " + String.join(" ", arguments) + " did not end: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
