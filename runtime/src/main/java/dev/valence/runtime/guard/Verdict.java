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

    /**
     * The database cannot be reached, said without promising more than is known: Valence keeps
     * connecting, but whether the database comes back is up to whoever runs it.
     */
    public static Verdict unreachable(BuildInfo build, String error, Instant now) {
        return unreachableBecause(build, cannotBeReached(error), now);
    }

    /** The unreachable sentence when nothing more is known than the error. */
    public static String cannotBeReached(String error) {
        return "the database cannot be reached (" + error + "); Valence keeps trying to connect";
    }

    /** The database cannot be reached; {@code sentence} says why and what is being done about it. */
    public static Verdict unreachableBecause(BuildInfo build, String sentence, Instant now) {
        return new Verdict(false, Reason.DATABASE_UNREACHABLE, sentence, build, null, now);
    }

    /** An external database (DATABASE_URL): nothing here can restart it, so the sentence says only what Valence does. */
    public static String cannotReach(String hostAndPort, String error, long retryMs) {
        return "cannot reach the database at " + hostAndPort + " (" + error + "); Valence retries every " + seconds(retryMs);
    }

    /** The embedded database died and its supervisor is starting it again. */
    public static String embeddedRestarting(int attempt) {
        return "the embedded database stopped and is being restarted (attempt " + attempt + ")";
    }

    /** The embedded database has been down past the liveness bound: restarts keep failing, someone has to look. */
    public static String embeddedNotRestarting(long downMs, int attempts, String lastError, long retryMs) {
        return "the embedded database stopped " + seconds(downMs) + " ago and could not be restarted (" + attempts
                + " failed attempts, last: " + lastError + "); Valence keeps trying, at least every " + seconds(retryMs)
                + "; an operator should look at its log";
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
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
