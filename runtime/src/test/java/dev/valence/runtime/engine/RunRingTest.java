package dev.valence.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.store.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The ring the run recorder's writer drains: every run offered comes out once, whole, in order; a full ring refuses. */
class RunRingTest {
    private static final Instant STARTED = Instant.parse("2026-12-06T17:00:00.123456789Z");

    @Test
    void a_run_comes_out_with_every_field_it_went_in_with() {
        var ring = new RunRing(4);
        assertTrue(ring.offer(7, 11, 3, Run.Trigger.HTTP, Run.Outcome.ERROR, 500, STARTED, 1.25, "[log] hi", "Error: no"));
        assertTrue(ring.offer(8, 12, 1, Run.Trigger.CRON, Run.Outcome.SUCCESS, -1, STARTED, 0.5, "", null));
        var out = new ArrayList<Run>();
        assertEquals(2, ring.drainTo(out, 10, false));
        assertEquals(new Run(7, 11, 3, Run.Trigger.HTTP, Run.Outcome.ERROR, 500, STARTED, 1.25, "[log] hi", "Error: no"), out.get(0));
        assertEquals(new Run(8, 12, 1, Run.Trigger.CRON, Run.Outcome.SUCCESS, null, STARTED, 0.5, "", null), out.get(1));
        assertNull(out.get(1).httpStatus(), "a run without a status keeps none");
        assertTrue(ring.isEmpty());
    }

    @Test
    void a_full_ring_refuses_a_run_until_the_writer_took_some_and_then_reuses_their_slots() {
        var ring = new RunRing(3);
        for (int i = 1; i <= 3; i++) assertTrue(ring.offer(i, 1, 1, Run.Trigger.HTTP, Run.Outcome.SUCCESS, 200, STARTED, 1, "", null));
        assertFalse(ring.offer(4, 1, 1, Run.Trigger.HTTP, Run.Outcome.SUCCESS, 200, STARTED, 1, "", null), "three wait already");
        assertEquals(3, ring.waiting());

        var out = new ArrayList<Run>();
        assertEquals(2, ring.drainTo(out, 2, false), "a drain takes at most what it is asked for");
        assertTrue(ring.offer(5, 1, 1, Run.Trigger.HTTP, Run.Outcome.SUCCESS, 201, STARTED, 1, "", null));
        assertTrue(ring.offer(6, 1, 1, Run.Trigger.HTTP, Run.Outcome.SUCCESS, 202, STARTED, 1, "", null));
        assertFalse(ring.offer(7, 1, 1, Run.Trigger.HTTP, Run.Outcome.SUCCESS, 200, STARTED, 1, "", null));
        assertEquals(3, ring.drainTo(out, 10, true));
        assertEquals(List.of(1L, 2L, 3L, 5L, 6L), out.stream().map(Run::id).toList(), "in the order offered; 4 and 7 were refused");
        assertEquals(202, out.get(4).httpStatus(), "a reused slot holds the new run's fields");
    }

    @Test
    void runs_offered_by_many_threads_while_the_writer_drains_each_come_out_exactly_once() throws InterruptedException {
        int threads = 4;
        int perThread = 50_000;
        var ring = new RunRing(1000); // far smaller than what passes through: slots are reused many times
        var start = new CountDownLatch(1);
        var producers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            producers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long id = (long) thread * perThread + i;
                    // a full ring refuses: this producer offers again until the writer made room
                    while (!ring.offer(id, thread, i, Run.Trigger.HTTP, Run.Outcome.SUCCESS, 200 + thread, STARTED, i, "log " + id, null)) {
                        Thread.yield();
                    }
                }
            }));
        }
        start.countDown();
        var out = new ArrayList<Run>(threads * perThread);
        while (out.size() < threads * perThread) {
            if (ring.drainTo(out, 2000, false) == 0) Thread.yield();
        }
        for (Thread producer : producers) producer.join();

        assertTrue(ring.isEmpty());
        Set<Long> seen = new HashSet<>();
        long[] lastOfThread = {-1, -1, -1, -1};
        for (Run run : out) {
            assertTrue(seen.add(run.id()), "run " + run.id() + " came out twice");
            int thread = (int) run.valId();
            assertEquals(run.id(), (long) thread * perThread + run.version(), "the fields of one run stay together");
            assertEquals("log " + run.id(), run.logs());
            assertEquals(200 + thread, run.httpStatus());
            assertTrue(run.id() > lastOfThread[thread], "one thread's runs come out in the order it offered them");
            lastOfThread[thread] = run.id();
        }
        assertEquals(threads * perThread, seen.size());
    }
}
