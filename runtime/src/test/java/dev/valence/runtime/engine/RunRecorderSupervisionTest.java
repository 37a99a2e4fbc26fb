package dev.valence.runtime.engine;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.db.Migrations;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Run records are written by one background thread. An Error thrown while it writes (here by the
 * database connection it asks for) ends that thread, and without a writer no run would be stored again
 * while vals keep running. The supervisor sees it and runs the writer again, which stores the next run.
 */
class RunRecorderSupervisionTest {
    @Test
    void an_error_that_ends_the_writer_is_seen_and_the_restarted_writer_stores_the_next_run() throws Exception {
        DataSource real = TestDatabase.dataSource(TestDatabase.migratedDatabase("run_recorder_supervision"));
        if (!TestDatabase.external()) Migrations.migrate(real);
        long owner = new UserStore(real).create("alice", User.Role.USER).orElseThrow().id();
        long valId = new ValStore(real).create(owner, "work", Val.Type.SCRIPT, Val.Privacy.PUBLIC, null, "export default () => 1")
                .orElseThrow().id();
        var failing = new AtomicBoolean();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection") && failing.getAndSet(false)) {
                throw new StackOverflowError("thrown by the test"); // an Error, not an exception
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        var recorder = new RunRecorder(new RunStore(flaky), true, () -> {});
        try {
            failing.set(true);
            recorder.record(run(valId, "written when the error came"));
            eventually("the Error ended the writer's thread", 30_000, () -> !recorder.writer().loopAlive());

            recorder.writer().restartLoop();
            assertTrue(recorder.writer().loopAlive(), "the writer runs again");
            recorder.record(run(valId, "recorded after the restart"));
            var runs = new RunStore(real);
            eventually("the restarted writer stores the next run", 30_000,
                    () -> runs.recent(valId, 10).stream().anyMatch(r -> r.logs().equals("recorded after the restart")));
        } finally {
            recorder.close();
        }
    }

    private static Run run(long valId, String logs) {
        return new Run(0, valId, 1, Run.Trigger.SCRIPT, Run.Outcome.SUCCESS, null, Instant.now(), 1.5, logs, null);
    }
}
