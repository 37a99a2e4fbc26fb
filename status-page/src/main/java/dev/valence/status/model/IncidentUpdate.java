package dev.valence.status.model;

import java.time.Instant;

/** One entry of an incident's timeline. {@code affectedComponentsJson} is a JSON array as Statuspage sends it. */
public record IncidentUpdate(
        String id,
        String incidentId,
        IncidentStatus status,
        String body,
        String affectedComponentsJson,
        boolean deliverNotifications,
        Instant createdAt,
        Instant updatedAt,
        Instant displayAt) {}
