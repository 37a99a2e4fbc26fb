package dev.valence.runtime.store;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.secrets.EnvCipher;
import dev.valence.runtime.secrets.SecretKeys;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The sweep that seals plaintext env values runs on a scheduled executor, where one Error thrown by a
 * sweep silently cancels every later one. The supervisor watches it like the other background loops:
 * it sees the schedule end, and a restart schedules sweeps that reach the database again.
 */
class EnvSealingSupervisionTest {
    @Test
    void an_error_that_ends_the_sweeps_is_seen_and_a_restart_schedules_them_again() throws Exception {
        DataSource real = TestDatabase.dataSource(TestDatabase.migratedDatabase("env_sealing_supervision"));
        var connections = new AtomicInteger();
        var failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                if (failing.getAndSet(false)) throw new StackOverflowError("thrown by the test"); // an Error, not an exception
                connections.incrementAndGet();
                return method.invoke(real, args);
            }
            return method.invoke(real, args);
        });
        var store = new EnvStore(flaky, new EnvCipher(SecretKeys.of(SecretKeys.newKeyText())));
        try (var sealing = new EnvSealing(store, 0, 50)) {
            eventually("the Error ended the scheduled sweeps", 5_000, () -> !sealing.loopAlive());
            int before = connections.get();
            Thread.sleep(300); // six sweep intervals: none runs
            assertTrue(connections.get() == before, "no sweep ran after the Error");
            sealing.restartLoop();
            assertTrue(sealing.loopAlive());
            eventually("the restarted sweeps reach the database", 5_000, () -> connections.get() > before);
        }
    }

    @Test
    void a_closed_sealer_is_not_reported_as_a_dead_loop() {
        DataSource real = TestDatabase.dataSource(TestDatabase.migratedDatabase("env_sealing_closed"));
        var sealing = new EnvSealing(new EnvStore(real, new EnvCipher(SecretKeys.of(SecretKeys.newKeyText()))), 10_000, 10_000);
        sealing.close();
        assertTrue(sealing.loopAlive(), "stopping on purpose is not a failure");
        sealing.restartLoop(); // a no-op on a closed sealer, never an exception from its shut-down executor
        assertTrue(sealing.loopAlive());
    }
}
