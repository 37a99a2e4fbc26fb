package dev.valence.status.model;

import dev.valence.status.Impact;
import java.time.Instant;
import java.util.List;

/** An incident or a scheduled maintenance, with its components and updates (newest first). */
public record Incident(
        String id,
        String pageId,
        IncidentStatus.Kind kind,
        String name,
        IncidentStatus status,
        Impact impact,
        String automationKey,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant monitoringAt,
        Instant resolvedAt,
        Instant scheduledFor,
        Instant scheduledUntil,
        List<String> componentIds,
        List<IncidentUpdate> updates) {

    public boolean isOpen() {
        return status.isOpen();
    }

    public boolean isMaintenance() {
        return kind == IncidentStatus.Kind.MAINTENANCE;
    }
}
