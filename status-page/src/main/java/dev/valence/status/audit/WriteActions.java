package dev.valence.status.audit;

import java.util.Map;

/** The audit action of each status-page write route, by method and route path. */
public final class WriteActions {
    private static final Map<String, String> ACTIONS = Map.of(
            "POST /api/v2/incidents", "incident.create",
            "POST /api/v2/incidents/:id/updates", "incident.update",
            "POST /api/v2/incidents/:id/resolve", "incident.resolve",
            "PATCH /api/v2/components/:id", "component.update",
            "POST /api/v2/scheduled-maintenances", "maintenance.create",
            "POST /api/v2/scheduled-maintenances/:id/start", "maintenance.start",
            "POST /api/v2/scheduled-maintenances/:id/complete", "maintenance.complete",
            "POST /api/v2/team-tokens", "team-token.create",
            "POST /api/v2/team-tokens/:id/rotate", "team-token.rotate",
            "DELETE /api/v2/team-tokens/:id", "team-token.revoke");

    private WriteActions() {}

    /** The action for a route; a route added without one is still recorded, under its method and path. */
    public static String of(String method, String path) {
        return ACTIONS.getOrDefault(method + " " + path, method + " " + path);
    }
}
