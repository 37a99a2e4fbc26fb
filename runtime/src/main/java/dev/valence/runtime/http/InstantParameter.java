package dev.valence.runtime.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A query parameter holding a point in time, as the API's list filters ({@code since}, {@code before}) take it. */
final class InstantParameter {
    /** What the database's timestamps can hold and a person means: years 1 to 9999 (Java's instants reach a billion). */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private InstantParameter() {
    }

    /** The instant in {@code raw}, null when absent; a 400 naming the parameter when it is not an ISO-8601 instant in range. */
    static Instant parse(String raw, String name) {
        if (raw == null) return null;
        Instant instant;
        try {
            instant = Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '" + raw + "'.");
        }
        if (!inRange(instant)) throw ApiError.badRequest("'" + name + "' must be between the years 1 and 9999, got '" + raw + "'.");
        return instant;
    }

    static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
