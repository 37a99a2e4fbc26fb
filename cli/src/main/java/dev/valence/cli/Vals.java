package dev.valence.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./valence vals}: write vals in files on your machine and keep them in step with a Valence server. */
@Command(name = "valence vals", mixinStandardHelpOptions = true, version = "valence vals 0.1.0",
        description = {"Write vals as files on your machine: pull them into a folder, edit, push (or watch), read their logs, run them.",
                "Sign in first with 'valence vals login'."},
        subcommands = {LoginCommand.class, ListCommand.class, NewCommand.class, PullCommand.class, PushCommand.class,
                WatchCommand.class, LogsCommand.class, RunCommand.class, EnvCommand.class, OpenCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:it worked", "1:the server or the folder said no (a newer version, a syntax error, a missing val)",
                "2:the command line was wrong", "3:the server could not be reached or failed, or you are not signed in"})
public final class Vals implements Runnable {
    final Session session;

    Vals(Session session) {
        this.session = session;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(session.out);
    }

    public static void main(String[] args) {
        var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.exit(execute(new Session(System.getenv(), Path.of("").toAbsolutePath(), in, out, err), args));
    }

    /** Runs one command line and answers its exit code; what a user sees of a failure is its sentence. */
    static int execute(Session session, String... args) {
        var commandLine = new CommandLine(new Vals(session));
        commandLine.setOut(session.out).setErr(session.err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof CliException failure) {
                session.err.println("valence vals: " + failure.getMessage());
                return failure.exitCode();
            }
            if (exception instanceof Api.Refusal refusal) {
                session.err.println("valence vals: " + refusal.getMessage());
                return refusal.toCli().exitCode();
            }
            throw exception;
        });
        int code = commandLine.execute(args);
        session.out.flush();
        session.err.flush();
        return code;
    }
}
