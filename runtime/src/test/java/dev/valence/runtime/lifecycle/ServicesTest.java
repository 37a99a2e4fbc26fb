package dev.valence.runtime.lifecycle;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The order of a stop that comes while the services are still starting (a SIGTERM during start-up). */
class ServicesTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private Service recorded(String name, CountDownLatch mayFinishStarting) {
        return Service.blocking(name, () -> {
            events.add("start " + name);
            mayFinishStarting.await();
            events.add("started " + name);
        }, () -> events.add("stop " + name));
    }

    @Test
    void a_stop_during_a_start_waits_for_the_service_starting_starts_none_after_it_and_stops_the_started_ones_in_reverse() throws Exception {
        var open = new CountDownLatch(0);
        var database = new CountDownLatch(1);
        var services = new Services(List.of(recorded("port", open), recorded("database", database), recorded("routes", open)));
        CompletableFuture<Void> all = services.start();
        eventually("the database service to be starting", 30_000, () -> events.contains("start database"));

        Thread stopper = Thread.ofPlatform().name("stopper").start(() -> services.stop(Duration.ofSeconds(60)));
        eventually("the stop to wait (or to be over)", 30_000, () -> stopper.getState() == Thread.State.TIMED_WAITING || !stopper.isAlive());
        assertEquals(List.of("start port", "started port", "start database"), List.copyOf(events), "nothing stopped while the database starts");
        database.countDown();
        stopper.join(30_000);
        assertTrue(!stopper.isAlive(), "the stop ended once the start it waited for had");

        assertEquals(List.of("start port", "started port", "start database", "started database", "stop database", "stop port"),
                List.copyOf(events), "the start under way ended before its stop; routes never started");
        var failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> all.get(30, TimeUnit.SECONDS));
        assertTrue(failure.getCause().getMessage().contains("Service routes was not started: the runtime is stopping"), failure.toString());
    }
}
