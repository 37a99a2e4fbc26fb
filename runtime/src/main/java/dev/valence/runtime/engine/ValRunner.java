package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.Val;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs val invocations, each the same four steps: acquire (the limits admit it and the version's
 * program is found), run (in a context of the program, see {@link Invoker}), settle (the answer the
 * caller gets), record (the run). Called on JS worker threads, never on an event loop.
 */
public final class ValRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ValRunner.class);

    /** Limits and pool sizes of the runner. */
    public record Settings(long timeoutMs, long maxAllocatedBytes, int logLimitBytes, int contextsPerVersion, int maxWarmVersions) {}

    /** One HTTP request as the val will see it: header names in lower case; body null when there is none. */
    public record HttpCall(String method, String url, List<Header> headers, byte[] body) {}

    /** Limits of the web APIs: the fetch client (null: fetch is unavailable) and the largest response a val may send. */
    public record Web(Fetcher fetcher, long maxResponseBytes) {
        /** The setting that limits response sizes. */
        public static final String MAX_RESPONSE_VARIABLE = "VAL_MAX_RESPONSE_BYTES";
    }

    /**
     * What a cron, script or email run produced: how it ended, the handler's result as JSON (null when
     * it returned nothing or failed), its logs and the id of its run record.
     */
    public record TriggerRun(long runId, int version, Run.Outcome outcome, String resultJson, String logs,
                             Invocation.ValError error, Instant startedAt, double durationMs) {
        /** Whether the per-val concurrency limit refused the run before it started. */
        public boolean refusedForConcurrency() {
            return outcome == Run.Outcome.LIMIT && error != null && error.message().startsWith(InvocationLimits.CONCURRENCY_MESSAGE);
        }
    }

    /** Spare contexts kept ready for new versions (system property valence.spareContexts; 0 turns them off). */
    static final int SPARE_CONTEXTS = Integer.getInteger("valence.spareContexts", 2);

    private final RunRecorder recorder;
    private final InvocationLimits limits;
    private final Programs programs;
    private final SpareContexts spares;
    private final Invoker invoker;
    private volatile Web web = new Web(null, 10L * 1024 * 1024);
    private volatile Runnable schemaRecheck = () -> {};

    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings) {
        this(engine, recorder, settings, ConcurrencyLimit.DEFAULT_MAX_PER_VAL, OwnerModules.NONE);
    }

    /**
     * @param maxConcurrentPerVal invocations one val may have running at once (VAL_MAX_CONCURRENCY)
     * @param modules what lets vals import vals and std/blob and read their owner's env ({@link OwnerModules#NONE}: they cannot)
     */
    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings, int maxConcurrentPerVal, OwnerModules modules) {
        this.recorder = recorder;
        this.limits = new InvocationLimits(settings, maxConcurrentPerVal);
        this.programs = new Programs(modules, settings.contextsPerVersion(), settings.maxWarmVersions());
        this.spares = new SpareContexts(engine, settings.logLimitBytes(), SPARE_CONTEXTS);
        this.invoker = new Invoker(engine, limits, modules, spares, settings.logLimitBytes());
    }

    /** What asks the schema guard to recheck when a host function meets a schema-class database error. */
    public void onSchemaTrouble(Runnable recheck) {
        this.schemaRecheck = recheck;
    }

    /** Sets the fetch client and the response size limit (after the Vert.x instance exists). */
    public void useWeb(Web web) {
        this.web = web;
    }

    /** Sets what is asked before a val is loaded into a new context (the heap's high-water mark). */
    public void gateLoads(LoadGate loads) {
        limits.gateLoads(loads);
    }

    /** The sampler that enforces every invocation's time and memory limits, for the supervisor. */
    public dev.valence.runtime.lifecycle.Supervised limitsSampler() {
        return limits.sampler();
    }

    /** Runs an HTTP val; a streamed response body is collected into the invocation's bytes. */
    public Invocation runHttp(Val val, String code, HttpCall call) {
        return runHttp(val, code, call, null);
    }

    /**
     * Runs an HTTP val. When the val answers with a ReadableStream body and {@code sink} is not null, the
     * head and each chunk go to {@code sink} as the val produces them, this call returns when the stream
     * ended (or was cut), and the invocation's body is {@link Body#STREAMED}.
     */
    public Invocation runHttp(Val val, String code, HttpCall call, ResponseSink sink) {
        Web current = web;
        var buffered = sink == null ? new BufferingSink() : null;
        ResponseSink out = sink == null ? buffered : sink;
        long maxBytes = current.maxResponseBytes();
        var settled = invoke(new Invoker.Call<>(val, code, Run.Trigger.HTTP, out, new CallScope.Web(current.fetcher(), maxBytes),
                context -> context.callHttp(call),
                (context, logs, durationMs) -> toResponse(context.httpAnswer(maxBytes), logs, durationMs, maxBytes)), false);
        Invocation result = HttpAnswers.settle(settled, out, buffered, sink != null);
        // a failed run's answer names the run, where its owner reads the details
        long runId = result.succeeded() ? 0 : recorder.reserveId();
        record(val, Run.Trigger.HTTP, runId, settled.ran(),
                new Recorded(result.outcome(), result.status(), result.logs(), result.error(), result.durationMs()));
        return result.withRunId(runId);
    }

    /**
     * Runs a val for a non-HTTP trigger: the module's handler is called with the JSON array
     * {@code argsJson} spread as its arguments. Script runs load the module in a fresh context (its
     * top-level code runs every time, and a default export is optional); cron and email runs use the
     * version's pooled contexts like HTTP. Over the val's concurrency limit, {@code waitForSlot} waits
     * up to the wall-clock limit for a slot; otherwise the run is refused at once with outcome LIMIT.
     *
     * @param runId the id the run is recorded under (taken from the run table's sequence beforehand)
     */
    public TriggerRun runTrigger(Val val, String code, Run.Trigger trigger, String argsJson, long runId, boolean waitForSlot) {
        if (trigger == Run.Trigger.HTTP) throw new IllegalArgumentException("HTTP runs go through runHttp");
        Web current = web;
        var settled = invoke(new Invoker.Call<>(val, code, trigger, null, new CallScope.Web(current.fetcher(), current.maxResponseBytes()),
                context -> context.callTrigger(argsJson, trigger),
                (context, logs, durationMs) -> context.answerJson()), waitForSlot);
        Invoker.Ran ran = settled.ran();
        record(val, trigger, runId, ran, new Recorded(settled.outcome(), null, settled.logs(), settled.error(), ran.durationMs()));
        return new TriggerRun(runId, ran.version(), settled.outcome(), settled.value(), settled.logs(), settled.error(),
                ran.startedAt(), ran.durationMs());
    }

    /** Acquire, then run: the limits admit the invocation, the version's program is found, the invoker runs it. */
    private <R> Invoker.Settled<R> invoke(Invoker.Call<R> call, boolean waitForSlot) {
        Val val = call.val();
        Instant startedAt = Instant.now();
        long startNs = System.nanoTime();
        Optional<InvocationLimits.Refused> refused = limits.admit(val, call.trigger(),
                programs.needsNewContext(val, call.freshContext()), waitForSlot);
        if (refused.isPresent()) {
            return Invoker.Settled.refused(refused.get(), new Invoker.Ran(val.latestVersion(), startedAt, Invoker.millisSince(startNs)));
        }
        try {
            // the time limit counts from here: waiting for a slot is not the run's time
            long slotNs = System.nanoTime();
            ValProgram program;
            try {
                program = programs.programFor(val, call.code()); // resolving imports reads other vals' versions
            } catch (StoreException e) {
                if (!e.isSchemaOrConnectionProblem()) throw e;
                schemaRecheck.run();
                var failure = new HostDatabaseErrors.Failure("resolving the val's imports", e);
                return new Invoker.Settled<>(Run.Outcome.SCHEMA, null, InvocationLimits.sentence(failure.describe()), "",
                        new Invoker.Ran(val.latestVersion(), startedAt, Invoker.millisSince(slotNs)), null, failure, null);
            }
            return invoker.run(program, call, schemaRecheck, startedAt, slotNs);
        } finally {
            limits.release(val.id());
        }
    }

    /** What a run is recorded with beyond who and when: the status is an HTTP run's only. */
    private record Recorded(Run.Outcome outcome, Integer httpStatus, String logs, Invocation.ValError error, double durationMs) {}

    /** Record: the run as its owner reads it (the error masked already, as every answer showing it is). */
    private void record(Val val, Run.Trigger trigger, long runId, Invoker.Ran ran, Recorded result) {
        Invocation.ValError error = result.error();
        String recordedError = error == null ? null : error.message() + (error.stack().isEmpty() ? "" : "\n" + error.stack());
        recorder.record(new Run(runId, val.id(), ran.version(), trigger, result.outcome(), result.httpStatus(), ran.startedAt(),
                result.durationMs(), result.logs(), recordedError));
    }

    private static Invocation toResponse(ValContext.HttpAnswer answer, String logs, double durationMs, long maxBytes) {
        if (answer.body() == null) {
            var error = InvocationLimits.overResponse(answer.bodyBytes(), maxBytes);
            return new Invocation(Run.Outcome.LIMIT, ResponseHead.of(500), Body.NONE, logs, error, durationMs);
        }
        return new Invocation(Run.Outcome.SUCCESS, answer.head(), answer.body(), logs, null, durationMs);
    }

    /**
     * Loads a just-saved HTTP val's module into a context of its program, so the version's first
     * request finds a loaded context and pays for a call, not a module load (the cold start). The
     * module's top-level code runs under the same time and allocation limits as a request; what it
     * logs stays in the context and goes into the first run's logs. Anything that fails here is
     * left for the first request, which loads the module again and reports the failure as its run.
     */
    public void prepare(Val val, String code) {
        if (val.type() != Val.Type.HTTP || !limits.admitQuietly(val)) return;
        try {
            ValProgram program = programs.programFor(val, code);
            if (program.version != val.latestVersion() || program.graph.error().isPresent()) return;
            ValContext context = invoker.borrow(program, false);
            if (context.loaded()) {
                program.release(context);
                return;
            }
            long deadlineNs = limits.deadlineNs(System.nanoTime());
            Watchdog.Watch watch = limits.watch(context);
            Web current = web;
            CallScope scope = Invoker.enter(context, program, deadlineNs, null,
                    new CallScope.Web(current.fetcher(), current.maxResponseBytes()), schemaRecheck);
            boolean loaded = false;
            try {
                loaded = Settling.load(context, program, false, scope, watch);
            } catch (PolyglotException | IllegalStateException | NeverSettled e) {
                // the first request loads it again and reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                scope.close();
                context.scope.leave();
            }
            boolean inTime = watch.finish();
            program.allocatedBytes.add(watch.allocatedBytes());
            if (loaded && inTime && watch.cause() == null && scope.schemaFailure() == null) {
                context.reset(); // timers the module left behind do not run in the first request
                program.release(context);
            } else {
                context.close();
            }
        } catch (RuntimeException e) {
            log.debug("Could not prepare {}: {}", val.fullName(), e.toString());
        } finally {
            limits.release(val.id());
        }
    }

    /**
     * Evicts the warm versions whose invocations allocated the most, largest first, until what they
     * allocated reaches {@code bytes} (at least one when any is warm); their in-flight contexts close
     * when they come back. Returns their names with what each allocated.
     */
    public List<String> evictLargestAllocators(long bytes) {
        return programs.evictLargestAllocators(bytes);
    }

    /** Drops the warm contexts of a val (after it was deleted or changed here). */
    public void forget(long valId) {
        programs.forget(valId);
    }

    /** Loaded contexts waiting in the pool of the val's current program (0 when it has none). */
    public int idleContexts(long valId) {
        return programs.idleContexts(valId);
    }

    public int warmVersions() {
        return programs.warmVersions();
    }

    /** The val's imports could not be resolved; the message names the chain of imports. */
    static final class ImportFailed extends RuntimeException {
        ImportFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** The handler's promise (or the module's evaluation) can never settle: nothing is pending that could settle it. */
    static final class NeverSettled extends RuntimeException {
        static final String HANDLER = "the handler's promise never settled: it awaits something that will never happen";
        static final String MODULE = "the val's module never finished loading: its top-level await waits for something that will never happen";

        NeverSettled(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void close() {
        spares.close();
        limits.close();
        programs.close();
    }
}
