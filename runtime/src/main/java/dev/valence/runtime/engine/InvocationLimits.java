package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.Val;
import java.util.Optional;

/**
 * The limits of the runner, in the order an invocation meets them: {@link #admit} before anything
 * (the heap's load gate when a new context is needed, then the val's concurrency slot), a
 * {@link #watch} once its context is borrowed (the wall clock and the bytes it allocates), the
 * response size as its body goes out (checked by the runner and {@link CallScope#write}), and
 * {@link #release} when it ended. Fetches in flight are capped by {@link Fetcher}, blob sizes and
 * quotas by the owner functions; their settings travel with those.
 */
final class InvocationLimits implements AutoCloseable {
    static final String CONCURRENCY_MESSAGE = "the val already runs";
    static final String MEMORY_MESSAGE = "the val could not be loaded";

    /** Why an invocation was refused before it started; the HTTP answer's status follows from it. */
    enum Refusal {
        /** The val already runs its share of invocations (429). */
        CONCURRENCY(429),
        /** The heap is short and the val would need a new context (503). */
        MEMORY(503);

        final int httpStatus;

        Refusal(int httpStatus) {
            this.httpStatus = httpStatus;
        }
    }

    /** A refusal and the sentence the run is recorded with. */
    record Refused(Refusal why, Invocation.ValError error) {}

    private final ValRunner.Settings settings;
    private final ConcurrencyLimit concurrency;
    private final Watchdog watchdog = new Watchdog();
    private volatile LoadGate loads = LoadGate.OPEN;

    InvocationLimits(ValRunner.Settings settings, int maxConcurrentPerVal) {
        this.settings = settings;
        this.concurrency = new ConcurrencyLimit(maxConcurrentPerVal);
    }

    void gateLoads(LoadGate loads) {
        this.loads = loads;
    }

    /**
     * Asked before an invocation starts. Empty when it may: it then holds a concurrency slot until
     * {@link #release}. Over the val's concurrency limit, {@code waitForSlot} waits up to the time limit.
     */
    Optional<Refused> admit(Val val, Run.Trigger trigger, boolean newContext, boolean waitForSlot) {
        Optional<String> refusal = newContext ? loads.refusal() : Optional.empty();
        if (refusal.isPresent()) {
            return Optional.of(new Refused(Refusal.MEMORY, sentence(MEMORY_MESSAGE + " because " + refusal.get())));
        }
        boolean slot = waitForSlot ? concurrency.acquire(val.id(), settings.timeoutMs()) : concurrency.tryAcquire(val.id());
        if (slot) return Optional.empty();
        return Optional.of(new Refused(Refusal.CONCURRENCY, sentence(CONCURRENCY_MESSAGE + " " + concurrency.limit()
                + " invocations at once (VAL_MAX_CONCURRENCY); this " + trigger.wire() + " run was refused")));
    }

    /** As {@link #admit} for a warm-up that does not wait and need not say why: whether it may go ahead. */
    boolean admitQuietly(Val val) {
        return loads.refusal().isEmpty() && concurrency.tryAcquire(val.id());
    }

    /** Gives back the slot {@link #admit} took. */
    void release(long valId) {
        concurrency.release(valId);
    }

    /** Starts the wall-clock and allocation limits of an invocation in {@code context}, on this thread. */
    Watchdog.Watch watch(ValContext context) {
        return watchdog.watch(context, settings.timeoutMs(), settings.maxAllocatedBytes());
    }

    /** The watchdog's sweeps, which enforce the wall clock and allocation limits: a supervisor keeps them going. */
    dev.valence.runtime.lifecycle.Supervised sampler() {
        return watchdog.sampler();
    }

    /** When an invocation that started at {@code startNs} must have ended. */
    long deadlineNs(long startNs) {
        return startNs + settings.timeoutMs() * 1_000_000L;
    }

    Invocation.ValError timedOut() {
        return sentence("the val did not answer within " + settings.timeoutMs() + " ms and was stopped");
    }

    Invocation.ValError overMemory() {
        return sentence("the val allocated more than " + settings.maxAllocatedBytes() / (1024 * 1024) + " MB in one invocation and was stopped");
    }

    static Invocation.ValError overResponse(long bytes, long maxBytes) {
        return sentence("the val's response body is " + bytes + " bytes, more than the limit of " + maxBytes
                + " bytes (" + ValRunner.Web.MAX_RESPONSE_VARIABLE + ")");
    }

    static Invocation.ValError overStreamedResponse(long maxBytes) {
        return sentence("the val's streamed response passed the limit of " + maxBytes
                + " bytes (" + ValRunner.Web.MAX_RESPONSE_VARIABLE + ") and was cut off");
    }

    /** A platform sentence: no place in the val's code, no stack. */
    static Invocation.ValError sentence(String message) {
        return new Invocation.ValError(message, 0, 0, "");
    }

    @Override
    public void close() {
        watchdog.close();
    }
}
