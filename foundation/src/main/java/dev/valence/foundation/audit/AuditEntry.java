package dev.valence.foundation.audit;

import java.time.Instant;

/**
 * One recorded change.
 *
 * @param actor     the user's name, or the team token's name when {@code actorKind} is {@link ActorKind#TEAM}
 * @param action    what happened, as {@code noun.verb}: {@code val.create}, {@code env.delete}, {@code incident.update}, ...
 * @param target    what it happened to: {@code ann/hello}, a token id, an env key, an incident id
 * @param address   the client address the request came from (null when unknown)
 * @param detail    a short note (what changed), or null
 */
public record AuditEntry(long id, Instant at, String actor, ActorKind actorKind, String action, String target, String address,
                         String detail) {

    /** Whose credentials made the change: a val author's API token or a status-page team token. */
    public enum ActorKind {
        USER("user"), TEAM("team");

        private final String wire;

        ActorKind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static ActorKind fromWire(String wire) {
            for (ActorKind kind : values()) {
                if (kind.wire.equals(wire)) return kind;
            }
            return null;
        }
    }
}
