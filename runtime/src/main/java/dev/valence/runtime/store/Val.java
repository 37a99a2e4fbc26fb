package dev.valence.runtime.store;

import java.time.Instant;

/**
 * A val as stored: who owns it, what kind it is, who may see it, its latest version number, and what
 * strangers see of its errors ({@code publicErrors}, null for the operator's default).
 */
public record Val(
        long id,
        long ownerId,
        String owner,
        String name,
        Type type,
        Privacy privacy,
        String schedule,
        int latestVersion,
        Instant createdAt,
        Instant updatedAt,
        ErrorDetail publicErrors) {

    public enum Type {
        HTTP, CRON, SCRIPT, EMAIL;

        public String wire() {
            return name().toLowerCase();
        }

        public static Type fromWire(String s) {
            return valueOf(s.toUpperCase());
        }
    }

    public enum Privacy {
        PUBLIC, UNLISTED, PRIVATE;

        public String wire() {
            return name().toLowerCase();
        }

        public static Privacy fromWire(String s) {
            return valueOf(s.toUpperCase());
        }
    }

    /**
     * How much of a failed run's error an answer shows to a caller other than the val's owner: BRIEF
     * the code and the run id, FULL also the val's own message and stack (env values masked either way).
     */
    public enum ErrorDetail {
        BRIEF, FULL;

        public String wire() {
            return name().toLowerCase();
        }

        public static ErrorDetail fromWire(String s) {
            return valueOf(s.toUpperCase());
        }
    }

    public String fullName() {
        return owner + "/" + name;
    }
}
