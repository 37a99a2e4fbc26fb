package dev.valence.status.model;

import java.time.Instant;

public record Page(String id, String name, String url, String timeZone, Instant updatedAt) {}
