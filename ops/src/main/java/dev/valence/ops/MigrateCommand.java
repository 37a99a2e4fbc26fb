package dev.valence.ops;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
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
                + " runs code below its floor (apply the ones before it and stop), unless --force. With --undo VERSION, run the"
                + " latest app migration's undo script instead.",
                "Exit 0 when everything was applied, 1 when refused, 3 when the database failed or a lock was never granted."})
final class MigrateCommand implements Callable<Integer> {
    /** PostgreSQL's lock_not_available: a lock was not granted within lock_timeout. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    @CommandLine.ParentCommand
    Ops ops;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    DatabaseOption database;
    @Mixin
    MigrationLocations locations;

    @Option(names = "--force", description = "Apply contract migrations even while live instances run code below their floor,"
            + " or undo one while live instances need the schema it removes (those instances answer 503 until replaced).")
    boolean force;

    @Option(names = "--undo", paramLabel = "VERSION",
            description = "Undo app migration VERSION, the latest applied: run its undo script U<VERSION>__<description>.sql"
                    + " (beside V<VERSION>__<description>.sql) and remove its control.schema_contract and history rows in the same"
                    + " transaction. Refused without an undo script, for any other version, and while a live instance's minimum is"
                    + " above the schema it would leave (unless --force).")
    Integer undo;

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
        if (undo != null) {
            return new UndoMigration(database, dataSource, locations, ops.clock(), liveSeconds).undo(undo, force, retry(err), out, err);
        }
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
        retry(err).run("migrating " + schema, () -> {
            MigrateResult result = flyway.migrate();
            for (MigrateOutput m : result.migrations) {
                out.println("applied " + schema + " v" + m.version + ": " + m.description);
            }
            out.flush();
        });
    }

    private LockRetry retry(PrintWriter err) {
        return new LockRetry(lockTimeout, retries, firstBackoff, err);
    }

    static boolean lockNotGranted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) return true;
        }
        return e.getMessage() != null && e.getMessage().contains(LOCK_NOT_AVAILABLE);
    }
}
