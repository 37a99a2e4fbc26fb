package dev.valence.ops;

import dev.valence.status.store.StatusStore;
import dev.valence.status.store.TeamTokens;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops team-tokens}: the status page team's way back in when every team token was lost.
 * Works on the database directly; rotating and revoking are in the API and at /ops.
 */
@Command(name = "team-tokens", mixinStandardHelpOptions = true,
        description = "Recover the status page team's access from the database, without the runtime.",
        subcommands = {TeamTokensCommand.Create.class})
final class TeamTokensCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ops team-tokens create --name LABEL}: a new team token, printed once. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a status page team token and print it once (only its hash is stored).",
                    "Exit 0 when created, 3 when the database cannot be used."})
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        DatabaseOption database;

        @Option(names = "--name", paramLabel = "LABEL", defaultValue = "issued by ops team-tokens create",
                description = "The token's label in the team token list (default: ${DEFAULT-VALUE}).")
        String label;

        @Override
        public Integer call() {
            if (label.isBlank() || label.length() > 100) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--name must be 1 to 100 characters");
            }
            try {
                TeamTokens.Created created = new TeamTokens(database.dataSource()).createInfo(label);
                PrintWriter out = spec.commandLine().getOut();
                out.println("New team token '" + label + "' (id " + created.info().id() + "); it is shown only now:");
                out.println(created.secret());
                out.flush();
                return ExitCodes.OK;
            } catch (StatusStore.StoreFailure e) {
                throw database.unreachable(e);
            }
        }
    }
}
