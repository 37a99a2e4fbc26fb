package dev.valence.ops;

import static dev.valence.ops.OpsTestSupport.WITH_CONTRACT;
import static dev.valence.ops.OpsTestSupport.heartbeat;
import static dev.valence.ops.OpsTestSupport.migratePackaged;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PlanCommandTest {

    @Test
    void plan_lists_pending_control_then_app_migrations_with_their_declarations() {
        String db = newDatabase("plan");

        var result = run("plan", "--database", db, WITH_CONTRACT);

        assertEquals("", result.err());
        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("""
                Pending migrations (control is at v0, app at v0):
                  control v1  instances and schema contract (control: expand-only)
                  control v2  schema change notifications and held work (control: expand-only)
                  control v3  status page (control: expand-only)
                  control v4  webhooks (control: expand-only)
                  control v5  cron schedule and trigger results (control: expand-only)
                  control v6  sessions (control: expand-only)
                  control v7  audit log (control: expand-only)
                  app v1      users vals runs (expand, min code level 0)
                  app v2      compiled code and imports (expand, min code level 0)
                  app v3      run groups (expand, min code level 0)
                  app v4      manual runs and env notices (expand, min code level 0)
                  app v5      user email (expand, min code level 0)
                  app v6      val public errors (expand, min code level 0)
                  app v7      sealed env values (expand, min code level 0)
                  app v8      npm packages (expand, min code level 0)
                  app v900    test contract (contract, min code level 900)
                Nothing blocks: no live instance (heartbeat within 10 s) runs code below a pending contract migration's floor; migrate would apply all 16.
                """, result.out());
    }

    @Test
    void plan_names_the_live_instances_that_block_a_contract_migration_and_exits_1() {
        String db = newDatabase("plan");
        migratePackaged(db);
        heartbeat(db, "runtime-a", "x", "abc", 1, 2);
        heartbeat(db, "runtime-b", "y", "def", 900, 1);

        var result = run("plan", "--database", db, WITH_CONTRACT);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("""
                Pending migrations (control is at v7, app at v8):
                  app v900  test contract (contract, min code level 900)
                Blocked:
                  app v900 (contract, needs code level >= 900): runtime-a (host x, build abc, level 1, seen 2 s ago)
                migrate would apply 0 of 1 and stop before app v900; deploy code of level 900 everywhere first, or pass --force.
                """, result.out());
    }

    @Test
    void plan_in_json_gives_each_pending_migration_and_each_blocking_instance() {
        String db = newDatabase("plan");
        migratePackaged(db);
        heartbeat(db, "runtime-a", "x", "abc", 1, 2);

        var result = run("plan", "--database", db, WITH_CONTRACT, "--format", "json");

        assertEquals(ExitCodes.REFUSED, result.exit());
        var json = new JsonObject(result.out());
        assertEquals(new JsonObject().put("control", "7").put("app", "8"), json.getJsonObject("current"));
        assertEquals(new JsonArray().add(new JsonObject().put("schema", "app").put("version", "900").put("description", "test contract")
                .put("script", "V900__test_contract.sql").put("kind", "contract").put("min_code_level", 900)), json.getJsonArray("pending"));
        assertEquals(new JsonArray().add(new JsonObject().put("schema", "app").put("version", "900").put("min_code_level", 900)
                .put("instances", new JsonArray().add(new JsonObject().put("id", "runtime-a").put("host", "x").put("build", "abc")
                        .put("code_level", 1).put("code_minimum", 1).put("seen_seconds_ago", 2)))
                .put("message", "refused: app v900 is a contract migration that needs code level >= 900; live instances below it:"
                        + " runtime-a (host x, build abc, level 1, seen 2 s ago). Deploy code of level 900 everywhere first, or pass --force.")),
                json.getJsonArray("blocked"));
        assertEquals(new JsonArray(), json.getJsonArray("would_apply"));
    }

    @Test
    void plan_says_nothing_is_pending_on_a_migrated_database() {
        String db = newDatabase("plan");
        migratePackaged(db);

        var result = run("plan", "--database", db);

        assertEquals(ExitCodes.OK, result.exit());
        assertEquals("Nothing pending: control is at v7, app at v8.\n", result.out());
    }

    @Test
    void plan_without_a_database_is_a_usage_error_that_names_the_option_and_the_variable() {
        var result = run("plan", "--database", "");

        assertEquals(ExitCodes.USAGE, result.exit());
        assertEquals("No database: pass --database URL or set DATABASE_URL (postgres://user:pass@host:5432/db).",
                result.err().lines().findFirst().orElseThrow());
    }

    @Test
    void plan_reads_expand_and_contract_declarations_as_the_readme_writes_them() {
        assertEquals(new Declaration(7, "expand", 0, "add vals.description", "V7__a.sql"), Declaration.in("""
                INSERT INTO control.schema_contract (version, kind, min_code_level, description)
                VALUES (7, 'expand', 0, 'add vals.description');        -- older code keeps working""", 7, "V7__a.sql").orElseThrow());
        assertEquals(new Declaration(8, "contract", 8, "drop vals.legacy_flag (it's unused)", "V8__b.sql"), Declaration.in("""
                insert into control.schema_contract (version, kind, min_code_level, description)
                values (8, 'contract', 8, 'drop vals.legacy_flag (it''s unused)');""", 8, "V8__b.sql").orElseThrow());
        assertEquals(java.util.Optional.empty(), Declaration.in("ALTER TABLE app.vals ADD COLUMN x int;", 9, "V9__c.sql"));
    }
}
