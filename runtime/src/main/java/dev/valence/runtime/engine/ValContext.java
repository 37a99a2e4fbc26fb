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
    final Value reset;
    private final Value handlerOf;
    private Value handler;

    ValContext(JsEngine engine, int logLimitBytes) {
        this(engine, logLimitBytes, JsEngine.Sandbox.CLOSED);
    }

    ValContext(JsEngine engine, int logLimitBytes, JsEngine.Sandbox sandbox) {
        this.logs = new LogBuffer(logLimitBytes);
        var created = engine.newContext(logs, sandbox);
        this.context = created.context();
        Value internal = created.internal();
        this.handlerOf = internal.getMember("handlerOf");
        this.http = internal.getMember("http");
        this.state = internal.getMember("state");
        this.value = internal.getMember("value");
        this.rethrow = internal.getMember("rethrow");
        this.nextTimerDelay = internal.getMember("nextTimerDelay");
        this.fireTimers = internal.getMember("fireTimers");
        this.reset = internal.getMember("reset");
    }

    boolean loaded() {
        return handler != null;
    }

    /** Evaluates the val's module and finds its handler; throws the guest's error when it cannot. */
    void load(Source module) {
        Value exports = context.eval(module);
        handler = handlerOf.execute(exports);
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
