package dev.valence.status.model;

/** Where an incident (first five) or a scheduled maintenance (last four) stands. */
public enum IncidentStatus {
    INVESTIGATING(Kind.INCIDENT, true),
    IDENTIFIED(Kind.INCIDENT, true),
    MONITORING(Kind.INCIDENT, true),
    RESOLVED(Kind.INCIDENT, false),
    POSTMORTEM(Kind.INCIDENT, false),
    SCHEDULED(Kind.MAINTENANCE, true),
    IN_PROGRESS(Kind.MAINTENANCE, true),
    VERIFYING(Kind.MAINTENANCE, true),
    COMPLETED(Kind.MAINTENANCE, false);

    public enum Kind {
        INCIDENT, MAINTENANCE;

        public String wire() {
            return name().toLowerCase();
        }
    }

    private final Kind kind;
    private final boolean open;

    IncidentStatus(Kind kind, boolean open) {
        this.kind = kind;
        this.open = open;
    }

    public Kind kind() {
        return kind;
    }

    /** Still going on: not resolved, not completed. */
    public boolean isOpen() {
        return open;
    }

    /** Maintenance that is happening now. */
    public boolean isActiveMaintenance() {
        return this == IN_PROGRESS || this == VERIFYING;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public String label() {
        String w = name().replace('_', ' ').toLowerCase();
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    public static IncidentStatus fromWire(String s, Kind kind) {
        for (var v : values()) if (v.wire().equals(s) && v.kind == kind) return v;
        throw new IllegalArgumentException(kind == Kind.INCIDENT
                ? "incident status must be one of investigating, identified, monitoring, resolved, postmortem; got '" + s + "'"
                : "maintenance status must be one of scheduled, in_progress, verifying, completed; got '" + s + "'");
    }

    public static IncidentStatus fromDatabase(String s) {
        return valueOf(s.toUpperCase());
    }
}
