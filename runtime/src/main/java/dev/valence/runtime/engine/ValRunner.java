package dev.valence.runtime.engine;

import dev.valence.runtime.engine.modules.ModuleGraph;
import dev.valence.runtime.engine.modules.ValModules;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.Val;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs val invocations: picks the version's program, borrows a context, calls the handler under the
 * wall-clock limit, drives its promise and timers to completion, and records the run. Called on JS
 * worker threads, never on an event loop.
 */
public final class ValRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ValRunner.class);

    /** Limits and pool sizes of the runner. */
    public record Settings(long timeoutMs, long maxAllocatedBytes, int logLimitBytes, int contextsPerVersion, int maxWarmVersions) {}

    private final JsEngine engine;
    private final RunRecorder recorder;
    private final Settings settings;
    private final Watchdog watchdog = new Watchdog();
    private final ConcurrentHashMap<Long, ValProgram> programs = new ConcurrentHashMap<>();
    private final ConcurrencyLimit concurrency;
    private final ValModules modules;
    private final SpareContexts spares;

    /** Spare contexts kept ready for new versions (system property valence.spareContexts; 0 turns them off). */
    static final int SPARE_CONTEXTS = Integer.getInteger("valence.spareContexts", 2);

    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings) {
        this(engine, recorder, settings, ConcurrencyLimit.DEFAULT_MAX_PER_VAL, null);
    }

    /**
     * @param maxConcurrentPerVal invocations one val may have running at once (VAL_MAX_CONCURRENCY)
     * @param modules what lets vals import vals and std/blob and read their owner's env (null: they cannot)
     */
    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings, int maxConcurrentPerVal, ValModules modules) {
        this.modules = modules;
        this.engine = engine;
        this.recorder = recorder;
        this.settings = settings;
        this.concurrency = new ConcurrencyLimit(maxConcurrentPerVal);
        this.spares = new SpareContexts(engine, settings.logLimitBytes(), SPARE_CONTEXTS);
    }

    /** One HTTP request as the val will see it: header names in lower case; body null when there is none. */
    public record HttpCall(String method, String url, List<Header> headers, byte[] body) {}

    /** Limits of the web APIs: the fetch client (null: fetch is unavailable) and the largest response a val may send. */
    public record Web(Fetcher fetcher, long maxResponseBytes) {
        /** The setting that limits response sizes. */
        public static final String MAX_RESPONSE_VARIABLE = "VAL_MAX_RESPONSE_BYTES";
    }

    private volatile Web web = new Web(null, 10L * 1024 * 1024);
    private volatile LoadGate loads = LoadGate.OPEN;

    private volatile Runnable schemaRecheck = () -> {};

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
        this.loads = loads;
    }

    /** Runs an HTTP val; a streamed response body is collected into the invocation's bytes. */
    public Invocation runHttp(Val val, String code, HttpCall call) {
        return runHttp(val, code, call, null);
    }

    /**
     * Runs an HTTP val. When the val answers with a ReadableStream body and {@code sink} is not null, the
     * head and each chunk go to {@code sink} as the val produces them, this call returns when the stream
     * ended (or was cut), and the invocation's body is {@link ResponseSink#STREAMED}.
     */
    public Invocation runHttp(Val val, String code, HttpCall call, ResponseSink sink) {
        Web limits = web;
        var buffered = sink == null ? new BufferingSink() : null;
        ResponseSink out = sink == null ? buffered : sink;
        Settled<Invocation> settled = invoke(val, code, Run.Trigger.HTTP, false, false, out, limits,
                context -> context.callHttp(call),
                (context, logs, durationMs) -> toResponse(context.httpAnswer(limits.maxResponseBytes()), logs, durationMs,
                        limits.maxResponseBytes()));
        ResponseHead head = settled.head();
        Invocation result;
        if (settled.outcome() == Run.Outcome.SUCCESS && head != null) {
            result = new Invocation(Run.Outcome.SUCCESS, head, buffered != null ? new Body.Bytes(buffered.bytes()) : Body.STREAMED,
                    settled.logs(), null, settled.durationMs());
        } else if (settled.outcome() == Run.Outcome.SUCCESS) {
            result = settled.value(); // may itself be a LIMIT answer (a body over the size limit)
        } else if (settled.outcome() == Run.Outcome.SCHEMA) {
            result = new Invocation(Run.Outcome.SCHEMA, ResponseHead.of(503), Body.NONE, settled.logs(), settled.error(),
                    settled.durationMs(), settled.schemaFailure());
        } else {
            int status = switch (settled.outcome()) {
                case TIMEOUT -> 504;
                case LIMIT -> settled.overConcurrency() ? 429 : refusedForMemory(settled.error()) ? 503 : 500;
                default -> 500;
            };
            result = new Invocation(settled.outcome(), ResponseHead.of(status), Body.NONE, settled.logs(), settled.error(), settled.durationMs());
        }
        if (head != null) {
            if (result.succeeded()) {
                out.end();
            } else {
                out.cut();
                if (sink != null) {
                    // the head went out already: the run keeps the status the client saw and the reason of the cut
                    result = new Invocation(result.outcome(), head, Body.STREAMED, result.logs(), result.error(), result.durationMs(),
                            result.schemaFailure());
                }
            }
        }
        // a failed run's answer names the run, where its owner reads the details
        long runId = result.succeeded() ? 0 : recorder.reserveId();
        record(val, settled.version(), Run.Trigger.HTTP, runId, result.outcome(), result.status(), settled.startedAt(),
                result.durationMs(), result.logs(), result.error());
        return result.withRunId(runId);
    }

    /**
     * What a cron, script or email run produced: how it ended, the handler's result as JSON (null when
     * it returned nothing or failed), its logs and the id of its run record.
     */
    public record TriggerRun(long runId, int version, Run.Outcome outcome, String resultJson, String logs,
                             Invocation.ValError error, Instant startedAt, double durationMs) {
        /** Whether the per-val concurrency limit refused the run before it started. */
        public boolean refusedForConcurrency() {
            return outcome == Run.Outcome.LIMIT && error != null && error.message().startsWith(CONCURRENCY_MESSAGE);
        }
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
        boolean script = trigger == Run.Trigger.SCRIPT;
        Settled<String> settled = invoke(val, code, trigger, script, waitForSlot, null, web,
                context -> context.callTrigger(argsJson, trigger),
                (context, logs, durationMs) -> context.answerJson());
        record(val, settled.version(), trigger, runId, settled.outcome(), null, settled.startedAt(), settled.durationMs(),
                settled.logs(), settled.error());
        return new TriggerRun(runId, settled.version(), settled.outcome(), settled.value(), settled.logs(), settled.error(),
                settled.startedAt(), settled.durationMs());
    }

    private void record(Val val, int version, Run.Trigger trigger, long runId, Run.Outcome outcome, Integer httpStatus,
                        Instant startedAt, double durationMs, String logs, Invocation.ValError error) {
        // masked already (see invokeWithSlot), as every answer showing it is
        String recordedError = error == null ? null : error.message() + (error.stack().isEmpty() ? "" : "\n" + error.stack());
        recorder.record(new Run(runId, val.id(), version, trigger, outcome, httpStatus, startedAt, durationMs, logs, recordedError));
    }

    /** Reads the settled handler's value out of its context (before the context goes back to the pool). */
    @FunctionalInterface
    private interface Reader<R> {
        R read(ValContext settled, String logs, double durationMs);
    }

    /**
     * How one invocation ended: the read value on success, else the error; logs and timing either way;
     * {@code head} when the answer was a streamed body (already sent through the sink).
     */
    private record Settled<R>(Run.Outcome outcome, R value, String logs, Invocation.ValError error, int version,
                              Instant startedAt, double durationMs, boolean overConcurrency, ResponseHead head,
                              HostDatabaseErrors.Failure schemaFailure) {}

    static final String CONCURRENCY_MESSAGE = "the val already runs";
    static final String MEMORY_MESSAGE = "the val could not be loaded";

    private static boolean refusedForMemory(Invocation.ValError error) {
        return error != null && error.message().startsWith(MEMORY_MESSAGE);
    }

    /** Whether this invocation would load the val into a new context (what the load gate is asked about). */
    private boolean needsNewContext(Val val, boolean freshContext) {
        ValProgram program = programs.get(val.id());
        return freshContext || program == null || program.version != val.latestVersion() || program.idleContexts() == 0;
    }

    /**
     * The invocation core every trigger shares: takes a concurrency slot, picks the version's program,
     * borrows (or creates) a context, loads the module, calls the handler under the wall-clock and
     * allocation limits, runs its event loop (timers, fetches, a streamed body into {@code out}) until it
     * settles, reads the result, and returns or discards the context.
     *
     * @param out where a streamed HTTP body goes; null for triggers without a response
     */
    private <R> Settled<R> invoke(Val val, String code, Run.Trigger trigger, boolean freshContext, boolean waitForSlot,
                                  ResponseSink out, Web limits, Predicate<ValContext> call, Reader<R> reader) {
        Instant startedAt = Instant.now();
        long startNs = System.nanoTime();
        Optional<String> refusal = needsNewContext(val, freshContext) ? loads.refusal() : Optional.empty();
        if (refusal.isPresent()) {
            var error = new Invocation.ValError(MEMORY_MESSAGE + " because " + refusal.get(), 0, 0, "");
            return new Settled<>(Run.Outcome.LIMIT, null, "", error, val.latestVersion(), startedAt, millisSince(startNs), false, null, null);
        }
        boolean slot = waitForSlot ? concurrency.acquire(val.id(), settings.timeoutMs()) : concurrency.tryAcquire(val.id());
        if (!slot) {
            var error = new Invocation.ValError(CONCURRENCY_MESSAGE + " " + concurrency.limit() + " invocations at once (VAL_MAX_CONCURRENCY);"
                    + " this " + trigger.wire() + " run was refused", 0, 0, "");
            return new Settled<>(Run.Outcome.LIMIT, null, "", error, val.latestVersion(), startedAt, millisSince(startNs), true, null, null);
        }
        try {
            // the time limit counts from here: waiting for a slot is not the run's time
            return invokeWithSlot(val, code, freshContext, out, limits, call, reader, startedAt, System.nanoTime());
        } finally {
            concurrency.release(val.id());
        }
    }

    private <R> Settled<R> invokeWithSlot(Val val, String code, boolean freshContext, ResponseSink out, Web limits,
                                          Predicate<ValContext> call, Reader<R> reader, Instant startedAt, long startNs) {
        ValProgram program;
        try {
            program = programFor(val, code); // resolving imports reads other vals' versions
        } catch (StoreException e) {
            if (!e.isSchemaOrConnectionProblem()) throw e;
            schemaRecheck.run();
            var failure = new HostDatabaseErrors.Failure("resolving the val's imports", e);
            return new Settled<>(Run.Outcome.SCHEMA, null, "", new Invocation.ValError(failure.describe(), 0, 0, ""),
                    val.latestVersion(), startedAt, millisSince(startNs), false, null, failure);
        }
        ValContext context = freshContext ? program.fresh(engine, settings.logLimitBytes(), spares)
                : program.acquire(engine, settings.logLimitBytes(), spares);
        Watchdog.Watch watch = watchdog.watch(context, settings.timeoutMs(), settings.maxAllocatedBytes());
        long deadlineNs = startNs + settings.timeoutMs() * 1_000_000L;
        Invocation.ValError error = null;
        Run.Outcome outcome;
        boolean answered = false;
        boolean reusable = !freshContext;
        ResponseHead head = null;
        var caller = new CallScope.Caller(val.id(), val.ownerId(), program.name, program.version);
        CallScope scope = context.scope.enter(new CallScope(caller, deadlineNs, out,
                new CallScope.Web(limits.fetcher(), limits.maxResponseBytes()), schemaRecheck));
        try {
            if (!context.loaded()) {
                if (program.graph.error().isPresent()) throw new ImportFailed(program.graph.error().get());
                reusable = false; // a module that failed to load (or never finished) is not retried in this context
                if (!load(context, program, freshContext, scope, watch)) throw new LoadTimedOut();
                reusable = !freshContext;
            }
            answered = call.test(context) || awaitSettled(context, scope, watch);
            outcome = answered ? Run.Outcome.SUCCESS : Run.Outcome.TIMEOUT;
            if (out != null && answered && context.answerStreams()) {
                head = context.answerHead();
                out.head(head);
                outcome = stream(context, scope, watch);
                if (outcome == Run.Outcome.LIMIT) {
                    error = new Invocation.ValError("the val's streamed response passed the limit of " + limits.maxResponseBytes()
                            + " bytes (" + Web.MAX_RESPONSE_VARIABLE + ") and was cut off", 0, 0, "");
                }
            }
        } catch (PolyglotException e) {
            if (watch.cancelled() || e.isCancelled()) {
                outcome = Run.Outcome.TIMEOUT;
            } else if (e.isResourceExhausted()) {
                outcome = Run.Outcome.LIMIT;
                error = describe(e, program.source);
                reusable = false;
            } else if (e.isInternalError() || e.isHostException()) {
                log.error("Internal error while running {}: {}", program.name, e.getMessage(), e);
                outcome = Run.Outcome.ERROR;
                error = new Invocation.ValError("internal error in the runtime", 0, 0, "");
                reusable = false;
            } else {
                outcome = Run.Outcome.ERROR;
                error = describe(e, program.source);
                if (program.graph.importsAnything()) {
                    error = new Invocation.ValError(error.message(), error.line(), error.column(), program.graph.nameModulesIn(error.stack()));
                }
            }
        } catch (NeverSettled | ImportFailed e) {
            outcome = Run.Outcome.ERROR;
            error = new Invocation.ValError(e.getMessage(), 0, 0, "");
        } catch (LoadTimedOut e) {
            outcome = Run.Outcome.TIMEOUT;
        } catch (IllegalStateException closedByWatchdog) {
            if (!watch.cancelled()) {
                watch.finish();
                context.close(); // unknown state: never pooled
                throw closedByWatchdog;
            }
            outcome = Run.Outcome.TIMEOUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Run.Outcome.TIMEOUT;
        } finally {
            scope.close();
            context.scope.leave();
        }
        // module state may hold what a failed read left behind: the next invocation starts afresh
        if (scope.schemaFailure() != null) reusable = false;

        boolean inTime = watch.finish();
        program.allocatedBytes.add(watch.allocatedBytes());
        String logs = modules == null ? context.logs.take() : modules.maskSecrets(val.ownerId(), context.logs.take());
        R value = null;
        if (watch.cause() == Watchdog.Cause.MEMORY) {
            outcome = Run.Outcome.LIMIT;
            error = new Invocation.ValError("the val allocated more than " + settings.maxAllocatedBytes() / (1024 * 1024)
                    + " MB in one invocation and was stopped", 0, 0, "");
            context.close(); // stopped mid-run: discarded (the watchdog may have closed it already)
        } else if (outcome == Run.Outcome.TIMEOUT || !inTime) {
            outcome = Run.Outcome.TIMEOUT;
            error = new Invocation.ValError("the val did not answer within " + settings.timeoutMs() + " ms and was stopped", 0, 0, "");
            context.close(); // also when the event loop's deadline came before the watchdog's: never pooled, never leaked
        } else {
            if (outcome == Run.Outcome.SUCCESS && head == null) {
                try {
                    value = reader.read(context, logs, millisSince(startNs));
                } catch (RuntimeException e) {
                    outcome = Run.Outcome.ERROR;
                    error = new Invocation.ValError("the val's response could not be read: " + e.getMessage(), 0, 0, "");
                }
            }
            if (reusable) {
                context.reset();
                program.release(context);
            } else {
                context.close();
            }
        }
        HostDatabaseErrors.Failure schemaFailure = scope.schemaFailure();
        if (schemaFailure != null) {
            // whatever the val made of the error (its own 500, a 200 without the data), the platform answers
            outcome = Run.Outcome.SCHEMA;
            value = null;
            error = new Invocation.ValError(schemaFailure.describe(), 0, 0, "");
        } else {
            // the error may reach a stranger's answer, not only the run record: the owner's env values never do
            error = masked(val.ownerId(), error);
        }
        return new Settled<>(outcome, value, logs, error, program.version, startedAt, millisSince(startNs), false, head, schemaFailure);
    }

    /**
     * The error with the owner's env values replaced by their names. A schema run's error is not passed
     * here: it is the platform's sentence naming SQL objects, never values (and masking needs the
     * environment variables, which may be what failed).
     */
    private Invocation.ValError masked(long ownerId, Invocation.ValError error) {
        if (error == null || modules == null) return error;
        String stack = error.stack().isEmpty() ? "" : modules.maskSecrets(ownerId, error.stack());
        return new Invocation.ValError(modules.maskSecrets(ownerId, error.message()), error.line(), error.column(), stack);
    }

    /**
     * Loads the val's module into {@code context}: evaluates it through {@code import()} and runs the
     * event loop (timers, fetches, blob reads) until its evaluation, top-level await included, has
     * settled, so no export is used before the module finished. Throws the module's error.
     *
     * @return false when the deadline passed first
     */
    private static boolean load(ValContext context, ValProgram program, boolean script, CallScope scope, Watchdog.Watch watch)
            throws InterruptedException {
        context.startLoad(program.specifier, script);
        if (!awaitSettled(context, scope, watch, NeverSettled.MODULE)) return false;
        context.finishLoad();
        return true;
    }

    /**
     * Runs the event loop until the handler's promise settles and takes its value (throwing its
     * rejection); false when the deadline passed first.
     */
    private static boolean awaitSettled(ValContext context, CallScope scope, Watchdog.Watch watch) throws InterruptedException {
        return awaitSettled(context, scope, watch, NeverSettled.HANDLER);
    }

    private static boolean awaitSettled(ValContext context, CallScope scope, Watchdog.Watch watch, String neverSettled)
            throws InterruptedException {
        EventLoop.Exit exit = scope.loop.run(() -> context.settlement() != ValContext.Settlement.PENDING, context, scope.deadlineNs,
                watch::cancelled);
        return switch (exit) {
            case DEADLINE -> false;
            case STUCK -> throw new NeverSettled(neverSettled);
            case DONE -> {
                context.takeSettled();
                yield true;
            }
        };
    }

    /**
     * Sends a streamed body: the prelude reads the val's stream and writes each chunk through
     * {@code host.web.write}; the loop runs until the stream ends, errors, passes the size limit, the
     * client leaves, or the deadline passes.
     */
    private static Run.Outcome stream(ValContext context, CallScope scope, Watchdog.Watch watch) throws InterruptedException {
        context.pump();
        EventLoop.Exit exit = scope.loop.run(() -> context.streamSettlement() != ValContext.Settlement.PENDING || scope.overLimit()
                || scope.clientGone(), context, scope.deadlineNs, watch::cancelled);
        if (exit == EventLoop.Exit.DEADLINE) return Run.Outcome.TIMEOUT;
        if (exit == EventLoop.Exit.STUCK) {
            context.cancelStream("the stream never ended");
            throw new NeverSettled("the response stream never ended: it waits for something that will never happen");
        }
        if (scope.overLimit()) {
            context.cancelStream("the response passed the size limit");
            return Run.Outcome.LIMIT;
        }
        ValContext.Settlement state = context.streamSettlement();
        if (state == ValContext.Settlement.REJECTED) context.rethrowStreamError(); // throws the stream's error
        if (state == ValContext.Settlement.PENDING) context.cancelStream("the client went away");
        return Run.Outcome.SUCCESS;
    }

    /** Collects a streamed body for callers that want the whole response (no sink). */
    private static final class BufferingSink implements ResponseSink {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public void head(ResponseHead head) {}

        @Override
        public void chunk(byte[] chunk) {
            bytes.writeBytes(chunk);
        }

        @Override
        public void end() {}

        @Override
        public void cut() {}

        @Override
        public boolean gone() {
            return false;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static Invocation toResponse(ValContext.HttpAnswer answer, String logs, double durationMs, long maxBytes) {
        if (answer.body() == null) {
            var error = new Invocation.ValError("the val's response body is " + answer.bodyBytes() + " bytes, more than the limit of "
                    + maxBytes + " bytes (" + Web.MAX_RESPONSE_VARIABLE + ")", 0, 0, "");
            return new Invocation(Run.Outcome.LIMIT, ResponseHead.of(500), Body.NONE, logs, error, durationMs);
        }
        return new Invocation(Run.Outcome.SUCCESS, answer.head(), answer.body(), logs, null, durationMs);
    }

    /** The guest's error: its message, the first line of the val's own code on its stack, the stack. */
    static Invocation.ValError describe(PolyglotException e, Source module) {
        int line = 0;
        int column = 0;
        var stack = new StringBuilder();
        for (var frame : e.getPolyglotStackTrace()) {
            if (!frame.isGuestFrame()) continue;
            SourceSection where = frame.getSourceLocation();
            if (where == null || where.getSource().getName().startsWith("valence:")) continue;
            if (line == 0 && where.getSource().getName().equals(module.getName())) {
                line = where.getStartLine();
                column = where.getStartColumn();
            }
            String function = frame.getRootName() == null || frame.getRootName().isEmpty() ? "<anonymous>" : frame.getRootName();
            stack.append("    at ").append(function).append(" (").append(where.getSource().getName()).append(':')
                    .append(where.getStartLine()).append(':').append(where.getStartColumn()).append(")\n");
        }
        if (line == 0 && e.getSourceLocation() != null && e.getSourceLocation().getSource().getName().equals(module.getName())) {
            line = e.getSourceLocation().getStartLine();
            column = e.getSourceLocation().getStartColumn();
        }
        String message = e.getMessage() == null ? "error" : e.getMessage();
        return new Invocation.ValError(message, line, column, stack.toString().stripTrailing());
    }

    /**
     * Loads a just-saved HTTP val's module into a context of its program, so the version's first
     * request finds a loaded context and pays for a call, not a module load (the cold start). The
     * module's top-level code runs under the same time and allocation limits as a request; what it
     * logs stays in the context and goes into the first run's logs. Anything that fails here is
     * left for the first request, which loads the module again and reports the failure as its run.
     */
    public void prepare(Val val, String code) {
        if (val.type() != Val.Type.HTTP || loads.refusal().isPresent() || !concurrency.tryAcquire(val.id())) return;
        try {
            ValProgram program = programFor(val, code);
            if (program.version != val.latestVersion() || program.graph.error().isPresent()) return;
            ValContext context = program.acquire(engine, settings.logLimitBytes(), spares);
            if (context.loaded()) {
                program.release(context);
                return;
            }
            long deadlineNs = System.nanoTime() + settings.timeoutMs() * 1_000_000L;
            Watchdog.Watch watch = watchdog.watch(context, settings.timeoutMs(), settings.maxAllocatedBytes());
            var caller = new CallScope.Caller(val.id(), val.ownerId(), program.name, program.version);
            CallScope scope = context.scope.enter(new CallScope(caller, deadlineNs, null,
                    new CallScope.Web(web.fetcher(), web.maxResponseBytes()), schemaRecheck));
            boolean loaded = false;
            try {
                loaded = load(context, program, false, scope, watch);
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
            concurrency.release(val.id());
        }
    }

    private ValProgram programFor(Val val, String code) {
        ValProgram current = programs.get(val.id());
        if (current != null && current.version > val.latestVersion()) return current;
        if (current != null && current.version == val.latestVersion() && (modules == null || !modules.stale(current.graph))) return current;
        ValProgram fresh;
        if (modules == null) {
            fresh = new ValProgram(val.id(), val.latestVersion(), val.ownerId(), val.fullName(), code, settings.contextsPerVersion());
        } else {
            ModuleGraph graph = modules.resolve(val, code);
            fresh = new ValProgram(val.id(), val.latestVersion(), val.ownerId(), val.fullName(), code, settings.contextsPerVersion(),
                    graph, modules.sandbox(val, graph));
        }
        // a newer version wins; at the same version the newer graph wins unless another thread replaced the program first
        ValProgram winner = programs.merge(val.id(), fresh, (old, neu) -> {
            if (old.version > neu.version || (old.version == neu.version && old != current)) return old;
            old.retire();
            return neu;
        });
        if (programs.size() > settings.maxWarmVersions()) evictLeastRecentlyUsed();
        return winner;
    }

    private void evictLeastRecentlyUsed() {
        programs.values().stream().min(Comparator.comparingLong(p -> p.lastUsedNanos)).ifPresent(p -> {
            if (programs.remove(p.valId, p)) p.retire();
        });
    }

    /**
     * Evicts the warm versions whose invocations allocated the most, largest first, until what they
     * allocated reaches {@code bytes} (at least one when any is warm); their in-flight contexts close
     * when they come back. Returns their names with what each allocated.
     */
    public List<String> evictLargestAllocators(long bytes) {
        var evicted = new ArrayList<String>();
        long covered = 0;
        for (ValProgram program : programs.values().stream()
                .sorted(Comparator.comparingLong((ValProgram p) -> p.allocatedBytes.sum()).reversed()).toList()) {
            if (!evicted.isEmpty() && covered >= bytes) break;
            if (!programs.remove(program.valId, program)) continue;
            program.retire();
            long allocated = program.allocatedBytes.sum();
            covered += allocated;
            evicted.add(program.name + "@" + program.version + " (" + allocated / (1024 * 1024) + " MB allocated)");
        }
        return evicted;
    }

    /** Drops the warm contexts of a val (after it was deleted or changed here). */
    public void forget(long valId) {
        ValProgram program = programs.remove(valId);
        if (program != null) program.retire();
    }

    /** Loaded contexts waiting in the pool of the val's current program (0 when it has none). */
    public int idleContexts(long valId) {
        ValProgram program = programs.get(valId);
        return program == null ? 0 : program.idleContexts();
    }

    public int warmVersions() {
        return programs.size();
    }

    private static double millisSince(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000.0;
    }

    /** The val's imports could not be resolved; the message names the chain of imports. */
    static final class ImportFailed extends RuntimeException {
        ImportFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** The module's loading ran past the deadline (the invocation is a timeout). */
    private static final class LoadTimedOut extends Exception {
        LoadTimedOut() {
            super(null, null, false, false);
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
        watchdog.close();
        programs.values().forEach(ValProgram::retire);
        programs.clear();
    }
}
