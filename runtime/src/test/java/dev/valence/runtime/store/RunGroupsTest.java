package dev.valence.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.db.Migrations;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Silent HTTP runs are written as one group row per val per batch, every other run as a row: both
 * kinds are listed, filtered, paged and found by id exactly as if each run had its own row. Checked
 * against a plain in-memory model of the same runs on a real PostgreSQL.
 */
class RunGroupsTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static DataSource db;
    private static RunStore store;
    private static long alice;

    @BeforeAll
    static void migrate() throws SQLException {
        db = TestDatabase.dataSource(TestDatabase.migratedDatabase("run_groups"));
        if (!TestDatabase.external()) Migrations.migrate(db);
        store = new RunStore(db);
        alice = new UserStore(db).create("alice", User.Role.USER).orElseThrow().id();
    }

    private static long newVal(String name) {
        return new ValStore(db).create(alice, name, Val.Type.HTTP, Val.Privacy.PUBLIC, null, "export default () => new Response('')")
                .orElseThrow().id();
    }

    private static Run silent(long valId, long micros, int status, double ms) {
        return new Run(0, valId, 1, Run.Trigger.HTTP, Run.Outcome.SUCCESS, status, T0.plusNanos(micros * 1000), ms, "", null);
    }

    private static Run loud(long valId, long micros, Run.Trigger trigger, Run.Outcome outcome, String logs) {
        return new Run(0, valId, 2, trigger, outcome, trigger == Run.Trigger.HTTP ? 500 : null, T0.plusNanos(micros * 1000), 3.5, logs,
                outcome == Run.Outcome.ERROR ? "Error: boom" : null);
    }

    @Test
    void a_batch_goes_into_one_group_per_val_and_rows_for_the_rest_with_every_id_unique() {
        long a = newVal("split-a");
        long b = newVal("split-b");
        var batch = List.of(silent(a, 30, 200, 1.25), silent(b, 10, 404, 0.5), loud(a, 20, Run.Trigger.HTTP, Run.Outcome.SUCCESS, "hi\n"),
                silent(a, 5, 201, 2), loud(a, 40, Run.Trigger.HTTP, Run.Outcome.ERROR, ""), loud(a, 50, Run.Trigger.CRON, Run.Outcome.SUCCESS, ""));
        RunStore.Written written = store.write(batch);

        assertEquals(batch.size(), written.runs().size());
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(batch.get(i).withId(written.runs().get(i).id()), written.runs().get(i), "run " + i + " kept in the batch's order");
        }
        assertEquals(batch.size(), written.runs().stream().map(Run::id).distinct().count());
        assertEquals(List.of(loud(a, 20, Run.Trigger.HTTP, Run.Outcome.SUCCESS, "hi\n"), loud(a, 40, Run.Trigger.HTTP, Run.Outcome.ERROR, ""),
                        loud(a, 50, Run.Trigger.CRON, Run.Outcome.SUCCESS, "")),
                written.rows().stream().map(r -> r.withId(0)).toList(), "runs with logs, errors or another trigger are rows");
        assertEquals(List.of(a + ":2", b + ":1"), written.groups().stream().map(g -> g.valId() + ":" + g.size()).toList());
        // within a group ids follow the start order
        Run early = written.runs().get(3);
        Run late = written.runs().get(0);
        assertTrue(early.id() < late.id(), early.id() + " < " + late.id());

        for (Run run : written.runs()) assertEquals(run, store.byId(run.valId(), run.id()).orElseThrow(), "run " + run.id());
        assertTrue(store.byId(b, late.id()).isEmpty(), "a run is found only under its own val");
        assertEquals(written.runs().stream().sorted(Comparator.comparing(Run::startedAt).thenComparingLong(Run::id)).toList(),
                store.byIds(written.rows().stream().map(Run::id).toList(), written.groups().stream().map(RunStore.Group::firstRunId).toList()));
    }

    @Test
    void listing_pages_and_filters_match_a_model_of_every_run_across_overlapping_groups() {
        long v = newVal("model");
        var random = new Random(7);
        var model = new ArrayList<Run>();
        // 40 batches whose start times overlap (like several instances writing the same val), with
        // runs starting in the same microsecond, and every fifth run a row of its own
        for (int batch = 0; batch < 40; batch++) {
            var runs = new ArrayList<Run>();
            for (int i = 0; i < 1 + random.nextInt(30); i++) {
                long micros = random.nextInt(5_000) * 10L;
                runs.add(random.nextInt(5) == 0 ? loud(v, micros, Run.Trigger.HTTP, Run.Outcome.ERROR, "log " + i + "\n")
                        : silent(v, micros, 200 + random.nextInt(3), random.nextInt(100) / 4.0));
            }
            model.addAll(store.write(runs).runs());
        }
        var newestFirst = Comparator.comparing(Run::startedAt).thenComparingLong(Run::id).reversed();
        model.sort(newestFirst);

        for (int pageSize : new int[] {1, 7, 50, 1000}) {
            var seen = new ArrayList<Run>();
            RunStore.Cursor cursor = null;
            while (true) {
                var page = store.list(v, new RunStore.Filter(null, null, null, null, cursor, pageSize));
                seen.addAll(page);
                if (page.size() < pageSize) break;
                Run last = page.getLast();
                cursor = new RunStore.Cursor(last.startedAt(), last.id());
            }
            assertEquals(model, seen, "every run exactly once, newest first, in pages of " + pageSize);
        }

        Instant since = T0.plusNanos(12_340_000);
        Instant before = T0.plusNanos(31_000_000);
        assertEquals(first(model, r -> !r.startedAt().isBefore(since) && r.startedAt().isBefore(before), 25),
                store.list(v, new RunStore.Filter(null, null, since, before, null, 25)));
        assertEquals(first(model, r -> r.outcome() == Run.Outcome.ERROR, 1000),
                store.list(v, new RunStore.Filter(null, Run.Outcome.ERROR, null, null, null, 1000)));
        assertEquals(first(model, r -> r.outcome() == Run.Outcome.SUCCESS, 40),
                store.list(v, new RunStore.Filter(Run.Trigger.HTTP, Run.Outcome.SUCCESS, null, null, null, 40)));
        assertEquals(List.of(), store.list(v, new RunStore.Filter(Run.Trigger.CRON, null, null, null, null, 10)));
        assertEquals(new HashSet<>(model), new HashSet<>(store.recent(v, model.size() + 5)));
    }

    @Test
    void runs_of_a_deleted_val_are_skipped_when_written_and_its_groups_go_with_it() throws SQLException {
        long gone = newVal("gone");
        long kept = newVal("kept");
        store.write(List.of(silent(gone, 1, 200, 1)));
        try (var connection = db.getConnection(); var statement = connection.createStatement()) {
            statement.execute("DELETE FROM app.vals WHERE id = " + gone);
        }
        RunStore.Written written = store.write(List.of(silent(gone, 2, 200, 1), silent(kept, 3, 200, 1), loud(gone, 4, Run.Trigger.HTTP, Run.Outcome.ERROR, "")));
        assertEquals(List.of(kept), written.groups().stream().map(RunStore.Group::valId).toList(), "no group for the deleted val");
        assertEquals(List.of(), store.recent(gone, 10));
        assertEquals(1, store.recent(kept, 10).size());
        try (var connection = db.getConnection(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM app.run_groups WHERE val_id = " + gone)) {
            rows.next();
            assertEquals(0, rows.getLong(1), "the deleted val's groups were removed with it");
        }
    }

    @Test
    void ids_come_from_blocks_of_the_sequence_and_two_instances_never_share_one() {
        var other = new RunStore(db); // another runtime on the same database
        var seen = new HashSet<Long>();
        int total = 0;
        for (int count : new int[] {1, 1000, 2500, 3, 1024, 7}) {
            for (long id : store.allocateIds(count)) assertTrue(seen.add(id), "id " + id + " handed out twice");
            for (long id : other.allocateIds(count)) assertTrue(seen.add(id), "id " + id + " handed out twice");
            total += 2 * count;
        }
        assertEquals(total, seen.size());
        long[] run = store.allocateIds(10);
        for (int i = 1; i < run.length; i++) assertEquals(run[i - 1] + 1, run[i], "ids within a block are consecutive");
    }

    private static List<Run> first(List<Run> newestFirst, Predicate<Run> filter, int limit) {
        return newestFirst.stream().filter(filter).limit(limit).toList();
    }
}
