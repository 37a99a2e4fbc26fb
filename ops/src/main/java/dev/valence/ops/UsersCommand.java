package dev.valence.ops;

import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.UserStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops users}: the way back in when the API cannot help, because a user (the admin, say)
 * deleted or lost every token. Works on the database directly; the runtime need not be running.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = "Recover val authors' access from the database, without the runtime.",
        subcommands = {UsersCommand.Token.class})
final class UsersCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ops users token NAME}: a new API token for that user, printed once. */
    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Issue a new API token for a user and print it once (only its hash is stored).",
                    "Exit 0 when issued, 1 when there is no such user, 3 when the database cannot be used."})
    static final class Token implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        DatabaseOption database;

        @Parameters(index = "0", paramLabel = "USER", description = "The user's name, e.g. admin.")
        String user;

        @Option(names = "--name", paramLabel = "LABEL", defaultValue = "issued by ops users token",
                description = "The token's label in the user's token list (default: ${DEFAULT-VALUE}).")
        String label;

        @Override
        public Integer call() {
            if (label.length() > 200) throw new CommandLine.ParameterException(spec.commandLine(), "--name may be at most 200 characters");
            var dataSource = database.dataSource();
            try {
                var users = new UserStore(dataSource);
                User found = users.byName(user).orElseThrow(() -> unknown(users.list()));
                TokenStore.NewToken token = new TokenStore(dataSource).create(found.id(), label);
                PrintWriter out = spec.commandLine().getOut();
                out.println("New API token for user " + found.name() + " (token id " + token.info().id() + ", named '" + label
                        + "'); it is shown only now:");
                out.println(token.secret());
                out.flush();
                return ExitCodes.OK;
            } catch (StoreException e) {
                throw database.unreachable(e);
            }
        }

        private OpsException unknown(List<User> all) {
            if (all.isEmpty()) {
                return new OpsException(ExitCodes.REFUSED, "no user named '" + user + "', and the database has no users yet;"
                        + " start the runtime once and it creates the admin with a first token");
            }
            String names = all.stream().limit(20).map(u -> u.name() + (u.isAdmin() ? " (admin)" : "")).collect(Collectors.joining(", "));
            return new OpsException(ExitCodes.REFUSED, "no user named '" + user + "'; the users are: " + names
                    + (all.size() > 20 ? " and " + (all.size() - 20) + " more" : "") + ". Run again with one of these names.");
        }
    }
}
