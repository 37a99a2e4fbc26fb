package dev.valence.runtime.store;

import java.time.Instant;

/** A user; {@code email} is their own address (null until set), where std/email sends their vals' mail. */
public record User(long id, String name, Role role, Instant createdAt, String email) {
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
