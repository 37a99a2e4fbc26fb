package dev.valence.runtime.triggers;

import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.guard.HeldWork;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.TriggerResultStore;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Runs cron ticks, script requests and inbound email, each exactly once per idempotency key: the key
 * is claimed in {@code control.trigger_results} (with the run id taken beforehand) before the val
 * runs, so a repeated submission finds the run instead of running again. Registers the three kinds
 * of held work, whose payloads carry what is needed to check and run them later; requests keep the
 * SHA-256 hash of the caller's token, which is checked against the owner when the item runs.
 */
public final class TriggerRunner {
    public static final String CRON = "cron";
    public static final String SCRIPT = "script";
    public static final String EMAIL = "email";
    /** A held request of the run endpoint, whatever its val's type (older builds leave this kind alone). */
    public static final String RUN = "run";

    private final ValStore vals;
    private final TokenStore tokens;
    private final RunStore runs;
    private final TriggerResultStore results;
    private final ValRunner runner;
    private final LongFunction<Optional<String>> cronLastRunAt;
    private final CronRan cronRan;

    /** @param cronLastRunAt the last tick of a cron val's schedule, by val id (empty before the first) */
    public TriggerRunner(ValStore vals, TokenStore tokens, RunStore runs, TriggerResultStore results, ValRunner runner,
                         LongFunction<Optional<String>> cronLastRunAt) {
        this(vals, tokens, runs, results, runner, cronLastRunAt, (valId, startedAt) -> {});
    }

    /** @param cronRan told when a cron tick ran (a held tick runs later than it was due) */
    public TriggerRunner(ValStore vals, TokenStore tokens, RunStore runs, TriggerResultStore results, ValRunner runner,
                         LongFunction<Optional<String>> cronLastRunAt, CronRan cronRan) {
        this.cronRan = cronRan;
        this.vals = vals;
        this.tokens = tokens;
        this.runs = runs;
        this.results = results;
        this.runner = runner;
        this.cronLastRunAt = cronLastRunAt;
    }

    /** What became of a request to run: it ran now, or its key had already run (or is running). */
    public sealed interface Result {}

    /** The val ran now. */
    public record Ran(ValRunner.TriggerRun run) implements Result {}

    /** The key was used before: this is the run it became (0 while a claim has no run yet). */
    public record Replayed(long runId) implements Result {}

    /**
     * A host function met a schema-class database error during the run (outcome {@code schema}): the
     * run does not count as done, its key is free again, and the caller holds the work.
     */
    public record SchemaFailed(ValRunner.TriggerRun run) implements Result {}

    /** Told when a cron tick's run started, so the val's next tick gets it as {@code lastRunAt}. */
    @FunctionalInterface
    public interface CronRan {
        void ran(long valId, java.time.Instant startedAt);
    }

    /** The item cannot run: its val is gone or changed type, or its token no longer belongs to the owner. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Registers the cron, script, email and run kinds with the held-work queue. */
    public void registerWith(HeldWork heldWork) {
        heldWork.register(CRON, requeuedOnSchemaTrouble(this::runHeldTick));
        heldWork.register(RUN, requeuedOnSchemaTrouble(this::runHeldRun));
        heldWork.register(SCRIPT, requeuedOnSchemaTrouble(payload -> runHeldRequest(payload, Run.Trigger.SCRIPT)));
        heldWork.register(EMAIL, requeuedOnSchemaTrouble(payload -> runHeldRequest(payload, Run.Trigger.EMAIL)));
    }

    /** A schema-class error around the run (finding the val, claiming its key) also sends the item back to waiting. */
    private static HeldWork.Handler requeuedOnSchemaTrouble(HeldWork.Handler handler) {
        return payload -> {
            try {
                handler.run(payload);
            } catch (StoreException e) {
                if (!e.isSchemaOrConnectionProblem()) throw e;
                throw new HeldWork.Requeue("SQLSTATE " + e.sqlState() + ": " + e.getMessage());
            }
        };
    }

    /**
     * Runs the val now under the key (null: no key, always runs).
     *
     * @param waitForSlot wait for a free slot of the val's concurrency limit instead of being refused
     */
    public Result run(Val val, String code, Run.Trigger trigger, String argsJson, String idempotencyKey, boolean waitForSlot) {
        long runId = runs.allocateIds(1)[0];
        if (idempotencyKey != null) {
            Optional<Long> earlier = results.claim(idempotencyKey, val.id(), runId);
            if (earlier.isPresent()) return new Replayed(earlier.get());
        }
        ValRunner.TriggerRun run = runner.runTrigger(val, code, trigger, argsJson, runId, waitForSlot);
        boolean schemaFailed = run.outcome() == Run.Outcome.SCHEMA;
        if (idempotencyKey != null && (run.refusedForConcurrency() || schemaFailed)) results.release(idempotencyKey, runId);
        return schemaFailed ? new SchemaFailed(run) : new Ran(run);
    }

