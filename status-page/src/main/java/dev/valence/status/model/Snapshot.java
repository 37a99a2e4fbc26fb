package dev.valence.status.model;

import dev.valence.status.ComponentStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the status page shows, read in one go. Every read endpoint renders from a snapshot in
 * memory, so reads cost no query and keep working (with a visible "as of") when the database is gone.
 *
 * @param incidents incidents and maintenance, newest first: all open ones plus the recent closed ones
 * @param uptime per component id, the last 90 days, oldest first
 * @param takenAt when it was read from the database
 */
public record Snapshot(
        Page page,
        List<Component> components,
        List<Incident> incidents,
        Map<String, List<UptimeDay>> uptime,
        Instant takenAt) {

    public Optional<Component> component(String id) {
        return components.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public List<Incident> incidentsOnly() {
        return incidents.stream().filter(i -> !i.isMaintenance()).toList();
    }

    public List<Incident> unresolvedIncidents() {
        return incidentsOnly().stream().filter(Incident::isOpen).toList();
    }

    public List<Incident> maintenances() {
        return incidents.stream().filter(Incident::isMaintenance).toList();
    }

    public List<Incident> upcomingMaintenances() {
        return maintenances().stream().filter(m -> m.status() == IncidentStatus.SCHEDULED)
                .sorted(Comparator.comparing(Incident::scheduledFor)).toList();
    }

    public List<Incident> activeMaintenances() {
        return maintenances().stream().filter(m -> m.status().isActiveMaintenance()).toList();
    }

    /** The latest change anywhere on the page: what {@code page.updated_at} reports. */
    public Instant lastChange() {
        Instant latest = page.updatedAt();
        for (Component c : components) if (c.updatedAt().isAfter(latest)) latest = c.updatedAt();
        for (Incident i : incidents) if (i.updatedAt().isAfter(latest)) latest = i.updatedAt();
        return latest;
    }

    /** The overall indicator: the worst component status or unresolved incident impact. */
    public Indicator indicator() {
        int worst = 0;
        for (Component c : components) if (!c.group()) worst = Math.max(worst, c.status().severity());
        for (Incident i : unresolvedIncidents()) worst = Math.max(worst, i.impact().severity());
        return Indicator.ofSeverity(worst);
    }

    public String description() {
        Indicator indicator = indicator();
        boolean maintenance = !activeMaintenances().isEmpty()
                || components.stream().anyMatch(c -> c.status() == ComponentStatus.UNDER_MAINTENANCE);
        return indicator == Indicator.NONE && maintenance ? Indicator.MAINTENANCE_DESCRIPTION : indicator.description();
    }
}
