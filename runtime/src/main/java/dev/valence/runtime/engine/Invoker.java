package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.Val;
import java.time.Instant;
import java.util.function.Predicate;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one admitted invocation in a context of the version's program: borrows (or makes) the context,
 * loads the module, calls the handler under the wall-clock and allocation limits, runs its event loop
 * (timers, fetches, a streamed body into the sink) until it settles, then settles the run: the limits'
 * verdict, the answer read, the context returned or discarded, the error masked.
 */
final class Invoker {
    private static final Logger log = LoggerFactory.getLogger(Invoker.class);

    /** Reads the settled handler's answer out of its context (before the context goes back to the pool). */
    @FunctionalInterface
    interface Reader<R> {
        R read(ValContext settled, String logs, double durationMs);
    }

    /**
     * One invocation to make: the val and its code, its trigger (a script runs in a fresh context),
     * where a streamed body goes (null: nowhere), what it may use of the web, how the handler is called
     * ({@code start}: true when it answered at once) and how its answer is read.
     */
    record Call<R>(Val val, String code, Run.Trigger trigger, ResponseSink out, CallScope.Web web,
                   Predicate<ValContext> start, Reader<R> reader) {
        boolean freshContext() {
            return trigger == Run.Trigger.SCRIPT;
        }
    }

    /** When the run started and which version it ran. */
    record Ran(int version, Instant startedAt, double durationMs) {}

    /**
     * How one invocation ended: the read value on success, else the error; logs and timing either way;
     * {@code streamedHead} when the answer was a streamed body (already sent through the sink);
     * {@code refusal} when the limits refused it before it started.
     */
    record Settled<R>(Run.Outcome outcome, R value, Invocation.ValError error, String logs, Ran ran, ResponseHead streamedHead,
                      HostDatabaseErrors.Failure schemaFailure, InvocationLimits.Refusal refusal) {
        static <R> Settled<R> refused(InvocationLimits.Refused refused, Ran ran) {
            return new Settled<>(Run.Outcome.LIMIT, null, refused.error(), "", ran, null, null, refused.why());
        }
    }

    private final JsEngine engine;
    private final InvocationLimits limits;
    private final OwnerModules modules;
    private final SpareContexts spares;
    private final int logLimitBytes;

    Invoker(JsEngine engine, InvocationLimits limits, OwnerModules modules, SpareContexts spares, int logLimitBytes) {
        this.engine = engine;
        this.limits = limits;
        this.modules = modules;
        this.spares = spares;
        this.logLimitBytes = logLimitBytes;
    }

    /** A context of {@code program}: a pooled one, or a fresh one for a script. */
    ValContext borrow(ValProgram program, boolean freshContext) {
        return freshContext ? program.fresh(engine, logLimitBytes, spares) : program.acquire(engine, logLimitBytes, spares);
    }

    /** The scope of an invocation of {@code program} in {@code context}, entered for its host functions. */
    static CallScope enter(ValContext context, ValProgram program, long deadlineNs, ResponseSink out, CallScope.Web web,
                           Runnable schemaRecheck) {
        var caller = new CallScope.Caller(program.valId, program.ownerId, program.name, program.version);
        return context.scope.enter(new CallScope(caller, deadlineNs, out, web, schemaRecheck));
    }

    /** Runs {@code call} in a context of {@code program}; the time limit counts from {@code startNs}. */
    <R> Settled<R> run(ValProgram program, Call<R> call, Runnable schemaRecheck, Instant startedAt, long startNs) {
        ValContext context = borrow(program, call.freshContext());
        Watchdog.Watch watch = limits.watch(context);
        CallScope scope = enter(context, program, limits.deadlineNs(startNs), call.out(), call.web(), schemaRecheck);
        Attempt attempt;
        try {
            attempt = Attempt.make(context, program, call, scope, watch);
        } catch (IllegalStateException notByTheWatchdog) {
            watch.finish();
            context.close(); // unknown state: never pooled
            throw notByTheWatchdog;
        } finally {
            scope.close();
            context.scope.leave();
        }
        return settle(program, call, context, scope, watch, attempt, startedAt, startNs);
    }

