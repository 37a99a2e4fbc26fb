package dev.valence.ops.lint;

import java.util.Set;

/**
 * Function volatility as pg_proc.provolatile records it. A DEFAULT that calls a VOLATILE function makes ADD
 * COLUMN compute a value per row (a rewrite); IMMUTABLE and STABLE ones are evaluated once (PostgreSQL 11+).
 */
final class Volatility {
    /** Built-in functions PostgreSQL marks VOLATILE; now(), current_timestamp, statement_timestamp() are STABLE. */
    private static final Set<String> VOLATILE_BUILTINS = Set.of("random", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "setval", "random_normal",
            "uuidv4", "uuidv7", "currval", "lastval", "gen_random_bytes");

    private Volatility() {}

    static boolean isVolatileBuiltin(String function) {
        return VOLATILE_BUILTINS.contains(function);
    }
}
