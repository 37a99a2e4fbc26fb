package dev.valence.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ops gate}: yes/no questions asked before a deploy step, answered in the schema guard's words. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "Deploy gates: answer yes (exit 0) or no (exit 1) before a deploy step.",
        subcommands = {GateRollbackCommand.class})
final class GateCommand implements Runnable {
    @CommandLine.ParentCommand
    Ops ops;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
