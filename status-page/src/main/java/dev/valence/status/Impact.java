package dev.valence.status;

/** How bad an incident is (maintenance has its own impact, as in Statuspage). */
public enum Impact {
    NONE(0), MINOR(1), MAJOR(2), CRITICAL(3), MAINTENANCE(0);

    private final int severity;

    Impact(int severity) {
        this.severity = severity;
    }

    public int severity() {
        return severity;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static Impact fromWire(String s) {
        for (var v : values()) if (v != MAINTENANCE && v.wire().equals(s)) return v;
        throw new IllegalArgumentException("impact must be one of none, minor, major, critical; got '" + s + "'");
    }

    public static Impact fromDatabase(String s) {
        return valueOf(s.toUpperCase());
    }
}
