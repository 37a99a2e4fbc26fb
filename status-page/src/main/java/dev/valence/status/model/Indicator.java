package dev.valence.status.model;

/**
 * The page's overall status ({@code status.indicator} and its description), derived from the worst of:
 * component statuses, the impact of unresolved incidents, and active maintenance.
 */
public enum Indicator {
    NONE("All Systems Operational"),
    MINOR("Minor Service Outage"),
    MAJOR("Partial System Outage"),
    CRITICAL("Major Service Outage");

    public static final String MAINTENANCE_DESCRIPTION = "Service Under Maintenance";

    private final String description;

    Indicator(String description) {
        this.description = description;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public String description() {
        return description;
    }

    public static Indicator ofSeverity(int severity) {
        return values()[Math.max(0, Math.min(3, severity))];
    }
}
