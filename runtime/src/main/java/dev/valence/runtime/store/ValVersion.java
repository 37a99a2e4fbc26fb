package dev.valence.runtime.store;

import java.time.Instant;

/** One immutable saved version of a val's code. */
public record ValVersion(long valId, int version, String code, Instant createdAt) {}
