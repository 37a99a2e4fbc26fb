package dev.valence.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./valence ops}: the table of contents of the operator CLI. */
@Command(name = "ops", mixinStandardHelpOptions = true, version = "valence ops 0.1.0",
        description = "Prove a migration is safe before the deploy, and make the unsafe order impossible.",
        subcommands = {CommandLine.HelpCommand.class, dev.valence.ops.lint.LintCommand.class})
public final class Ops implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with every subcommand registered; tests run it in-process. */
    public static CommandLine commandLine() {
        var line = new CommandLine(new Ops());
        line.setExitCodeExceptionMapper(e -> ExitCodes.ENVIRONMENT);
        line.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        return line;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
