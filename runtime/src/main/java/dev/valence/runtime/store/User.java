package dev.valence.runtime.store;

import java.time.Instant;

public record User(long id, String name, Role role, Instant createdAt) {
    public enum Role {
        ADMIN, USER;

        public String wire() {
            return name().toLowerCase();
        }

        public static Role fromWire(String s) {
            return valueOf(s.toUpperCase());
        }
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
