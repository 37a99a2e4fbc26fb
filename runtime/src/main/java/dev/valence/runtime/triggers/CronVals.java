package dev.valence.runtime.triggers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.valence.runtime.guard.HeldWork;
import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron vals, scheduled through PostgreSQL with db-scheduler: one task instance per cron val (task
 * {@value #TASK}, instance id = the val's id) in {@code control.scheduled_tasks}, whose data is the
 * schedule and the time of the last tick. Every runtime polls that table; db-scheduler's optimistic
 * claim of a due execution means exactly one runtime takes each tick, and the tick's idempotency key
 * {@code cron:<valId>:<due instant>} makes a revived or repeated tick a no-op.
 *
 * <p>A tick always goes through {@link HeldWork}: while the schema is compatible it runs at once,
 * otherwise it is held and runs once compatibility returns. The next tick is computed from the
 * schedule kept in the task's data, so ticks keep being taken (and held) while {@code app} is away.
 * The tasks follow the vals: a sync every few seconds schedules new cron vals, reschedules changed
 * schedules and cancels the tasks of deleted vals; a tick of a val that is gone removes its task.
 */
public final class CronVals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CronVals.class);
    static final String TASK = "cron-val";

    /** Polling and sync intervals, the shortest interval a schedule may have, and the runner threads. */
    public record Settings(long pollMs, long syncMs, Duration minimumInterval, int threads, String instanceId) {}

    private final DataSource dataSource;
    private final SchemaGuard guard;
    private final HeldWork heldWork;
    private final ValStore vals;
    private final Settings settings;
    private final Scheduler scheduler;
    private final ScheduledExecutorService syncer;
    private volatile java.util.concurrent.ScheduledFuture<?> syncing;
    private boolean started;
    private boolean closed;

    public CronVals(DataSource dataSource, SchemaGuard guard, HeldWork heldWork, ValStore vals, Settings settings) {
        this.dataSource = dataSource;
        this.guard = guard;
        this.heldWork = heldWork;
        this.vals = vals;
        this.settings = settings;
        CustomTask<String> task = Tasks.custom(TASK, String.class).execute(this::tick);
        this.scheduler = Scheduler.create(dataSource, task)
                .tableName("control.scheduled_tasks")
                .schedulerName(new SchedulerName.Fixed(settings.instanceId()))
                .pollingInterval(Duration.ofMillis(settings.pollMs()))
                .threads(settings.threads())
                .serializer(new Utf8())
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("valence-cron-sync").unstarted(r));
    }

    /** Starts polling for due ticks and keeping the tasks in step with the cron vals. */
    public synchronized void start() {
        if (started || closed) return;
        started = true;
        scheduler.start();
        syncing = syncer.scheduleWithFixedDelay(this::syncQuietly, 0, settings.syncMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether the sync with the cron vals still repeats (an error thrown by one cancels the rest), or
     * was never started: the supervisor asks. The ticks themselves run on db-scheduler's threads,
     * which survive what a tick throws.
     */
    public boolean loopAlive() {
        var current = syncing;
        return current == null || syncer.isShutdown() || !current.isDone();
    }

    /** Schedules the sync again after an error cancelled it; does nothing while it repeats. */
    public synchronized void restartLoop() {
        if (loopAlive() || closed) return;
        log.error("The cron sync stopped on {}", syncing.state() == java.util.concurrent.Future.State.FAILED ? syncing.exceptionNow() : syncing.state());
        syncing = syncer.scheduleWithFixedDelay(this::syncQuietly, 0, settings.syncMs(), TimeUnit.MILLISECONDS);
    }

    /** Reads a schedule with this runtime's minimum interval; throws IllegalArgumentException naming the problem. */
    public static Schedule parse(String schedule, Duration minimumInterval) {
        return Schedule.parse(schedule, minimumInterval);
    }

    // ------------------------------------------------------------------ one tick

    private CompletionHandler<String> tick(TaskInstance<String> instance, ExecutionContext context) {
        Instant due = context.getExecution().getExecutionTime();
        Instant startedAt = Instant.now();
        JsonObject data = new JsonObject(instance.getData());
        long valId = Long.parseLong(instance.getId());
        Schedule schedule;
        try {
            schedule = Schedule.parse(data.getString("schedule"), Duration.ZERO);
        } catch (IllegalArgumentException e) {
            log.warn("Cron val {} has a schedule that cannot be read ({}); its task is removed", valId, e.getMessage());
            return (complete, ops) -> ops.remove();
        }
        String key = "cron:" + valId + ":" + due;
        boolean gone = false;
        // a held tick has not run: the next tick is told of the last one that did (a held one, once it
        // runs, writes its own start through ran())
        String lastRunAt = data.getString("lastRunAt");
        try {
            HeldWork.Submitted submitted = heldWork.submit(TriggerRunner.CRON, key,
                    TriggerRunner.tickPayload(valId, due.toString(), lastRunAt, key).encode());
            if (submitted == HeldWork.Submitted.RAN) lastRunAt = startedAt.toString();
        } catch (TriggerRunner.Refused e) {
            log.info("Cron tick {} not run: {}; its task is removed", key, e.getMessage());
            gone = true;
        } catch (Exception e) {
            log.warn("Cron tick {} could not be run or held: {}", key, e.toString());
        }
        if (gone) return (complete, ops) -> ops.remove();
        Instant now = Instant.now();
        Instant next = schedule instanceof Schedule.Interval interval ? interval.nextAfter(due, now) : schedule.next(now);
        String nextData = data.copy().put("lastRunAt", lastRunAt).encode();
        return (complete, ops) -> ops.reschedule(complete, next, nextData);
    }

    // ------------------------------------------------------------------ keeping tasks in step with vals

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            log.debug("Cron sync skipped: {}", e.toString());
        }
    }

    /** Schedules new cron vals, reschedules changed schedules, cancels the tasks of vals that are gone. */
    public void sync() {
        if (!guard.current().compatible()) return;
        Map<String, Val> wanted = new HashMap<>();
        for (Val val : vals.listByType(Val.Type.CRON)) wanted.put(String.valueOf(val.id()), val);
        Map<String, ScheduledExecution<String>> existing = new HashMap<>();
        for (ScheduledExecution<String> execution : scheduler.getScheduledExecutionsForTask(TASK, String.class)) {
            existing.put(execution.getTaskInstance().getId(), execution);
        }
        Instant now = Instant.now();
        for (Map.Entry<String, Val> entry : wanted.entrySet()) {
            String schedule = entry.getValue().schedule();
            Schedule parsed;
            try {
                parsed = Schedule.parse(schedule, Duration.ZERO);
            } catch (IllegalArgumentException e) {
                continue; // saved before validation existed: never scheduled
            }
            ScheduledExecution<String> current = existing.get(entry.getKey());
            if (current == null) {
                String data = new JsonObject().put("schedule", schedule).put("lastRunAt", (String) null).encode();
                scheduler.scheduleIfNotExists(new TaskInstance<>(TASK, entry.getKey(), data), parsed.next(now));
            } else if (!current.isPicked() && !schedule.equals(new JsonObject(current.getData()).getString("schedule"))) {
                String data = new JsonObject(current.getData()).put("schedule", schedule).encode();
                try {
                    scheduler.reschedule(TaskInstanceId.of(TASK, entry.getKey()), parsed.next(now), data);
                } catch (RuntimeException e) {
                    log.debug("Rescheduling cron val {} failed (retried at the next sync): {}", entry.getKey(), e.toString());
                }
            }
        }
        for (Map.Entry<String, ScheduledExecution<String>> entry : existing.entrySet()) {
            if (wanted.containsKey(entry.getKey()) || entry.getValue().isPicked()) continue;
            try {
                scheduler.cancel(TaskInstanceId.of(TASK, entry.getKey()));
            } catch (RuntimeException e) {
                log.debug("Cancelling the task of deleted cron val {} failed (retried at the next sync): {}", entry.getKey(), e.toString());
            }
        }
    }

    /**
     * When the val's schedule last ticked, as its next tick will be told ({@code lastRunAt}): empty
     * before the first tick and for a val without a task. A manual run reads it and leaves it alone.
     */
    public java.util.Optional<String> lastRunAt(long valId) {
        return scheduler.getScheduledExecution(TaskInstanceId.of(TASK, String.valueOf(valId)))
                .map(execution -> new JsonObject(String.valueOf(execution.getData())).getString("lastRunAt"));
    }

    /**
     * Records that a tick of the val ran at {@code startedAt} (a held tick runs after its due time, when
     * compatibility is back), so the next tick is told so as its {@code lastRunAt}.
     */
    public void ran(long valId, Instant startedAt) {
        try (var connection = dataSource.getConnection();
             var update = connection.prepareStatement("""
                     UPDATE control.scheduled_tasks
                     SET task_data = convert_to(jsonb_set(convert_from(task_data, 'UTF8')::jsonb, '{lastRunAt}', to_jsonb(?::text))::text, 'UTF8')
                     WHERE task_name = ? AND task_instance = ?""")) {
            update.setString(1, startedAt.toString());
            update.setString(2, TASK);
            update.setString(3, String.valueOf(valId));
            update.executeUpdate();
        } catch (java.sql.SQLException e) {
            log.warn("Could not record when cron val {}'s tick ran ({}); its next tick is told an earlier time", valId, e.getMessage());
        }
    }

    /** When the val's next tick is due, if it is scheduled. */
    public java.util.Optional<Instant> nextTick(long valId) {
        return scheduler.getScheduledExecution(TaskInstanceId.of(TASK, String.valueOf(valId))).map(ScheduledExecution::getExecutionTime);
    }

    @Override
    public synchronized void close() {
        syncer.shutdownNow();
        if (started) scheduler.stop();
        started = false;
        closed = true;
    }

    /** Task data is a small JSON text: stored as UTF-8, readable in the table. */
    private static final class Utf8 implements Serializer {
        @Override
        public byte[] serialize(Object data) {
            return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T deserialize(Class<T> type, byte[] bytes) {
            return bytes == null ? null : (T) new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
