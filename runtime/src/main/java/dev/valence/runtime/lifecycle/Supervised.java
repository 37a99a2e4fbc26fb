package dev.valence.runtime.lifecycle;

/**
 * A background loop that an error can end and that can be started again: what the supervisor
 * ({@code health.Supervisor}) asks every second and restarts when it stopped.
 */
public interface Supervised {
    /** Whether the loop runs; also true before it started and after it was stopped on purpose. */
    boolean loopAlive();

    /** Starts the loop again after something ended it; does nothing while it runs or once it was stopped on purpose. */
    void restartLoop();
}
