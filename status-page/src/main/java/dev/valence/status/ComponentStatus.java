package dev.valence.status;

/** A component's status, as Statuspage names them, with how bad each is and how people read it. */
public enum ComponentStatus {
    OPERATIONAL("Operational", 0),
    UNDER_MAINTENANCE("Under Maintenance", 0),
    DEGRADED_PERFORMANCE("Degraded Performance", 1),
    PARTIAL_OUTAGE("Partial Outage", 2),
    MAJOR_OUTAGE("Major Outage", 3);

    private final String label;
    private final int severity;

    ComponentStatus(String label, int severity) {
        this.label = label;
        this.severity = severity;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public String label() {
        return label;
    }

    /** 0 (fine) to 3 (major outage): the same scale as {@link dev.valence.status.model.Indicator}. */
    public int severity() {
        return severity;
    }

    public static ComponentStatus fromWire(String s) {
        for (var v : values()) if (v.wire().equals(s)) return v;
        throw new IllegalArgumentException("component status must be one of operational, degraded_performance,"
                + " partial_outage, major_outage, under_maintenance; got '" + s + "'");
    }
}
