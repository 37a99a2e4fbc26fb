package dev.valence.runtime;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A SIGTERM that comes while the runtime is still starting: the process must not end with its start
 * half done. It waits for the service that is starting, starts none after it, stops what started in
 * reverse (the port drains as in any stop) and leaves no PostgreSQL process behind. Run as a real
 * process, with the embedded PostgreSQL making a new cluster (initdb, the first start: seconds).
 */
class StopWhileStartingTest {
    private static final long SHUTDOWN_GRACE_MS = 30_000;

    @Test
    void a_sigterm_while_the_embedded_database_is_made_waits_for_it_then_stops_everything_and_leaves_no_postgres_running() throws Exception {
        Path dir = TestDatabase.tempDir("valence-stop-while-starting");
        Path data = dir.resolve("data");
        var env = Map.of("VALENCE_DATA_DIR", data.toString(), "INSTANCE_ID", "stop-while-starting", "STATUS_PORT", "0",
                "BIND_HOST", "127.0.0.1", "SHUTDOWN_GRACE_MS", Long.toString(SHUTDOWN_GRACE_MS), "SHUTDOWN_DELAY_MS", "0");
        try (var replica = ReplicaProcess.launch(Ports.free(), env, dir.resolve("replica.log"))) {
            // initdb or the postmaster runs on its data folder: the database service is starting
            eventually("a PostgreSQL process on " + data, 120_000, () -> !postgresProcesses(data).isEmpty());

            int exit = replica.terminate(Duration.ofMillis(SHUTDOWN_GRACE_MS));
            String log = Files.readString(replica.log);
            assertFalse(log.contains("Valence is serving"), "the SIGTERM came while the runtime started: " + log);
            assertEquals(143, exit, "it ended on SIGTERM after its shutdown hook, as any stop does: " + log);
            assertTrue(log.contains("Services - Stopping while service engine-and-database starts: waiting for its start to end"), log);
            assertTrue(log.contains("Valence - Valence stopped ("), log);
            assertEquals(List.of(), postgresProcesses(data), "no PostgreSQL process of its data folder is left: " + log);
            assertFalse(Files.exists(data.resolve("postgres").resolve("postmaster.pid")), "PostgreSQL was stopped, not left or killed: " + log);
        }
    }

    /** The processes on this machine whose command line names {@code data}: initdb, pg_ctl, the postmaster. */
    private static List<String> postgresProcesses(Path data) {
        String folder = data.toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(line -> line.contains(folder) && !line.contains(" dev.valence.runtime.Main"))
                .toList();
    }
}
