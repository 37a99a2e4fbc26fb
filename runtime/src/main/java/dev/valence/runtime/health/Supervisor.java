package dev.valence.runtime.health;

import dev.valence.runtime.lifecycle.Supervised;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the platform's background loops when one stops. Each loop survives the failures it
 * expects (a lost connection, a failed query); an {@link Error} (a stack overflow, a linkage error,
 * an OutOfMemoryError in a JVM that does not exit on one) ends its thread or cancels its scheduled
 * task. A JVM that ran out of memory cannot be trusted, so production runs exit on it and are
 * restarted from outside; this supervisor covers everything else. It looks every second; a stopped
 * loop is restarted after 1 s, then 2, 4 ... up to 30 s while it keeps stopping, and until it runs
 * again {@link #problems()} names it, which makes {@code /healthz} answer 503.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration LONGEST_BACKOFF = Duration.ofSeconds(30);
    /** How long a loop must run again before its backoff starts over. */
    private static final Duration STABLE = Duration.ofMinutes(1);

    /** One stopped loop, as /healthz reports it. */
    public record Problem(String loop, Instant stoppedAt, int restarts, String sentence) {}

    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final long checkMs;
    private final Thread thread;
    private volatile boolean running = true;

    public Supervisor() {
        this(Duration.ofSeconds(1));
    }

    Supervisor(Duration checkInterval) {
        this.checkMs = checkInterval.toMillis();
        this.thread = Thread.ofPlatform().daemon().name("valence-supervisor").start(this::loop);
    }

    /**
     * Watches a loop by name ("schema guard"): {@code alive} says whether it runs (true also when it was
     * stopped on purpose), {@code restart} starts it again and must do nothing when it already runs.
     */
    public void watch(String name, BooleanSupplier alive, Runnable restart) {
        watched.put(name, new Watched(name, alive, restart));
    }

    /** Watches a loop that says itself whether it runs and how it starts again. */
    public void watch(String name, Supervised loop) {
        watch(name, loop::loopAlive, loop::restartLoop);
    }

    /** The loops that are not running now (checked as this is called), oldest stop first; empty when all run. */
    public List<Problem> problems() {
        var problems = new ArrayList<Problem>();
        if (running && !thread.isAlive()) {
            problems.add(new Problem("supervisor", Instant.now(), 0,
                    "The supervisor of the background threads stopped; nothing restarts them now: restart the process."));
        }
        for (Watched w : watched.values()) {
            if (w.isAlive()) continue;
            Instant stoppedAt = w.stoppedAt == null ? Instant.now() : w.stoppedAt;
            problems.add(new Problem(w.name, stoppedAt, w.restarts, "The " + w.name + " thread stopped at " + stoppedAt
                    + (w.restarts == 0 ? "" : w.restarts == 1 ? " (restarted once before)" : " (restarted " + w.restarts + " times before)")
                    + "; it is being restarted."));
        }
        problems.sort(java.util.Comparator.comparing(Problem::stoppedAt));
        return problems;
    }

    private void loop() {
        while (running) {
            for (Watched w : watched.values()) {
                try {
                    w.check();
                } catch (RuntimeException e) {
                    log.error("Could not restart the {} thread: {}", w.name, e.toString());
                }
            }
            try {
                Thread.sleep(checkMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A watched loop and what the supervisor knows of its stops; touched only by the supervisor's thread except for reads. */
    private static final class Watched {
        final String name;
        final BooleanSupplier alive;
        final Runnable restart;
        volatile Instant stoppedAt;
        volatile int restarts;
        long restartAtNs;
        long restartedNs;
        long backoffMs = FIRST_BACKOFF.toMillis();

        Watched(String name, BooleanSupplier alive, Runnable restart) {
            this.name = name;
            this.alive = alive;
            this.restart = restart;
        }

        boolean isAlive() {
            try {
                return alive.getAsBoolean();
            } catch (RuntimeException e) {
                return false;
            }
        }

        void check() {
            long now = System.nanoTime();
            if (isAlive()) {
                stoppedAt = null;
                if (restarts > 0 && now - restartedNs > STABLE.toNanos()) backoffMs = FIRST_BACKOFF.toMillis();
                return;
            }
            if (stoppedAt == null) {
                stoppedAt = Instant.now();
                restartAtNs = now + backoffMs * 1_000_000L;
                log.error("The {} thread stopped; restarting it in {} ms", name, backoffMs);
                return;
            }
            if (now < restartAtNs) return;
            restarts++;
            restartedNs = now;
            restartAtNs = now + backoffMs * 1_000_000L; // if the restart did not take, the next try waits as long
            backoffMs = Math.min(backoffMs * 2, LONGEST_BACKOFF.toMillis());
            restart.run();
            log.warn("Restarted the {} thread (restart {} since the process started)", name, restarts);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
