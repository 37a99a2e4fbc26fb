package dev.valence.runtime.guard;

import java.time.Instant;

/**
 * Whether this build may run on the schema as it is: compatible iff {@code S >= M},
 * {@code floor <= L} and no migration failed. An incompatible verdict names its {@link Reason} and a
 * sentence with the versions involved and what to do.
 *
 * @param state the schema state, or null when it could not be read
 * @param since when the guard first reached this verdict
 */
public record Verdict(boolean compatible, Reason reason, String message, BuildInfo build, SchemaState state, Instant since) {

    public static Verdict starting(BuildInfo build, Instant now) {
        return new Verdict(false, Reason.STARTING,
                "the runtime is starting: it is connecting to the database and checking its schema", build, null, now);
    }

    public static Verdict unreachable(BuildInfo build, String error, Instant now) {
        return new Verdict(false, Reason.DATABASE_UNREACHABLE,
                "the database cannot be reached (" + error + "); the runtime keeps retrying and recovers by itself",
                build, null, now);
    }

    /** The verdict for a schema state, most fundamental problem first. */
    public static Verdict of(BuildInfo build, SchemaState s, Instant now) {
        int level = build.codeLevel();
        int minimum = build.codeMinimum();
        if (s.hasFailedMigration()) {
            return new Verdict(false, Reason.FAILED_MIGRATION,
                    "migration app v" + s.failedVersion() + " (" + s.failedDescription() + ") failed, so the schema is"
                            + " half applied; fix the migration, then repair the history (flyway repair) and migrate again",
                    build, s, now);
        }
        if (s.floor() > level && s.floorVersion() > s.schemaVersion()) {
            // the migration's history row is gone but its declaration stayed: say so rather than blame the schema version
            return new Verdict(false, Reason.SCHEMA_TOO_NEW,
                    "schema is at app v" + s.schemaVersion() + ", but control.schema_contract still records contract migration app v"
                            + s.floorVersion() + " (code level >= " + s.floor() + "), which app's history no longer has (undone without"
                            + " its contract row); this build is level " + level + ". If the undo really ran, delete that row (DELETE FROM"
                            + " control.schema_contract WHERE version = " + s.floorVersion() + "; ops migrate --undo removes it itself);"
                            + " otherwise deploy a build of level " + s.floor() + " or newer",
                    build, s, now);
        }
        if (s.floor() > level) {
            return new Verdict(false, Reason.SCHEMA_TOO_NEW,
                    "schema is at app v" + s.schemaVersion() + ", which requires code level >= " + s.floor()
                            + "; this build is level " + level + " (contract migration app v" + s.floorVersion()
                            + " removed what older code uses); deploy a build of level " + s.floor() + " or newer",
                    build, s, now);
        }
        if (s.schemaVersion() < minimum) {
            return new Verdict(false, Reason.SCHEMA_TOO_OLD,
                    "schema is at app v" + s.schemaVersion() + ", but this build (level " + level
                            + ") needs at least app v" + minimum + "; apply the pending migrations (ops migrate)",
                    build, s, now);
        }
        return new Verdict(true, null,
                "schema is at app v" + s.schemaVersion() + " (floor " + s.floor() + "); this build is level " + level
                        + " (minimum " + minimum + "): compatible",
                build, s, now);
    }

    /** The reason's code, or "compatible". */
    public String code() {
        return compatible ? "compatible" : reason.code();
    }

    /** Same outcome as {@code other}, ignoring the time and the wording of errors. */
    public boolean sameAs(Verdict other) {
        if (other == null || compatible != other.compatible || reason != other.reason) return false;
        if (state == null || other.state == null) return state == other.state;
        return state.equals(other.state);
    }

    Verdict since(Instant when) {
        return new Verdict(compatible, reason, message, build, state, when);
    }
}
