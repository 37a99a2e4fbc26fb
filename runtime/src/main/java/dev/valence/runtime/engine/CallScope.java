package dev.valence.runtime.engine;

/**
 * Everything one invocation owns while it runs: who runs (the val's identity), its deadline, its
 * event loop (completions and host operations in flight), where a streamed body goes and how many
 * bytes it took, the fetch client, and the first schema-class database failure a host function met.
 * The runner makes one per invocation and enters it into the context's {@link HostScope}; host
 * functions reach it through that, so nothing about a call lives on the thread (workerd keeps its
 * I/O context apart from the JavaScript API in the same way).
 */
final class CallScope implements AutoCloseable {
    /** The val version this invocation runs (for the owner's secrets and for messages). */
    record Caller(long valId, long ownerId, String name, int version) {}

    /** What the invocation may use of the web: the fetch client (null: none) and the largest response it may send. */
    record Web(Fetcher fetcher, long maxResponseBytes) {}

    final Caller caller;
    final EventLoop loop = new EventLoop();
    final long deadlineNs;
    private final ResponseSink sink;
    private final Web web;
    private final Runnable schemaRecheck;
    private long streamedBytes;
    private boolean overLimit;
    private HostDatabaseErrors.Failure schemaFailure;

    /**
     * @param sink where a streamed body goes (null: the invocation has no response to stream)
     * @param schemaRecheck asks the schema guard to recheck at once (called on the first schema-class failure)
     */
    CallScope(Caller caller, long deadlineNs, ResponseSink sink, Web web, Runnable schemaRecheck) {
        this.caller = caller;
        this.deadlineNs = deadlineNs;
        this.sink = sink;
        this.web = web;
        this.schemaRecheck = schemaRecheck;
    }

    /** The largest response body this invocation may send, in bytes. */
    long maxResponseBytes() {
        return web.maxResponseBytes();
    }

    /** Starts a fetch (see {@link Fetcher#start}); -1 when fetch is unavailable here. */
    int fetch(String method, String url, String rawHeaders, byte[] body, String redirect, org.graalvm.polyglot.Value events) {
        return web.fetcher() == null ? -1 : web.fetcher().start(loop, method, url, rawHeaders, body, redirect, events);
    }

    /**
     * One chunk of a streamed response; false when the stream must stop (no sink, the client left, or
     * the body passed the size limit, which {@link #overLimit()} then tells).
     */
    boolean write(byte[] chunk) {
        if (sink == null || sink.gone()) return false;
        streamedBytes += chunk.length;
        if (streamedBytes > web.maxResponseBytes()) {
            overLimit = true;
            return false;
        }
        sink.chunk(chunk);
        return true;
    }

    /** Whether the streamed body passed the response size limit. */
    boolean overLimit() {
        return overLimit;
    }

    /** Whether the client of a streamed response went away. */
    boolean clientGone() {
        return sink != null && sink.gone();
    }

    /** Notes the first schema-class database failure a host function met in this invocation. */
    void schemaFailed(HostDatabaseErrors.Failure failure) {
        if (schemaFailure != null) return;
        schemaFailure = failure;
        schemaRecheck.run();
    }

    /** The first schema-class database failure of this invocation, or null. */
    HostDatabaseErrors.Failure schemaFailure() {
        return schemaFailure;
    }

    /** Ends the invocation: host operations in flight are cancelled and later completions dropped. */
    @Override
    public void close() {
        loop.close();
    }
}
