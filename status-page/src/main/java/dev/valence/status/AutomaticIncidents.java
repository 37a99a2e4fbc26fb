package dev.valence.status;

import dev.valence.status.model.IncidentStatus;
import dev.valence.status.store.StatusStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents the platform opens and resolves by itself. Each cause has a key; the database allows
 * one open incident per key (a unique index), so many instances noticing the same cause open one
 * incident between them. Components are named by their automation keys ("http_vals").
 */
public final class AutomaticIncidents {
    private final StatusStore store;

    AutomaticIncidents(StatusStore store) {
        this.store = store;
    }

    /** A cause: its key, the incident's name, impact and first update, and the components it affects. */
    public record Cause(String key, String name, Impact impact, String body, Map<String, ComponentStatus> components) {}

    /** Opens the cause's incident unless one is open already; returns the new incident's id. */
    public Optional<String> open(Cause cause) {
        return store.createIncident(new StatusStore.NewIncident(cause.name(), IncidentStatus.INVESTIGATING, cause.impact(),
                byId(cause.components()), cause.body(), cause.key(), null, null, "valence"));
    }

    /** Resolves the cause's open incident with a last update and sets its components back; false when none was open. */
    public boolean resolve(String key, String body, Map<String, ComponentStatus> components) {
        return store.resolveAutomatic(key, body, byId(components));
    }

    /** Adds an update to the cause's open incident unless its latest update says the same; false when nothing was added. */
    public boolean update(String key, String body) {
        return store.updateAutomatic(key, body);
    }

    public List<String> openKeys() {
        return store.openAutomationKeys();
    }

    private Map<String, ComponentStatus> byId(Map<String, ComponentStatus> byKey) {
        Map<String, String> ids = store.componentIdsByKey();
        var result = new LinkedHashMap<String, ComponentStatus>();
        byKey.forEach((key, status) -> {
            String id = ids.get(key);
            if (id != null) result.put(id, status);
        });
        return result;
    }
}
