package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A val's recent runs and their log lines, or the live tail (the server's event stream) with --follow. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a val's runs and log lines; --follow prints them as they happen.",
                "Without --follow: the recent runs, oldest first. With it: new runs on any instance, until Ctrl-C."})
final class LogsCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Parameters(paramLabel = "VAL", description = "the val, as NAME or OWNER/NAME")
    String val;

    @Option(names = {"-f", "--follow"}, description = "keep printing new runs and log lines as they happen")
    boolean follow;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "how many recent runs (default: ${DEFAULT-VALUE}, at most 1000)")
    int limit;

    @Mixin
    Format.Option format;

    @Override
    public void run() {
        Session session = parent.session;
        Session.ValRef ref = session.val(val);
        if (follow) {
            follow(session, ref);
            return;
        }
        JsonNode runs = session.api().get(ref.path() + "/runs?limit=" + limit).path("data");
        if (format.format == Format.JSON) {
            session.out.println(runs.toPrettyString());
            return;
        }
        if (runs.isEmpty()) session.out.println(ref + " has not run yet.");
        for (int i = runs.size() - 1; i >= 0; i--) {
            JsonNode run = runs.get(i);
            printRun(session, run.path("id").asText(), run);
            for (String line : lines(run.path("logs"))) session.out.println("  " + line);
        }
    }

    /** Reads the server-sent events: an event's fields until a blank line, then it is printed. */
    private void follow(Session session, Session.ValRef ref) {
        try (InputStream stream = session.api().stream(ref.path() + "/logs/stream");
             var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            // said once the server answered, when it is already tailing: what happens from now on is printed
            if (format.format == Format.TEXT) session.err.println("Following " + ref + "'s runs; Ctrl-C stops.");
            session.err.flush();
            String event = "message";
            var data = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) print(session, event, Api.JSON.readTree(data.toString()));
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, "The log stream of " + ref + " from " + session.api().baseUrl() + " broke off ("
                    + e.getMessage() + "); run the command again to follow on.", e);
        }
        throw new CliException(ExitCodes.ENVIRONMENT, session.api().baseUrl() + " closed the log stream of " + ref
                + " (the server stopped or restarted); run the command again to follow on.");
    }

    private void print(Session session, String event, JsonNode data) {
        if (format.format == Format.JSON) {
            session.out.println(Api.object().put("event", event).set("data", data).toString());
        } else if (event.equals("run")) {
            printRun(session, data.path("runId").asText(), data);
        } else if (event.equals("log")) {
            session.out.println("  " + data.path("line").asText());
        }
        session.out.flush();
    }

    private static void printRun(Session session, String id, JsonNode run) {
        String status = run.path("status").isNumber() ? " " + run.path("status").asInt() : "";
        session.out.println(run.path("startedAt").asText("") + "  run " + id + "  " + run.path("trigger").asText() + " "
                + run.path("outcome").asText() + status + "  " + run.path("durationMs").asText() + " ms  version " + run.path("version").asInt()
                + (run.hasNonNull("error") ? "  error: " + errorText(run.path("error")) : ""));
    }

    /** A run's logs: its lines joined with newlines (null when it logged nothing). */
    static java.util.List<String> lines(JsonNode logs) {
        return logs.isTextual() && !logs.asText().isEmpty() ? java.util.List.of(logs.asText().split("\n", -1)) : java.util.List.of();
    }

    private static String errorText(JsonNode error) {
        return error.isObject() ? error.path("message").asText(error.toString()) : error.asText();
    }
}
