package dev.valence.ops;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Runs a schema change that waits at most {@code lockTimeout} for a table lock, and retries it with a
 * doubling backoff when the lock is not granted (SQLSTATE 55P03): a short wait never queues every
 * query behind the change, and a busy moment does not fail the deploy.
 */
final class LockRetry {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** One attempt of the change; a lock timeout anywhere in its causes means "try again". */
    interface Attempt {
        void run() throws Exception;
    }

    private final Duration lockTimeout;
    private final int retries;
    private final Duration firstBackoff;
    private final PrintWriter err;

    LockRetry(Duration lockTimeout, int retries, Duration firstBackoff, PrintWriter err) {
        this.lockTimeout = lockTimeout;
        this.retries = retries;
        this.firstBackoff = firstBackoff;
        this.err = err;
    }

    /**
     * Runs {@code attempt} until it succeeds; {@code what} ("migrating app") starts every message. Any other
     * failure ends in exit 3 with {@code what} and its message, unless it is an {@link OpsException} already.
     */
    void run(String what, Attempt attempt) throws InterruptedException {
        Duration backoff = firstBackoff;
        for (int n = 1; ; n++) {
            try {
                attempt.run();
                return;
            } catch (InterruptedException | OpsException | UndoMigration.Overtaken e) {
                throw e;
            } catch (Exception e) {
                if (!MigrateCommand.lockNotGranted(e)) {
                    if (e instanceof UndoMigration.ScriptFailed) throw new OpsException(ExitCodes.ENVIRONMENT, e.getMessage(), e);
                    throw new OpsException(ExitCodes.ENVIRONMENT, what + " failed: " + e.getMessage(), e);
                }
                if (n > retries) {
                    throw new OpsException(ExitCodes.ENVIRONMENT, what + ": a lock was not granted within "
                            + DurationConverter.format(lockTimeout) + " (SQLSTATE 55P03) in " + n + " attempt(s); another session"
                            + " holds a lock on a table the migration changes (see pg_locks and pg_stat_activity); retry when it is done", e);
                }
                err.println(what + ": a lock was not granted within " + DurationConverter.format(lockTimeout)
                        + " (SQLSTATE 55P03), attempt " + n + " of " + (retries + 1) + "; retrying in " + DurationConverter.format(backoff));
                err.flush();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
