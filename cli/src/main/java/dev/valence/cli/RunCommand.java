package dev.valence.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Runs a script val (or a cron val's tick) now and prints its result. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a script val (or a cron val's tick) now and print its result.",
                "Each argument is read as JSON when it is JSON, else as a string.",
                "Log lines go to standard error, the result (JSON) to standard output."})
final class RunCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Parameters(index = "0", paramLabel = "VAL", description = "the val, as NAME or OWNER/NAME")
    String val;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "arguments for its default export: 1, true, '{\"a\":1}', hello")
    List<String> args = new ArrayList<>();

    @Mixin
    Format.Option format;

    @Override
    public void run() {
        Session session = parent.session;
        Session.ValRef ref = session.val(val);
        var body = Api.object();
        if (!args.isEmpty()) {
            var array = body.putArray("args");
            for (String arg : args) array.add(argument(arg));
        }
        var answer = session.api().send("POST", ref.path() + "/run", body, Map.of());
        JsonNode run = answer.body();
        if (format.format == Format.JSON) {
            session.out.println(run.toPrettyString());
        } else if (answer.status() == 202) {
            session.out.println(ref + " was not run yet: " + run.path("reason").asText("the platform is holding work")
                    + ". It runs once the platform can; its run will be at " + session.api().baseUrl() + run.path("location").asText() + ".");
            return;
        } else {
            for (String line : LogsCommand.lines(run.path("logs"))) session.err.println(line);
            session.err.flush();
            session.out.println(run.path("result").toPrettyString());
        }
        String outcome = run.path("outcome").asText();
        if (!outcome.equals("success") && answer.status() != 202) {
            JsonNode error = run.path("error");
            String where = error.hasNonNull("line") ? " at line " + error.path("line").asInt() : "";
            throw new CliException(ExitCodes.REFUSED, ref + " ended with " + outcome + where + ": "
                    + (error.isObject() ? error.path("message").asText() : error.asText("no error message")) + " (run " + run.path("runId").asText() + ").");
        }
    }

    private static JsonNode argument(String text) {
        try {
            JsonNode json = Api.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            return json.isMissingNode() ? Api.JSON.getNodeFactory().textNode(text) : json;
        } catch (IOException e) {
            return Api.JSON.getNodeFactory().textNode(text);
        }
    }
}