    /** For held work: a run that met a schema problem goes back to waiting. */
    private static Result doneOrRequeue(Result result) {
        if (result instanceof SchemaFailed failed) throw new HeldWork.Requeue(failed.run().error().message());
        return result;
    }

    // ------------------------------------------------------------------ cron

    /** The payload of one cron tick. */
    public static JsonObject tickPayload(long valId, String scheduledAt, String lastRunAt, String key) {
        return new JsonObject().put("valId", valId).put("scheduledAt", scheduledAt).put("lastRunAt", lastRunAt).put("key", key);
    }

    /** Runs one tick; throws {@link Refused} when the val is gone or no longer a cron val. */
    void runHeldTick(String payloadJson) {
        JsonObject payload = new JsonObject(payloadJson);
        long valId = payload.getLong("valId");
        var deployed = vals.deployedById(valId).orElseThrow(() -> new Refused("the cron val " + valId + " was deleted"));
        if (deployed.val().type() != Val.Type.CRON) {
            throw new Refused(deployed.val().fullName() + " is no longer a cron val");
        }
        // when the schedule last ran now: a tick held for a while is told of the ticks run before it
        String lastRunAt = cronLastRunAt.apply(valId).orElse(payload.getString("lastRunAt"));
        String args = new JsonArray().add(new JsonObject().put("lastRunAt", lastRunAt)).encode();
        Result result = doneOrRequeue(run(deployed.val(), deployed.code(), Run.Trigger.CRON, args, payload.getString("key"), true));
        if (result instanceof Ran ran) cronRan.ran(valId, ran.run().startedAt());
    }

    // ------------------------------------------------------------------ script and email requests

    /** The payload of a held run, script or email request. {@code argument}: a {@link RunNow}, the args array or the message. */
    public static JsonObject requestPayload(String owner, String name, byte[] tokenHash, String key, Object argument) {
        var payload = new JsonObject().put("owner", owner).put("val", name)
                .put("tokenHash", HexFormat.of().formatHex(tokenHash)).put("key", key);
        if (argument instanceof RunNow wanted) wanted.into(payload);
        else if (argument instanceof JsonArray args) payload.put("args", args);
        else payload.put("message", argument);
        return payload;
    }

    // ------------------------------------------------------------------ run now

    /** How {@code val} runs for a run request (see {@link RunNow#plan}); a cron val gets its schedule's last tick. */
    public RunNow.Plan plan(Val val, RunNow wanted) {
        return wanted.plan(val, () -> cronLastRunAt.apply(val.id()).orElse(null));
    }

    private void runHeldRun(String payloadJson) {
        JsonObject payload = new JsonObject(payloadJson);
        var deployed = ownedVal(payload, "run");
        RunNow.Plan plan;
        try {
            plan = plan(deployed.val(), RunNow.from(payload));
        } catch (RunNow.NotRunnable | IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        doneOrRequeue(run(deployed.val(), deployed.code(), plan.trigger(), plan.argsJson(), payload.getString("key"), true));
    }

    /** The val a held request names, once its token is checked against the val's owner. */
    private ValStore.Deployed ownedVal(JsonObject payload, String what) {
        String owner = payload.getString("owner");
        String name = payload.getString("val");
        var deployed = vals.findDeployed(owner, name).orElseThrow(() -> new Refused("no val named " + owner + "/" + name));
        Val val = deployed.val();
        User caller = tokens.authenticateHash(HexFormat.of().parseHex(payload.getString("tokenHash")))
                .orElseThrow(() -> new Refused("the token that sent this " + what + " request is no longer valid"));
        if (caller.id() != val.ownerId()) throw new Refused("only " + val.owner() + " can run " + val.fullName());
        return deployed;
    }

    private void runHeldRequest(String payloadJson, Run.Trigger trigger) {
        JsonObject payload = LargeJson.object(payloadJson); // a held email's attachments are long base64 strings
        String owner = payload.getString("owner");
        String name = payload.getString("val");
        var deployed = vals.findDeployed(owner, name).orElseThrow(() -> new Refused("no val named " + owner + "/" + name));
        Val val = deployed.val();
        User caller = tokens.authenticateHash(HexFormat.of().parseHex(payload.getString("tokenHash")))
                .orElseThrow(() -> new Refused("the token that sent this " + trigger.wire() + " request is no longer valid"));
        if (caller.id() != val.ownerId()) throw new Refused("only " + val.owner() + " can run " + val.fullName());
        Val.Type expected = trigger == Run.Trigger.SCRIPT ? Val.Type.SCRIPT : Val.Type.EMAIL;
        if (val.type() != expected) throw new Refused(val.fullName() + " is a " + val.type().wire() + " val, not a " + expected.wire() + " val");
        JsonArray args = trigger == Run.Trigger.SCRIPT ? payload.getJsonArray("args", new JsonArray())
                : new JsonArray().add(payload.getJsonObject("message"));
        doneOrRequeue(run(val, deployed.code(), trigger, args.encode(), payload.getString("key"), true));
    }
}
