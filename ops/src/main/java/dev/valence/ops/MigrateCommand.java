package dev.valence.ops;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops migrate}: applies control then app with Flyway, but never a contract migration while a
 * live instance runs code below its floor (unless forced): that order is what takes vals down.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Apply pending control then app migrations; refuse a contract migration while a live instance"
                + " runs code below its floor (apply the ones before it and stop), unless --force.",
                "Exit 0 when everything was applied, 1 when refused, 3 when the database failed or a lock was never granted."})
final class MigrateCommand implements Callable<Integer> {
    /** PostgreSQL's lock_not_available: a lock was not granted within lock_timeout. */
    static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    @CommandLine.ParentCommand
    Ops ops;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    DatabaseOption database;
    @Mixin
    MigrationLocations locations;

    @Option(names = "--force", description = "Apply contract migrations even while live instances run code below their floor"
            + " (those instances answer 503 until replaced).")
    boolean force;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long a migration statement waits for a table lock before giving up (default: ${DEFAULT-VALUE});"
                    + " short, so a migration never queues every query behind it.")
    Duration lockTimeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "5",
            description = "Retries after a lock timeout (SQLSTATE 55P03), waiting 1 s, 2 s, 4 s ... up to 30 s between (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--live-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "An instance counts as running when its heartbeat is at most this old (default: ${DEFAULT-VALUE}).")
    int liveSeconds;

    /** The first wait between retries; tests shorten it. */
    Duration firstBackoff = Duration.ofSeconds(1);

    @Override
    public Integer call() throws InterruptedException {
        if (retries < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--retries must be 0 or more, got " + retries);
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lock-timeout must be positive, got " + lockTimeout);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DataSource dataSource = database.dataSource(lockTimeout);
        var plan = MigrationPlan.load(database, dataSource, locations, ops.clock(), liveSeconds);
        if (plan.pending().isEmpty()) {
            out.println("Nothing to apply: control is at v" + plan.current().get("control") + ", app at v" + plan.current().get("app") + ".");
            out.flush();
            return ExitCodes.OK;
        }
        var block = plan.firstBlock();
        if (block.isPresent() && force) {
            for (var b : plan.blocks()) {
                err.println("WARNING: --force: applying " + b.migration().name() + ", a contract migration that needs code level >= "
                        + b.floor() + ", while these live instances run code below it: " + MigrationPlan.describe(b.below())
                        + ". They will answer 503 until code of level " + b.floor() + " replaces them.");
            }
            err.flush();
        }
        apply(dataSource, "control", null, out, err);
        if (block.isEmpty() || force) {
            apply(dataSource, "app", null, out, err);
            out.flush();
            return ExitCodes.OK;
        }
        List<MigrationPlan.Pending> before = plan.appBeforeFirstBlock();
        if (!before.isEmpty()) apply(dataSource, "app", before.getLast().version(), out, err);
        out.println("Stopped before " + block.get().migration().name() + (before.isEmpty() ? "; no app migration was applied." : "."));
        out.flush();
        err.println(MigrationPlan.refusal(block.get()));
        err.flush();
        return ExitCodes.REFUSED;
    }

    /** Migrates one schema up to {@code target} (null: all), retrying with backoff when a lock is not granted in time. */
    private void apply(DataSource dataSource, String schema, String target, PrintWriter out, PrintWriter err) throws InterruptedException {
        var config = locations.configure(dataSource, schema);
        if (target != null) config.target(target);
        var flyway = config.load();
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                MigrateResult result = flyway.migrate();
                for (MigrateOutput m : result.migrations) {
                    out.println("applied " + schema + " v" + m.version + ": " + m.description);
                }
                out.flush();
                return;
            } catch (FlywayException e) {
                if (!lockNotGranted(e)) {
                    throw new OpsException(ExitCodes.ENVIRONMENT, "migrating " + schema + " failed: " + e.getMessage(), e);
                }
                if (attempt > retries) {
                    throw new OpsException(ExitCodes.ENVIRONMENT, "migrating " + schema + ": a lock was not granted within "
                            + DurationConverter.format(lockTimeout) + " (SQLSTATE 55P03) in " + attempt + " attempt(s); another session"
                            + " holds a lock on a table the migration changes (see pg_locks and pg_stat_activity); retry when it is done", e);
                }
                err.println("migrating " + schema + ": a lock was not granted within " + DurationConverter.format(lockTimeout)
                        + " (SQLSTATE 55P03), attempt " + attempt + " of " + (retries + 1) + "; retrying in " + DurationConverter.format(backoff));
                err.flush();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    static boolean lockNotGranted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) return true;
        }
        return e.getMessage() != null && e.getMessage().contains(LOCK_NOT_AVAILABLE);
    }
}
