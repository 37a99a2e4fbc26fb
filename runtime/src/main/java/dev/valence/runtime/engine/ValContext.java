package dev.valence.runtime.engine;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One sandboxed context for one val version. Used by one thread at a time: the pool hands it out and
 * takes it back. The val's module is loaded on first use, under the invocation's time limit. A
 * context that was cancelled (timeout) or failed to load is never reused.
 */
final class ValContext {
    final Context context;
    final LogBuffer logs;
    final Value http;
    final Value state;
    final Value value;
    final Value rethrow;
    final Value nextTimerDelay;
    final Value fireTimers;
    final Value fireTimer;
    final Value pump;
    final Value streamState;
    final Value streamError;
    final Value cancelStream;
    final Value reset;
    /** Calls a cron, script or email handler with JSON arguments; answers [resultJson] or null while pending. */
    final Value invoke;
    private final Value handlerOf;
    private final Value scriptHandlerOf;
    private Value handler;

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
        Value internal = created.internal();
        this.handlerOf = internal.getMember("handlerOf");
        this.http = internal.getMember("http");
        this.state = internal.getMember("state");
        this.value = internal.getMember("value");
        this.rethrow = internal.getMember("rethrow");
        this.nextTimerDelay = internal.getMember("nextTimerDelay");
        this.fireTimers = internal.getMember("fireTimers");
        this.fireTimer = internal.getMember("fireTimer");
        this.pump = internal.getMember("pump");
        this.streamState = internal.getMember("streamState");
        this.streamError = internal.getMember("streamError");
        this.cancelStream = internal.getMember("cancelStream");
        this.reset = internal.getMember("reset");
        this.invoke = internal.getMember("invoke");
        this.scriptHandlerOf = internal.getMember("scriptHandlerOf");
    }

    boolean loaded() {
        return handler != null;
    }

    /** Evaluates the val's module and finds its handler; throws the guest's error when it cannot. */
    void load(Source module) {
        Value exports = context.eval(module);
        handler = handlerOf.execute(exports);
    }

    /** Evaluates a script val's module (its top-level code runs now); its default export, if a function, is the handler. */
    void loadScript(Source module) {
        Value exports = context.eval(module);
        handler = scriptHandlerOf.execute(exports);
    }

    Value handler() {
        return handler;
    }

    void close() {
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // already closed by a cancellation
        }
    }
}
