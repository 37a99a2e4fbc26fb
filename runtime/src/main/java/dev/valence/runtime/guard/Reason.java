package dev.valence.runtime.guard;

/**
 * Why the schema and this build's code cannot run together. Each reason has a stable code for
 * machines (metrics, the fallback's JSON, the deploy gates) and is turned into a sentence naming the
 * versions involved by {@link Verdict}.
 */
public enum Reason {
    /** The runtime has not finished its first check yet. */
    STARTING("starting"),
    /** S is below M: migrations this build needs have not been applied. */
    SCHEMA_TOO_OLD("schema_too_old"),
    /** The floor is above L: a contract migration removed what this build's code uses. */
    SCHEMA_TOO_NEW("schema_too_new"),
    /** A migration failed: the schema is half applied. */
    FAILED_MIGRATION("failed_migration"),
    /** The database cannot be reached, so nothing can be known or done. */
    DATABASE_UNREACHABLE("database_unreachable");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
