package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;

/**
 * Drives an invocation's event loop until what it waits for has settled: a module's load, a
 * handler's promise, a streamed body. The deadline ends each wait; a wait that nothing pending can
 * ever end throws {@link ValRunner.NeverSettled}.
 */
final class Settling {
    private Settling() {}

    /**
     * Loads the val's module into {@code context}: evaluates it through {@code import()} and runs the
     * event loop (timers, fetches, blob reads) until its evaluation, top-level await included, has
     * settled, so no export is used before the module finished. Throws the module's error.
     *
     * @return false when the deadline passed first
     */
    static boolean load(ValContext context, ValProgram program, boolean script, CallScope scope, Watchdog.Watch watch)
            throws InterruptedException {
        context.startLoad(program.specifier, script);
        if (!await(context, scope, watch, ValRunner.NeverSettled.MODULE)) return false;
        context.finishLoad();
        return true;
    }

    /**
     * Runs the event loop until the current call (or load) settles and takes its value, throwing its
     * rejection; false when the deadline passed first.
     */
    static boolean await(ValContext context, CallScope scope, Watchdog.Watch watch, String neverSettled) throws InterruptedException {
        EventLoop.Exit exit = scope.loop.run(() -> context.settlement() != ValContext.Settlement.PENDING, context, scope.deadlineNs,
                watch::cancelled);
        return switch (exit) {
            case DEADLINE -> false;
            case STUCK -> throw new ValRunner.NeverSettled(neverSettled);
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
    static Run.Outcome stream(ValContext context, CallScope scope, Watchdog.Watch watch) throws InterruptedException {
        context.pump();
        EventLoop.Exit exit = scope.loop.run(() -> context.streamSettlement() != ValContext.Settlement.PENDING || scope.overLimit()
                || scope.clientGone(), context, scope.deadlineNs, watch::cancelled);
        if (exit == EventLoop.Exit.DEADLINE) return Run.Outcome.TIMEOUT;
        if (exit == EventLoop.Exit.STUCK) {
            context.cancelStream("the stream never ended");
            throw new ValRunner.NeverSettled("the response stream never ended: it waits for something that will never happen");
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
}
