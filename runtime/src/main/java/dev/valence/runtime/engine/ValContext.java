package dev.valence.runtime.engine;

import dev.valence.runtime.store.Run;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One sandboxed context for one val version, and the typed bridge into it: calls go in as Java
 * values and what the prelude answers (its wire arrays, its 0/1/2 states, its NUL-joined headers) is
 * converted here, once, into records and enums; no other class reads the prelude's handles. Used by
 * one thread at a time: the pool hands it out and takes it back. The val's module is loaded on first
 * use, under the invocation's time limit, and counts as loaded once its evaluation, top-level await
 * included, has settled. A context that was cancelled (timeout) or failed to load is never reused.
 * Its timers are what the invocation's event loop fires.
 *
 * <p>Headers cross as one NUL-joined string rather than an array because each array element read
 * is a call across the polyglot boundary; the joined form costs one.
 */
final class ValContext implements EventLoop.Timers {
    /** Where a promise (a handler's answer, a module's load, a streamed body) stands. */
    enum Settlement {
        PENDING, FULFILLED, REJECTED;

        /** The prelude's form: 0 pending (or running), 1 fulfilled (done), 2 rejected (failed). */
        static Settlement of(int wire) {
            return switch (wire) {
                case 0 -> PENDING;
                case 1 -> FULFILLED;
                case 2 -> REJECTED;
                default -> throw new IllegalStateException("the prelude reported the unknown state " + wire);
            };
        }
    }

    /**
     * What an HTTP handler answered: the head, and the body (null when it was not copied because it has
     * more than the limit's bytes; {@link Body#STREAMED} when it is a stream still to be pumped).
     */
    record HttpAnswer(ResponseHead head, Body body, long bodyBytes) {}

    final Context context;
    final LogBuffer logs;
    /** Where the runner enters each invocation, for the host functions of this context. */
    final HostScope scope;
    private final Value http;
    private final Value state;
    private final Value value;
    private final Value rethrow;
    private final Value nextTimerDelay;
    private final Value fireTimer;
    private final Value beginTask;
    private final Value pump;
    private final Value streamState;
    private final Value streamError;
    private final Value cancelStream;
    private final Value reset;
    private final Value invoke;
    private final Value handlerOf;
    private final Value importModule;
    private Value handler;
    private boolean loaded;
    /** The current call's settled value: its wire form, or the loaded module's handler. */
    private Value answer;

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
     * Starts loading the val's module with {@code import(specifier)}; the load settles like a call
     * ({@link #settlement}), once the module's evaluation, top-level await included, has finished. The
     * caller drives the event loop until then, {@link #takeSettled takes} the result and calls
     * {@link #finishLoad}.
     *
     * @param script whether the handler is a script's optional default export (else an HTTP, cron or email handler, required)
     */
    void startLoad(String specifier, boolean script) {
        importModule.execute(specifier, script);
    }

    /** Makes the settled load's value the handler (null: a script without a default export). */
    void finishLoad() {
        handler = answer == null || answer.isNull() ? null : answer;
        answer = null;
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

    /** Calls the HTTP handler with {@code call}: true when it answered at once, else its promise settles later. */
    boolean callHttp(ValRunner.HttpCall call) {
        answer = http.execute(handler, call.method(), call.url(), joined(call.headers()),
                call.body() == null ? null : ByteBuffer.wrap(call.body()));
        return !answer.isNull();
    }

    /** Calls a cron, script or email handler with the JSON array {@code argsJson} spread as its arguments; as {@link #callHttp}. */
    boolean callTrigger(String argsJson, Run.Trigger trigger) {
        answer = invoke.execute(handler, argsJson, trigger.wire());
        return !answer.isNull();
    }

    /** Where the current call (or load) stands. */
    Settlement settlement() {
        return Settlement.of(state.execute().asInt());
    }

    /** Takes the settled call's value; throws its rejection (the guest's error) when it was rejected. */
    void takeSettled() {
        if (settlement() == Settlement.REJECTED) rethrow.execute(); // throws
        answer = value.execute();
    }

    /** Whether the settled HTTP answer's body is a stream (its head goes out first, then {@link #pump}). */
    boolean answerStreams() {
        return answer.getArrayElement(3).isBoolean();
    }

    /** The settled HTTP answer's status line and headers. */
    ResponseHead answerHead() {
        return new ResponseHead(answer.getArrayElement(0).asInt(), answer.getArrayElement(1).asString(),
                headers(answer.getArrayElement(2).asString()));
    }

    /** The settled HTTP answer; a body over {@code maxBodyBytes} is measured, not copied. */
    HttpAnswer httpAnswer(long maxBodyBytes) {
        ResponseHead head = answerHead();
        Value body = answer.getArrayElement(3);
        if (body.isNull()) return new HttpAnswer(head, Body.NONE, 0);
        if (body.isBoolean()) return new HttpAnswer(head, Body.STREAMED, 0);
        if (body.isString()) {
            String text = body.asString();
            long size = (long) text.length() * 3 <= maxBodyBytes ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
            return new HttpAnswer(head, size > maxBodyBytes ? null : new Body.Text(text), size);
        }
        if (body.hasBufferElements()) {
            long size = body.getBufferSize();
            if (size > maxBodyBytes) return new HttpAnswer(head, null, size);
            byte[] bytes = new byte[Math.toIntExact(size)];
            body.readBuffer(0, bytes, 0, bytes.length);
            return new HttpAnswer(head, new Body.Bytes(bytes), size);
        }
        throw new IllegalStateException("unexpected body of type " + body);
    }

    /** The settled trigger answer: the handler's result as JSON, or null when it returned nothing. */
    String answerJson() {
        Value json = answer.getArrayElement(0);
        return json.isNull() ? null : json.asString();
    }

    /** Starts reading the answer's body stream; each chunk goes out through {@code host.web.write}. */
    void pump() {
        answer = null;
        pump.execute();
    }

    /** Where the pumped stream stands: pending (still running), fulfilled (ended) or rejected (failed). */
    Settlement streamSettlement() {
        return Settlement.of(streamState.execute().asInt());
    }

    /** Throws the failed stream's error. */
    void rethrowStreamError() {
        streamError.execute();
    }

    void cancelStream(String reason) {
        cancelStream.execute(reason);
    }

    /** Ends an invocation: timers and streams it left behind never run in the next one. */
    void reset() {
        answer = null;
        reset.execute();
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
        answer = null;
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // already closed by a cancellation
        }
    }

    /** The prelude's header form: name NUL value NUL ... */
    static String joined(List<Header> headers) {
        int length = 0;
        for (Header header : headers) length += header.name().length() + header.value().length() + 2;
        var joined = new StringBuilder(length); // sized once: growing it showed in a request's profile
        for (Header header : headers) joined.append(header.name()).append('\0').append(header.value()).append('\0');
        return joined.toString();
    }

    /** The headers of the prelude's form, in order. */
    static List<Header> headers(String joined) {
        String[] parts = joined.split("\0", -1);
        var headers = new ArrayList<Header>(parts.length / 2);
        for (int i = 0; i + 1 < parts.length; i += 2) headers.add(new Header(parts[i], parts[i + 1]));
        return headers;
    }
}
