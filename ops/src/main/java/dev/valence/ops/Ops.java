package dev.valence.ops;

import dev.valence.ops.compat.CompatTestCommand;
import dev.valence.ops.lint.LintCommand;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./valence ops}: the table of contents of the operator CLI. */
@Command(name = "ops", mixinStandardHelpOptions = true, version = "valence ops 0.1.0",
        description = "Prove a migration is safe before the deploy, and make the unsafe order impossible.",
        subcommands = {
                CommandLine.HelpCommand.class,
                PlanCommand.class,
                MigrateCommand.class,
                GateCommand.class,
                CompatTestCommand.class,
                StatusCommand.class,
                LintCommand.class,
                UsersCommand.class,
                TeamTokensCommand.class,
                SecretsCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                dev.valence.ops.bench.BenchCommand.class,
        })
public final class Ops implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Null: the database's clock, the one heartbeats are written with, so hosts' clock skew cannot matter. */
    private final Clock clock;

    Ops(Clock clock) {
        this.clock = clock;
    }

    /** The clock tests pin, or null for the database's. */
    Clock clock() {
        return clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand registered; tests run it in-process. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** With a fixed clock for "now" instead of the database's, for tests that pin heartbeat ages. */
    static CommandLine commandLine(Clock clock) {
        var line = new CommandLine(new Ops(clock));
        line.setExitCodeExceptionMapper(e -> switch (e) {
            case OpsException failure -> failure.exitCode();
            case CommandLine.ParameterException usage -> ExitCodes.USAGE;
            default -> ExitCodes.ENVIRONMENT;
        });
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            // options checked once the command runs (a missing DATABASE_URL, say) are usage errors like picocli's own
            if (e instanceof CommandLine.ParameterException usage) {
                return command.getParameterExceptionHandler().handleParseException(usage, parsed.originalArgs().toArray(String[]::new));
            }
            // an OpsException is an answer already worded for the operator; anything else is a bug worth its trace
            if (e instanceof OpsException) command.getErr().println("error: " + e.getMessage());
            else e.printStackTrace(command.getErr());
            return command.getExitCodeExceptionMapper().getExitCode(e);
        });
        line.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        return line;
    }

    public static void main(String[] args) {
        // ops prints what it applied in its own words; Flyway's INFO lines would say it twice
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        System.exit(commandLine().execute(args));
    }
}
