package dev.valence.runtime.guard;

import java.time.Instant;

/** The guard moved from one verdict to another. {@code detectionMs} is the time since the change was made, when known (else -1). */
public record Transition(Instant at, Verdict from, Verdict to, long detectionMs) {}
