package dev.valence.runtime.store;

import java.time.Instant;

/** A val as stored: who owns it, what kind it is, who may see it, and its latest version number. */
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
        Instant updatedAt) {

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

    public String fullName() {
        return owner + "/" + name;
    }
}
