package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.Val;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
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

    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings) {
        this(engine, recorder, settings, ConcurrencyLimit.DEFAULT_MAX_PER_VAL);
    }

    /** @param maxConcurrentPerVal invocations one val may have running at once (VAL_MAX_CONCURRENCY) */
    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings, int maxConcurrentPerVal) {
        this.engine = engine;
        this.recorder = recorder;
        this.settings = settings;
        this.concurrency = new ConcurrencyLimit(maxConcurrentPerVal);
    }

    /** One HTTP request as the val will see it. {@code rawHeaders}: name NUL value NUL ..., names in lower case. */
    public record HttpCall(String method, String url, String rawHeaders, byte[] body) {}

    public Invocation runHttp(Val val, String code, HttpCall call) {
        Settled<Invocation> settled = invoke(val, code, Run.Trigger.HTTP, false, false,
                context -> context.http.execute(context.handler(), call.method(), call.url(), call.rawHeaders(),
                        call.body() == null ? null : ByteBuffer.wrap(call.body())),
                (wire, logs, durationMs) -> toResponse(wire, logs, durationMs));
        Invocation result = switch (settled.outcome()) {
            case SUCCESS -> settled.value();
            case TIMEOUT -> new Invocation(settled.outcome(), 504, "", "", null, settled.logs(), settled.error(), settled.durationMs());
            case LIMIT -> new Invocation(settled.outcome(), settled.overConcurrency() ? 429 : 500, "", "", null, settled.logs(),
                    settled.error(), settled.durationMs());
            default -> new Invocation(settled.outcome(), 500, "", "", null, settled.logs(), settled.error(), settled.durationMs());
        };
        record(val, settled, Run.Trigger.HTTP, 0, result.status());
        return result;
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
        Settled<String> settled = invoke(val, code, trigger, script, waitForSlot,
                context -> context.invoke.execute(context.handler(), argsJson),
                (wire, logs, durationMs) -> {
                    Value json = wire.getArrayElement(0);
                    return json.isNull() ? null : json.asString();
                });
        record(val, settled, trigger, runId, null);
        return new TriggerRun(runId, settled.version(), settled.outcome(), settled.value(), settled.logs(), settled.error(),
                settled.startedAt(), settled.durationMs());
    }

    private void record(Val val, Settled<?> settled, Run.Trigger trigger, long runId, Integer httpStatus) {
        var error = settled.error();
        recorder.record(new Run(runId, val.id(), settled.version(), trigger, settled.outcome(), httpStatus, settled.startedAt(),
                settled.durationMs(), settled.logs(),
                error == null ? null : error.message() + (error.stack().isEmpty() ? "" : "\n" + error.stack())));
    }

    /** Reads the settled handler's value out of its context (before the context goes back to the pool). */
    @FunctionalInterface
    private interface Reader<R> {
        R read(Value wire, String logs, double durationMs);
    }

    /** How one invocation ended: the read value on success, else the error; logs and timing either way. */
    private record Settled<R>(Run.Outcome outcome, R value, String logs, Invocation.ValError error, int version,
                              Instant startedAt, double durationMs, boolean overConcurrency) {}

    static final String CONCURRENCY_MESSAGE = "the val already runs";

    /**
     * The invocation core every trigger shares: takes a concurrency slot, picks the version's program,
     * borrows (or creates) a context, loads the module, calls the handler under the wall-clock and
     * allocation limits, drives its promise and timers, reads the result, and returns or discards the
     * context.
     */
    private <R> Settled<R> invoke(Val val, String code, Run.Trigger trigger, boolean freshContext, boolean waitForSlot,
                                  java.util.function.Function<ValContext, Value> call, Reader<R> reader) {
        Instant startedAt = Instant.now();
        long startNs = System.nanoTime();
        boolean slot = waitForSlot ? concurrency.acquire(val.id(), settings.timeoutMs()) : concurrency.tryAcquire(val.id());
        if (!slot) {
            var error = new Invocation.ValError(CONCURRENCY_MESSAGE + " " + concurrency.limit() + " invocations at once (VAL_MAX_CONCURRENCY);"
                    + " this " + trigger.wire() + " run was refused", 0, 0, "");
            return new Settled<>(Run.Outcome.LIMIT, null, "", error, val.latestVersion(), startedAt, millisSince(startNs), true);
        }
        try {
            return invokeWithSlot(val, code, freshContext, call, reader, startedAt, startNs);
        } finally {
            concurrency.release(val.id());
        }
    }

    private <R> Settled<R> invokeWithSlot(Val val, String code, boolean freshContext, java.util.function.Function<ValContext, Value> call,
                                          Reader<R> reader, Instant startedAt, long startNs) {
        ValProgram program = programFor(val, code);
        ValContext context = freshContext ? new ValContext(engine, settings.logLimitBytes()) : program.acquire(engine, settings.logLimitBytes());
        Watchdog.Watch watch = watchdog.watch(context, settings.timeoutMs(), settings.maxAllocatedBytes());
        long deadlineNs = startNs + settings.timeoutMs() * 1_000_000L;
        Invocation.ValError error = null;
        Run.Outcome outcome;
        Value wire = null;
        boolean reusable = !freshContext;
        try {
            if (!context.loaded()) {
                try {
                    if (freshContext) context.loadScript(program.source);
                    else context.load(program.source);
                } catch (PolyglotException e) {
                    reusable = false; // a module that failed to load is not retried in this context
                    throw e;
                }
            }
            wire = call.apply(context);
            if (wire.isNull()) wire = awaitSettled(context, deadlineNs, watch);
            outcome = wire == null ? Run.Outcome.TIMEOUT : Run.Outcome.SUCCESS;
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
            }
        } catch (NeverSettled e) {
            outcome = Run.Outcome.ERROR;
            error = new Invocation.ValError(e.getMessage(), 0, 0, "");
        } catch (IllegalStateException closedByWatchdog) {
            if (!watch.cancelled()) throw closedByWatchdog;
            outcome = Run.Outcome.TIMEOUT;
        }

        boolean inTime = watch.finish();
        String logs = context.logs.take();
        R value = null;
        if (watch.cause() == Watchdog.Cause.MEMORY) {
            outcome = Run.Outcome.LIMIT;
            error = new Invocation.ValError("the val allocated more than " + settings.maxAllocatedBytes() / (1024 * 1024)
                    + " MB in one invocation and was stopped", 0, 0, "");
        } else if (outcome == Run.Outcome.TIMEOUT || !inTime) {
            outcome = Run.Outcome.TIMEOUT;
            error = new Invocation.ValError("the val did not answer within " + settings.timeoutMs() + " ms and was stopped", 0, 0, "");
        } else {
            if (outcome == Run.Outcome.SUCCESS) {
                try {
                    value = reader.read(wire, logs, millisSince(startNs));
                } catch (RuntimeException e) {
                    outcome = Run.Outcome.ERROR;
                    error = new Invocation.ValError("the val's response could not be read: " + e.getMessage(), 0, 0, "");
                }
            }
            if (reusable) {
                context.reset.execute();
                program.release(context);
            } else {
                context.close();
            }
        }
        return new Settled<>(outcome, value, logs, error, program.version, startedAt, millisSince(startNs), false);
    }

    /** Runs timers until the handler's promise settles; null when the deadline passed first. */
    private static Value awaitSettled(ValContext context, long deadlineNs, Watchdog.Watch watch) {
        while (true) {
            int state = context.state.execute().asInt();
            if (state == 1) return context.value.execute();
            if (state == 2) context.rethrow.execute(); // throws the rejection as a PolyglotException
            long delayMs = context.nextTimerDelay.execute().asLong();
            if (delayMs < 0) {
                throw new NeverSettled();
            }
            long remainingMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
            if (remainingMs <= 0 || watch.cancelled()) return null;
            if (delayMs > 0) {
                try {
                    Thread.sleep(Math.min(delayMs, remainingMs));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            context.fireTimers.execute();
        }
    }

    private static Invocation toResponse(Value wire, String logs, double durationMs) {
        int status = wire.getArrayElement(0).asInt();
        String statusText = wire.getArrayElement(1).asString();
        String headers = wire.getArrayElement(2).asString();
        Value bodyValue = wire.getArrayElement(3);
        Object body;
        if (bodyValue.isNull()) {
            body = null;
        } else if (bodyValue.isString()) {
            body = bodyValue.asString();
        } else if (bodyValue.hasBufferElements()) {
            byte[] bytes = new byte[Math.toIntExact(bodyValue.getBufferSize())];
            bodyValue.readBuffer(0, bytes, 0, bytes.length);
            body = bytes;
        } else {
            throw new IllegalStateException("unexpected body of type " + bodyValue);
        }
        return new Invocation(Run.Outcome.SUCCESS, status, statusText, headers, body, logs, null, durationMs);
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

    private ValProgram programFor(Val val, String code) {
        ValProgram current = programs.get(val.id());
        if (current != null && current.version >= val.latestVersion()) return current;
        var fresh = new ValProgram(val.id(), val.latestVersion(), val.ownerId(), val.fullName(), code, settings.contextsPerVersion());
        ValProgram winner = programs.merge(val.id(), fresh, (old, neu) -> {
            if (old.version >= neu.version) return old;
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

    /** Drops the warm contexts of a val (after it was deleted or changed here). */
    public void forget(long valId) {
        ValProgram program = programs.remove(valId);
        if (program != null) program.retire();
    }

    public int warmVersions() {
        return programs.size();
    }

    private static double millisSince(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000.0;
    }

    /** The handler's promise can never settle: nothing is pending that could settle it. */
    static final class NeverSettled extends RuntimeException {
        NeverSettled() {
            super("the handler's promise never settled: it awaits something that will never happen", null, false, false);
        }
    }

    @Override
    public void close() {
        watchdog.close();
        programs.values().forEach(ValProgram::retire);
        programs.clear();
    }
}
