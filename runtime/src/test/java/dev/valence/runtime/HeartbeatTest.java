package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.guard.BuildInfo;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** What control.instances says about a runtime is what ops migrate and ops migrate --undo judge live code by. */
class HeartbeatTest {
    @Test
    void a_replica_restarted_under_the_same_instance_id_with_new_code_reports_its_new_level_and_minimum() throws Exception {
        String db = TestDatabase.newDatabase("heartbeat");
        var flips = new SchemaFlips(db);
        flips.applyMigrations();
        // the row a crashed process of the old build left behind (a clean stop removes it)
        flips.sql("""
                INSERT INTO control.instances (instance_id, host, build_id, code_level, code_minimum, verdict, started_at, last_seen_at)
                VALUES ('replica-1', 'old-host', 'old-build', 1, 1, 'compatible', now() - interval '1 hour', now() - interval '30 seconds')""");

        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", db);
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("HEARTBEAT_MS", "200");
        env.put("INSTANCE_ID", "replica-1");
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-heartbeat").toString());
        try (var valence = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env), new BuildInfo(5, 4, "new-build")))) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            String row = "";
            while (System.nanoTime() < deadline) {
                row = flips.strings("""
                        SELECT build_id || ' ' || code_level || ' ' || code_minimum || ' ' || verdict || ' '
                               || (started_at > now() - interval '5 minutes') FROM control.instances WHERE instance_id = 'replica-1'""").getFirst();
                if (row.startsWith("new-build 5 4 compatible")) break;
                Thread.sleep(20);
            }
            assertEquals("new-build 5 4 compatible true", row);
        }
    }
}
