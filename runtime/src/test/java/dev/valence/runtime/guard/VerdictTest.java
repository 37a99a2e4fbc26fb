package dev.valence.runtime.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The verdict for every combination of schema version, floor and failure against L and M. */
class VerdictTest {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, L, M, S, floor, floorVersion, failed, expected code, expected sentence
                Arguments.of("same level", 11, 11, 11, 0, 0, null, "compatible",
                        "schema is at app v11 (floor 0); this build is level 11 (minimum 11): compatible"),
                Arguments.of("expand migrations ahead are fine", 11, 11, 13, 4, 4, null, "compatible",
                        "schema is at app v13 (floor 4); this build is level 11 (minimum 11): compatible"),
                Arguments.of("floor equal to the level", 12, 12, 12, 12, 12, null, "compatible",
                        "schema is at app v12 (floor 12); this build is level 12 (minimum 12): compatible"),
                Arguments.of("code first: M below S", 12, 11, 11, 0, 0, null, "compatible",
                        "schema is at app v11 (floor 0); this build is level 12 (minimum 11): compatible"),
                Arguments.of("contract above the level", 11, 11, 12, 12, 12, null, "schema_too_new",
                        "schema is at app v12, which requires code level >= 12; this build is level 11 (contract migration app v12"
                                + " removed what older code uses); deploy a build of level 12 or newer"),
                Arguments.of("contract recorded by an earlier version", 11, 11, 14, 13, 13, null, "schema_too_new",
                        "schema is at app v14, which requires code level >= 13; this build is level 11 (contract migration app v13"
                                + " removed what older code uses); deploy a build of level 13 or newer"),
                Arguments.of("schema behind the minimum", 12, 12, 11, 0, 0, null, "schema_too_old",
                        "schema is at app v11, but this build (level 12) needs at least app v12; apply the pending migrations (ops migrate)"),
                Arguments.of("empty database", 1, 1, 0, 0, 0, null, "schema_too_old",
                        "schema is at app v0, but this build (level 1) needs at least app v1; apply the pending migrations (ops migrate)"),
                Arguments.of("failed migration wins over everything", 11, 11, 12, 12, 12, "13", "failed_migration",
                        "migration app v13 (add index) failed, so the schema is half applied; fix the migration, then repair"
                                + " the history (flyway repair) and migrate again"),
                Arguments.of("failed migration on an otherwise fine schema", 11, 11, 11, 0, 0, "12", "failed_migration",
                        "migration app v12 (add index) failed, so the schema is half applied; fix the migration, then repair"
                                + " the history (flyway repair) and migrate again"),
                Arguments.of("a contract row left behind by an undo by hand", 3, 3, 3, 4, 4, null, "schema_too_new",
                        "schema is at app v3, but control.schema_contract still records contract migration app v4 (code level >= 4),"
                                + " which app's history no longer has (undone without its contract row); this build is level 3. If the"
                                + " undo really ran, delete that row (DELETE FROM control.schema_contract WHERE version = 4; ops migrate"
                                + " --undo removes it itself); otherwise deploy a build of level 4 or newer"),
                Arguments.of("too new wins over too old", 15, 15, 12, 16, 12, null, "schema_too_new",
                        "schema is at app v12, which requires code level >= 16; this build is level 15 (contract migration app v12"
                                + " removed what older code uses); deploy a build of level 16 or newer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict_names_the_reason_and_the_versions(String name, int level, int minimum, int schema, int floor, int floorVersion,
                                                  String failed, String code, String sentence) {
        var build = new BuildInfo(level, minimum, "test");
        var state = new SchemaState(schema, floor, floorVersion, failed, failed == null ? null : "add index");
        Verdict verdict = Verdict.of(build, state, NOW);
        assertEquals(code, verdict.code());
        assertEquals(sentence, verdict.message());
        assertEquals(code.equals("compatible"), verdict.compatible());
        assertEquals(NOW, verdict.since());
    }

    @Test
    void unreachable_and_starting_are_not_compatible() {
        var build = new BuildInfo(3, 3, "test");
        Verdict down = Verdict.unreachable(build, "Connection refused", NOW);
        assertFalse(down.compatible());
        assertEquals("database_unreachable", down.code());
        assertEquals("the database cannot be reached (Connection refused); Valence keeps trying to connect", down.message());
        assertNull(down.state());
        Verdict starting = Verdict.starting(build, NOW);
        assertEquals("starting", starting.code());
        assertFalse(starting.compatible());
    }

    @Test
    void the_unreachable_sentence_promises_a_recovery_only_when_something_works_on_one() {
        assertEquals("cannot reach the database at db.internal:5432 (Connection refused); Valence retries every 2 s",
                Verdict.cannotReach("db.internal:5432", "Connection refused", 2_000));
        assertEquals("cannot reach the database at localhost:6543 (timeout); Valence retries every 0.2 s",
                Verdict.cannotReach("localhost:6543", "timeout", 200));
        assertEquals("the embedded database stopped and is being restarted (attempt 3)", Verdict.embeddedRestarting(3));
        assertEquals("the embedded database stopped 61.5 s ago and could not be restarted (7 failed attempts, last: FATAL: no space"
                        + " left on device); Valence keeps trying, at least every 30 s; an operator should look at its log",
                Verdict.embeddedNotRestarting(61_500, 7, "FATAL: no space left on device", 30_000));
        var build = new BuildInfo(3, 3, "test");
        Verdict restarting = Verdict.unreachableBecause(build, Verdict.embeddedRestarting(1), NOW);
        assertEquals("database_unreachable", restarting.code());
        assertTrue(restarting.sameAs(Verdict.unreachable(build, "x", NOW)), "one outage, whatever it is called");
        for (String sentence : new String[] {down(build).message(), restarting.message()}) {
            assertFalse(sentence.contains("by itself"), sentence);
        }
    }

    private static Verdict down(BuildInfo build) {
        return Verdict.unreachable(build, "Connection refused", NOW);
    }

    @Test
    void same_outcome_ignores_time_and_error_wording() {
        var build = new BuildInfo(3, 3, "test");
        assertTrue(Verdict.unreachable(build, "a", NOW).sameAs(Verdict.unreachable(build, "b", NOW.plusSeconds(5))));
        var state = new SchemaState(3, 0, 0, null, null);
        assertTrue(Verdict.of(build, state, NOW).sameAs(Verdict.of(build, state, NOW.plusSeconds(1))));
        assertFalse(Verdict.of(build, state, NOW).sameAs(Verdict.of(build, new SchemaState(4, 0, 0, null, null), NOW)));
    }

    @Test
    void a_minimum_above_the_level_is_refused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new BuildInfo(3, 4, "x"));
        assertEquals("code minimum must be from 0 to the code level 3, got 4", e.getMessage());
    }

    @Test
    void this_builds_level_is_generated_from_its_migrations() throws java.io.IOException {
        var dir = java.nio.file.Path.of("../migrations/src/main/resources/db/migration/app"); // tests run in runtime/
        int highest;
        try (var files = java.nio.file.Files.list(dir)) {
            highest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        BuildInfo build = BuildInfo.current();
        assertEquals(highest, build.codeLevel(), "L is the highest app migration the build was made with");
        assertEquals(highest, build.codeMinimum(), "M defaults to L");
    }
}
