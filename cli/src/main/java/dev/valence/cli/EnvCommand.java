package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The caller's environment variables, which every val of theirs reads with Deno.env / process.env. */
@Command(name = "env", mixinStandardHelpOptions = true,
        description = {"Set, unset and list your environment variables.", "All your vals read them. Values are write-only: list shows names."},
        subcommands = {EnvCommand.Set.class, EnvCommand.Unset.class, EnvCommand.List.class})
final class EnvCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(parent.session.out);
    }

    private static String path(String key) {
        return "/api/v1/env/" + Api.encode(key);
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set a variable. Without VALUE it is read from standard input, so it stays out of shell history.")
    static final class Set implements Runnable {
        @ParentCommand
        EnvCommand env;

        @Parameters(index = "0", paramLabel = "KEY", description = "the name, such as API_KEY")
        String key;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "the value (default: standard input)")
        String value;

        @Override
        public void run() {
            Session session = env.parent.session;
            String text = value;
            if (text == null) {
                try {
                    text = session.in.lines().collect(Collectors.joining("\n"));
                } catch (java.io.UncheckedIOException e) {
                    throw new CliException(ExitCodes.ENVIRONMENT, "Could not read the value from standard input (" + e.getMessage() + ").", e);
                }
            }
            session.api().send("PUT", path(key), Api.object().put("value", text), Map.of());
            session.out.println("Set " + key + " (" + text.length() + " characters); your vals read it as Deno.env.get(\"" + key + "\").");
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true, description = "Remove a variable.")
    static final class Unset implements Runnable {
        @ParentCommand
        EnvCommand env;

        @Parameters(paramLabel = "KEY")
        String key;

        @Override
        public void run() {
            Session session = env.parent.session;
            session.api().send("DELETE", path(key), null, Map.of());
            session.out.println("Removed " + key + ".");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the variables' names and when each was set (never their values).")
    static final class List implements Runnable {
        @ParentCommand
        EnvCommand env;

        @Mixin
        Format.Option format;

        @Override
        public void run() {
            Session session = env.parent.session;
            JsonNode keys = session.api().get("/api/v1/env").path("data");
            if (format.format == Format.JSON) {
                session.out.println(keys.toPrettyString());
                return;
            }
            if (keys.isEmpty()) session.out.println("You have no environment variables; set one with 'valence vals env set KEY'.");
            for (JsonNode key : keys) session.out.printf("%-40s set %s%n", key.path("key").asText(), key.path("updatedAt").asText());
        }
    }

}
