package dev.valence.runtime.engine;

import dev.valence.runtime.store.StoreException;

/**
 * The door from one context's host functions to the invocation running in it. Each context gets its
 * own when it is made, and every host function that needs the invocation (fetch, a streamed body's
 * chunks, a database error to note) closes over it; the runner {@link #enter enters} a
 * {@link CallScope} before it calls into the context and leaves it afterwards. Outside an invocation
 * (a module loaded for a warm-up, say) there is none and those functions answer "unavailable".
 *
 * <p>A context is used by one thread at a time and handed between threads through its pool's
 * concurrent queue, which orders the writes here before the next thread's reads.
 */
public final class HostScope {
    private CallScope current;

    HostScope() {}

    /** Makes {@code scope} the invocation of this context until {@link #leave}. */
    CallScope enter(CallScope scope) {
        current = scope;
        return scope;
    }

    void leave() {
        current = null;
    }

    /** The invocation running in this context, or null between invocations. */
    CallScope current() {
        return current;
    }

    /**
     * Database errors that reach a val through a host function (std/blob, env, std/email) pass the
     * same check as the API's: one that means the schema changed under this build or the database
     * went away marks the invocation (see {@link HostDatabaseErrors}) and asks the schema guard to
     * recheck at once. Returns whether it was such an error; the caller gives the val its error either way.
     *
     * @param what the host function that met it ("std/blob", "Deno.env", ...)
     */
    public boolean noteDatabaseError(String what, StoreException error) {
        if (!error.isSchemaOrConnectionProblem()) return false;
        CallScope scope = current;
        if (scope != null) scope.schemaFailed(new HostDatabaseErrors.Failure(what, error));
        return true;
    }
}
