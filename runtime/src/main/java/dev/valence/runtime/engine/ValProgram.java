package dev.valence.runtime.engine;

import dev.valence.runtime.engine.modules.ModuleGraph;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Source;

/**
 * One version of one val, ready to run: its parsed source and a pool of contexts that have loaded it.
 * Contexts are never shared between vals (so never between owners); the pool is LIFO so the most
 * recently used, JIT-warm context goes out first.
 */
final class ValProgram {
    final long valId;
    final int version;
    final long ownerId;
    final String name;
    /** The val's module, for its name in stack traces; contexts load it by {@link #specifier}. */
    final Source source;
    /** What {@code import()} loads the val's module by in this program's contexts. */
    final String specifier;
    final ModuleGraph graph;
    private final JsEngine.Sandbox sandbox;
    private final ConcurrentLinkedDeque<ValContext> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdle;
    private volatile boolean retired;
    volatile long lastUsedNanos = System.nanoTime();
    /** What this version's invocations allocated since it was loaded, garbage included: how the heap's high-water mark picks whom to evict. */
    final java.util.concurrent.atomic.LongAdder allocatedBytes = new java.util.concurrent.atomic.LongAdder();

    ValProgram(long valId, int version, long ownerId, String name, String code, int maxIdle) {
        this(valId, version, ownerId, name, code, maxIdle, ModuleGraph.none(), JsEngine.Sandbox.CLOSED);
    }

    /** A program whose contexts load {@code graph}'s imports and get {@code sandbox}'s owner functions. */
    ValProgram(long valId, int version, long ownerId, String name, String code, int maxIdle, ModuleGraph graph, JsEngine.Sandbox sandbox) {
        this.graph = graph;
        var files = new ValFileSystem(name + "@" + version, code, sandbox.modules());
        this.specifier = files.specifier();
        this.sandbox = new JsEngine.Sandbox(files, sandbox.ownerFunctions());
        this.valId = valId;
        this.version = version;
        this.ownerId = ownerId;
        this.name = name;
        this.source = JsEngine.moduleSource(name + "@" + version, code);
        this.maxIdle = maxIdle;
    }

    ValContext acquire(JsEngine engine, int logLimitBytes, SpareContexts spares) {
        lastUsedNanos = System.nanoTime();
        ValContext context = idle.pollFirst();
        if (context != null) {
            idleCount.decrementAndGet();
            return context;
        }
        return newContext(engine, logLimitBytes, spares);
    }

    /** A context of this program's sandbox that never comes from or goes back to the pool (script runs). */
    ValContext fresh(JsEngine engine, int logLimitBytes, SpareContexts spares) {
        lastUsedNanos = System.nanoTime();
        return newContext(engine, logLimitBytes, spares);
    }

    /** A spare (prelude already evaluated) given to this program for good, else a context made now. */
    private ValContext newContext(JsEngine engine, int logLimitBytes, SpareContexts spares) {
        ValContext spare = spares == null ? null : spares.take(sandbox);
        return spare != null ? spare : new ValContext(engine, logLimitBytes, sandbox);
    }

    /** Returns a healthy context to the pool, or closes it when the pool is full or retired. */
    void release(ValContext context) {
        if (retired || idleCount.get() >= maxIdle) {
            context.close();
            return;
        }
        idleCount.incrementAndGet();
        idle.offerFirst(context);
        if (retired) drain(); // retired while we were adding
    }

    /** Closes idle contexts now and in-flight ones when they come back. */
    void retire() {
        retired = true;
        drain();
    }

    int idleContexts() {
        return idleCount.get();
    }

    private void drain() {
        ValContext context;
        while ((context = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            context.close();
        }
    }
}
