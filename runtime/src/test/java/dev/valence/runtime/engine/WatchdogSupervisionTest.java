package dev.valence.runtime.engine;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's sampler enforces every invocation's deadline and memory limit from one task that a
 * scheduler repeats every few milliseconds; one Error thrown by a sample (here by the JVM's allocation
 * counter it reads) cancels every later sample, and with them every limit. The supervisor sees the
 * sampler stopped, and a restart has it stop an invocation past its deadline again.
 */
class WatchdogSupervisionTest {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static JsEngine engine;

    @BeforeAll
    static void start() {
        engine = new JsEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void an_error_that_ends_the_sampler_is_seen_and_the_restarted_sampler_stops_an_invocation_past_its_deadline() throws Exception {
        var failing = new AtomicBoolean();
        LongUnaryOperator allocated = threadId -> {
            if (failing.getAndSet(false)) throw new StackOverflowError("thrown by the test"); // an Error, not an exception
            return THREADS.getThreadAllocatedBytes(threadId);
        };
        try (var watchdog = new Watchdog(allocated)) {
            var running = new ValContext(engine, 1024);
            var late = new ValContext(engine, 1024);
            Watchdog.Watch withinLimits = watchdog.watch(running, 600_000, Long.MAX_VALUE); // each sample reads its allocations
            failing.set(true);
            eventually("the Error ended the sampler", 30_000, () -> !watchdog.sampler().loopAlive());

            Watchdog.Watch pastDeadline = watchdog.watch(late, 0, Long.MAX_VALUE);
            watchdog.sampler().restartLoop();
            assertTrue(watchdog.sampler().loopAlive(), "the sampler runs again");
            eventually("the restarted sampler stops the invocation past its deadline", 30_000, pastDeadline::cancelled);
            assertEquals(Watchdog.Cause.TIMEOUT, pastDeadline.cause());
            assertFalse(withinLimits.cancelled(), "an invocation within its limits goes on");
            assertTrue(withinLimits.finish(), "and finishes within them");
            running.close();
        }
    }
}