    /** The limits' verdict over the attempt, the answer read, the context returned or discarded, the error masked. */
    private <R> Settled<R> settle(ValProgram program, Call<R> call, ValContext context, CallScope scope, Watchdog.Watch watch,
                                  Attempt attempt, Instant startedAt, long startNs) {
        Run.Outcome outcome = attempt.outcome();
        Invocation.ValError error = attempt.error();
        // module state may hold what a failed read left behind: the next invocation starts afresh
        boolean reusable = attempt.reusable() && scope.schemaFailure() == null;
        boolean inTime = watch.finish();
        program.allocatedBytes.add(watch.allocatedBytes());
        long ownerId = scope.caller.ownerId();
        String logs = modules.maskSecrets(ownerId, context.logs.take());
        R value = null;
        if (watch.cause() == Watchdog.Cause.MEMORY) {
            outcome = Run.Outcome.LIMIT;
            error = limits.overMemory();
            context.close(); // stopped mid-run: discarded (the watchdog may have closed it already)
        } else if (outcome == Run.Outcome.TIMEOUT || !inTime) {
            outcome = Run.Outcome.TIMEOUT;
            error = limits.timedOut();
            context.close(); // also when the event loop's deadline came before the watchdog's: never pooled, never leaked
        } else {
            if (outcome == Run.Outcome.SUCCESS && attempt.streamedHead() == null) {
                try {
                    value = call.reader().read(context, logs, millisSince(startNs));
                } catch (RuntimeException e) {
                    outcome = Run.Outcome.ERROR;
                    error = InvocationLimits.sentence("the val's response could not be read: " + e.getMessage());
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
            error = InvocationLimits.sentence(schemaFailure.describe());
        } else {
            // the error may reach a stranger's answer, not only the run record: the owner's env values never do
            error = GuestErrors.masked(modules, ownerId, error);
        }
        var ran = new Ran(program.version, startedAt, millisSince(startNs));
        return new Settled<>(outcome, value, error, logs, ran, attempt.streamedHead(), schemaFailure, null);
    }

    static double millisSince(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000.0;
    }

    /**
     * How the guest part of an invocation ended, as one value instead of a ladder of catches: the
     * outcome before the limits' verdict, the error, whether the context may serve again, and the
     * head of a streamed answer (already sent).
     */
    record Attempt(Run.Outcome outcome, Invocation.ValError error, boolean reusable, ResponseHead streamedHead) {
        /** Loads the module if needed, calls the handler, awaits its answer and pumps a streamed body. */
        static Attempt make(ValContext context, ValProgram program, Call<?> call, CallScope scope, Watchdog.Watch watch) {
            boolean reusable = !call.freshContext();
            ResponseHead head = null;
            try {
                if (!context.loaded()) {
                    if (program.graph.error().isPresent()) throw new ValRunner.ImportFailed(program.graph.error().get());
                    reusable = false; // a module that failed to load (or never finished) is not retried in this context
                    if (!Settling.load(context, program, call.freshContext(), scope, watch)) {
                        return new Attempt(Run.Outcome.TIMEOUT, null, false, null);
                    }
                    reusable = !call.freshContext();
                }
                boolean answered = call.start().test(context) || Settling.await(context, scope, watch, ValRunner.NeverSettled.HANDLER);
                if (!answered) return new Attempt(Run.Outcome.TIMEOUT, null, reusable, null);
                if (call.out() == null || !context.answerStreams()) return new Attempt(Run.Outcome.SUCCESS, null, reusable, null);
                head = context.answerHead();
                call.out().head(head);
                Run.Outcome streamed = Settling.stream(context, scope, watch);
                Invocation.ValError error = streamed == Run.Outcome.LIMIT ? InvocationLimits.overStreamedResponse(scope.maxResponseBytes()) : null;
                return new Attempt(streamed, error, reusable, head);
            } catch (PolyglotException e) {
                return caught(e, program, watch, reusable, head);
            } catch (ValRunner.NeverSettled | ValRunner.ImportFailed e) {
                return new Attempt(Run.Outcome.ERROR, InvocationLimits.sentence(e.getMessage()), reusable, head);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Attempt(Run.Outcome.TIMEOUT, null, reusable, head);
            } catch (IllegalStateException closed) {
                if (!watch.cancelled()) throw closed; // not the watchdog's doing: the caller discards the context
                return new Attempt(Run.Outcome.TIMEOUT, null, reusable, head);
            }
        }

        /** A guest exception, classified: a cancellation, a resource limit, the runtime's own fault, or the val's error. */
        private static Attempt caught(PolyglotException e, ValProgram program, Watchdog.Watch watch, boolean reusable, ResponseHead head) {
            if (watch.cancelled() || e.isCancelled()) return new Attempt(Run.Outcome.TIMEOUT, null, reusable, head);
            if (e.isResourceExhausted()) return new Attempt(Run.Outcome.LIMIT, GuestErrors.describe(e, program.source), false, head);
            if (e.isInternalError() || e.isHostException()) {
                log.error("Internal error while running {}: {}", program.name, e.getMessage(), e);
                return new Attempt(Run.Outcome.ERROR, InvocationLimits.sentence("internal error in the runtime"), false, head);
            }
            Invocation.ValError error = GuestErrors.describe(e, program.source);
            if (program.graph.importsAnything()) {
                error = new Invocation.ValError(error.message(), error.line(), error.column(), program.graph.nameModulesIn(error.stack()));
            }
            return new Attempt(Run.Outcome.ERROR, error, reusable, head);
        }
    }
}
