package dev.valence.runtime.engine;

import dev.valence.runtime.store.StoreException;

/**
 * Database errors that reach a val through a host function (std/blob, env, imports, std/email) pass
 * the same check as the API's: one that means the schema changed under this build or the database
 * went away ({@link StoreException#isSchemaOrConnectionProblem()}) marks the invocation it happened in
 * ({@link HostScope#noteDatabaseError}), and asks the schema guard to recheck at once. The val still gets its error (it may
 * catch it), but whatever it then answers is replaced: the fallback 503 for HTTP, held work for cron,
 * script and email, outcome {@code schema} for the run.
 */
public final class HostDatabaseErrors {
    /** What failed ("std/blob", "Deno.env", ...) and the database's error. */
    public record Failure(String what, StoreException error) {
        /** The sentence the run is recorded with. */
        public String describe() {
            String message = error.getMessage() == null ? "" : error.getMessage();
            int newline = message.indexOf('\n');
            if (newline >= 0) message = message.substring(0, newline);
            return what + " failed with SQLSTATE " + error.sqlState() + " (" + message + "): the schema changed under this"
                    + " build or the database went away, so the platform answered for the val (HTTP: the fallback 503;"
                    + " cron, script and email: held to run again once the schema is compatible)";
        }
    }

    private HostDatabaseErrors() {}
}
