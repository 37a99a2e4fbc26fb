package dev.valence.runtime.engine;

import dev.valence.runtime.engine.modules.ModuleGraph;
import dev.valence.runtime.engine.modules.ValModules;
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
    private final ValModules modules;

    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings) {
        this(engine, recorder, settings, null);
    }

    /** A runner whose vals can import vals and std/blob and read their owner's env ({@code modules} null: they cannot). */
    public ValRunner(JsEngine engine, RunRecorder recorder, Settings settings, ValModules modules) {
        this.modules = modules;
        this.engine = engine;
        this.recorder = recorder;
        this.settings = settings;
    }

    /** One HTTP request as the val will see it. {@code rawHeaders}: name NUL value NUL ..., names in lower case. */
    public record HttpCall(String method, String url, String rawHeaders, byte[] body) {}

    public Invocation runHttp(Val val, String code, HttpCall call) {
        Instant startedAt = Instant.now();
        long startNs = System.nanoTime();
        ValProgram program = programFor(val, code);
        ValContext context = program.acquire(engine, settings.logLimitBytes());
        Watchdog.Watch watch = watchdog.watch(context, settings.timeoutMs(), settings.maxAllocatedBytes());
        long deadlineNs = startNs + settings.timeoutMs() * 1_000_000L;
        Invocation.ValError error = null;
        Run.Outcome outcome;
        Value wire = null;
        boolean reusable = true;
        try {
            if (!context.loaded()) {
                if (program.graph.error().isPresent()) throw new ImportFailed(program.graph.error().get());
                try {
                    context.load(program.source);
                } catch (PolyglotException e) {
                    reusable = false; // a module that failed to load is not retried in this context
                    throw e;
                }
            }
            wire = context.http.execute(context.handler(), call.method(), call.url(), call.rawHeaders(),
                    call.body() == null ? null : ByteBuffer.wrap(call.body()));
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
                if (program.graph.importsAnything()) {
                    error = new Invocation.ValError(error.message(), error.line(), error.column(), program.graph.nameModulesIn(error.stack()));
                }
            }
        } catch (NeverSettled | ImportFailed e) {
            outcome = Run.Outcome.ERROR;
            error = new Invocation.ValError(e.getMessage(), 0, 0, "");
        } catch (IllegalStateException closedByWatchdog) {
            if (!watch.cancelled()) throw closedByWatchdog;
            outcome = Run.Outcome.TIMEOUT;
        }

        boolean inTime = watch.finish();
        String logs = modules == null ? context.logs.take() : modules.maskSecrets(val.ownerId(), context.logs.take());
        Invocation result;
        if (watch.cause() == Watchdog.Cause.MEMORY) {
            outcome = Run.Outcome.LIMIT;
            error = new Invocation.ValError("the val allocated more than " + settings.maxAllocatedBytes() / (1024 * 1024)
                    + " MB in one invocation and was stopped", 0, 0, "");
            result = new Invocation(outcome, 500, "", "", null, logs, error, millisSince(startNs));
        } else if (outcome == Run.Outcome.TIMEOUT || !inTime) {
            outcome = Run.Outcome.TIMEOUT;
            error = new Invocation.ValError("the val did not answer within " + settings.timeoutMs() + " ms and was stopped", 0, 0, "");
            result = new Invocation(outcome, 504, "", "", null, logs, error, millisSince(startNs));
        } else {
            if (outcome == Run.Outcome.SUCCESS) {
                try {
                    result = toResponse(wire, logs, millisSince(startNs));
                } catch (RuntimeException e) {
                    error = new Invocation.ValError("the val's response could not be read: " + e.getMessage(), 0, 0, "");
                    result = new Invocation(Run.Outcome.ERROR, 500, "", "", null, logs, error, millisSince(startNs));
                }
            } else {
                result = new Invocation(outcome, 500, "", "", null, logs, error, millisSince(startNs));
            }
            if (reusable) {
                context.reset.execute();
                program.release(context);
            } else {
                context.close();
            }
        }
        String recordedError = result.error() == null ? null
                : result.error().message() + (result.error().stack().isEmpty() ? "" : "\n" + result.error().stack());
        if (modules != null) recordedError = modules.maskSecrets(val.ownerId(), recordedError);
        recorder.record(new Run(0, val.id(), program.version, Run.Trigger.HTTP, result.outcome(),
                result.status(), startedAt, result.durationMs(), result.logs(), recordedError));
        return result;
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
        if (current != null && current.version > val.latestVersion()) return current;
        if (current != null && current.version == val.latestVersion() && (modules == null || !modules.stale(current.graph))) return current;
        ValProgram fresh;
        if (modules == null) {
            fresh = new ValProgram(val.id(), val.latestVersion(), val.ownerId(), val.fullName(), code, settings.contextsPerVersion());
        } else {
            ModuleGraph graph = modules.resolve(val, code);
            fresh = new ValProgram(val.id(), val.latestVersion(), val.ownerId(), val.fullName(), code, settings.contextsPerVersion(),
                    graph, modules.sandbox(val.ownerId(), graph));
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

    /** The val's imports could not be resolved; the message names the chain of imports. */
    static final class ImportFailed extends RuntimeException {
        ImportFailed(String message) {
            super(message, null, false, false);
        }
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
