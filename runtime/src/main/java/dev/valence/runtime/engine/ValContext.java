package dev.valence.runtime.engine;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One sandboxed context for one val version. Used by one thread at a time: the pool hands it out and
 * takes it back. The val's module is loaded on first use, under the invocation's time limit, and
 * counts as loaded once its evaluation, top-level await included, has settled. A context that was
 * cancelled (timeout) or failed to load is never reused. Its timers are what the invocation's event loop fires.
 */
final class ValContext implements EventLoop.Timers {
    final Context context;
    final LogBuffer logs;
    /** Where the runner enters each invocation, for the host functions of this context. */
    final HostScope scope;
    final Value http;
    final Value state;
    final Value value;
    final Value rethrow;
    private final Value nextTimerDelay;
    private final Value fireTimer;
    private final Value beginTask;
    final Value pump;
    final Value streamState;
    final Value streamError;
    final Value cancelStream;
    final Value reset;
    /** Calls a cron, script or email handler with JSON arguments; answers [resultJson] or null while pending. */
    final Value invoke;
    private final Value handlerOf;
    private final Value importModule;
    private Value handler;
    private boolean loaded;

    ValContext(JsEngine engine, int logLimitBytes) {
        this(engine, logLimitBytes, JsEngine.Sandbox.CLOSED);
    }

    ValContext(JsEngine engine, int logLimitBytes, JsEngine.Sandbox sandbox) {
        this(new LogBuffer(logLimitBytes), engine, sandbox);
    }

    private ValContext(LogBuffer logs, JsEngine engine, JsEngine.Sandbox sandbox) {
        this(logs, engine.newContext(logs, sandbox));
    }

    /** A context made from a claimed spare (whose console output goes to {@code logs}). */
    ValContext(LogBuffer logs, JsEngine.ContextAndInternal created) {
        this.logs = logs;
        this.context = created.context();
        this.scope = created.scope();
        Value internal = created.internal();
        this.handlerOf = internal.getMember("handlerOf");
        this.http = internal.getMember("http");
        this.state = internal.getMember("state");
        this.value = internal.getMember("value");
        this.rethrow = internal.getMember("rethrow");
        this.nextTimerDelay = internal.getMember("nextTimerDelay");
        this.fireTimer = internal.getMember("fireTimer");
        this.beginTask = internal.getMember("beginTask");
        this.importModule = internal.getMember("load");
        this.pump = internal.getMember("pump");
        this.streamState = internal.getMember("streamState");
        this.streamError = internal.getMember("streamError");
        this.cancelStream = internal.getMember("cancelStream");
        this.reset = internal.getMember("reset");
        this.invoke = internal.getMember("invoke");
    }

    boolean loaded() {
        return loaded;
    }

    /**
     * Starts loading the val's module with {@code import(specifier)}; the load settles through
     * {@link #state}, {@link #value} (the handler) and {@link #rethrow} like an invocation, once the
     * module's evaluation, top-level await included, has finished. The caller drives the event loop
     * until then and hands the handler to {@link #loaded(Value)}.
     *
     * @param script whether the handler is a script's optional default export (else an HTTP, cron or email handler, required)
     */
    void startLoad(String specifier, boolean script) {
        importModule.execute(specifier, script);
    }

    /** The settled load's handler (null: a script without a default export). */
    void loaded(Value settledHandler) {
        handler = settledHandler == null || settledHandler.isNull() ? null : settledHandler;
        loaded = true;
    }

    /**
     * Evaluates a module that finishes without awaiting at its top level (warm-up and tests) and finds
     * its handler; throws the guest's error when it cannot.
     */
    void load(Source module) {
        Value exports = context.eval(module);
        handler = handlerOf.execute(exports);
        loaded = true;
    }

    Value handler() {
        return handler;
    }

    @Override
    public long nextTimerDelayMs() {
        return nextTimerDelay.execute().asLong();
    }

    @Override
    public void fireTimer() {
        fireTimer.execute();
    }

    @Override
    public void beginTask() {
        beginTask.execute();
    }

    void close() {
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // already closed by a cancellation
        }
    }
}
