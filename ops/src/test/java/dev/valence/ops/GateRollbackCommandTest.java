package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.WITH_CONTRACT;
import static dev.valence.ops.OpsTestSupport.heartbeat;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GateRollbackCommandTest {
    /** Migrated through app v900, a contract migration with floor 2. */
    private static String contracted;

    @BeforeAll
    static void migrateThroughTheContractMigration() {
        contracted = newDatabase("gate");
        assertEquals(ExitCodes.OK, run("migrate", "--database", contracted, WITH_CONTRACT).exit());
        heartbeat(contracted, "runtime-old", "x", "build-level-1", 1, 600);
    }

    @Test
    void rollback_to_a_level_that_can_run_on_the_schema_answers_yes_with_the_guards_sentence() {
        var result = run("gate", "rollback", "--to", "900", "--database", contracted);

        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("""
                rollback to code level 900 (minimum 900):
                yes (compatible): schema is at app v900 (floor 900); this build is level 900 (minimum 900): compatible
                """, result.out());
    }

    @Test
    void rollback_to_a_level_below_a_contract_floor_answers_no_with_the_guards_sentence() {
        var result = run("gate", "rollback", "--to", "1", "--database", contracted);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("""
                rollback to code level 1 (minimum 1):
                no (schema_too_new): schema is at app v900, which requires code level >= 900; this build is level 1 (contract migration \
                app v900 removed what older code uses); deploy a build of level 900 or newer
                """, result.out());
    }

    @Test
    void rollback_to_a_build_whose_minimum_is_above_the_schema_answers_no_because_the_schema_is_too_old() {
        var result = run("gate", "rollback", "--to", "901", "--minimum", "901", "--database", contracted);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("""
                rollback to code level 901 (minimum 901):
                no (schema_too_old): schema is at app v900, but this build (level 901) needs at least app v901; apply the pending migrations (ops migrate)
                """, result.out());
    }

    @Test
    void rollback_to_a_build_id_looks_up_its_level_in_control_instances() {
        var result = run("gate", "rollback", "--to", "build-level-1", "--database", contracted);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("""
                rollback to build build-level-1: code level 1, minimum 1 (from control.instances):
                no (schema_too_new): schema is at app v900, which requires code level >= 900; this build is level 1 (contract migration \
                app v900 removed what older code uses); deploy a build of level 900 or newer
                """, result.out());
    }

    @Test
    void rollback_to_an_unknown_build_says_so_and_exits_3() {
        var result = run("gate", "rollback", "--to", "nobody-ran-this", "--database", contracted);

        assertEquals(ExitCodes.ENVIRONMENT, result.exit());
        assertEquals("", result.out());
        assertEquals("error: build nobody-ran-this is unknown: no instance in control.instances has run it (an instance's row goes"
                + " when it stops cleanly); pass its code level instead: --to LEVEL\n", result.err());
    }

    @Test
    void rollback_on_an_unreachable_database_exits_3_naming_the_address_without_its_password() {
        var result = run("gate", "rollback", "--to", "1", "--database", "postgres://ops:secret@127.0.0.1:1/valence");

        assertEquals(ExitCodes.ENVIRONMENT, result.exit());
        assertEquals(true, result.err().startsWith("error: cannot use the database at postgres://ops:***@127.0.0.1:1/valence ("), result.err());
        assertEquals(false, result.err().contains("secret"), result.err());
    }
}
