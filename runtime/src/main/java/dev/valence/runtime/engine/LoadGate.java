package dev.valence.runtime.engine;

import java.util.Optional;

/**
 * Whether a new val context may be made now. Asked before each invocation that would load a val's
 * module into a new context (a version that is not warm, a pool with no idle context, a script run);
 * invocations on warm contexts are never asked. The heap's high-water mark closes it while memory is short.
 */
@FunctionalInterface
public interface LoadGate {
    /** The gate that never refuses. */
    LoadGate OPEN = Optional::empty;

    /** Empty when a new context may be made; else why not, as a sentence ending in what to do. */
    Optional<String> refusal();
}
