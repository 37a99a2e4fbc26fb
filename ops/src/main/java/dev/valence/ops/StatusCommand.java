package dev.valence.ops;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ops status}: post to the status page's write API with a team token, from a deploy script. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Post to the status page: open an incident, update or resolve it, set a component.",
        subcommands = {StatusCommand.Open.class, StatusCommand.Update.class, StatusCommand.Resolve.class, StatusCommand.Component.class})
final class StatusCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "open", mixinStandardHelpOptions = true,
            description = {"Open an incident and print its id.", "Exit 0 when posted, 1 when the status page refused, 3 when it cannot be reached."})
    static final class Open implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        StatusApi api;

        @Option(names = "--name", required = true, paramLabel = "TEXT", description = "The incident's title.")
        String name;
        @Option(names = "--impact", defaultValue = "minor", paramLabel = "IMPACT", description = "none, minor, major or critical (default: ${DEFAULT-VALUE}).")
        String impact;
        @Option(names = "--status", defaultValue = "investigating", paramLabel = "STATUS",
                description = "investigating, identified, monitoring or resolved (default: ${DEFAULT-VALUE}).")
        String status;
        @Option(names = "--component", paramLabel = "ID=STATUS",
                description = "A component the incident affects and its status (operational, degraded_performance, partial_outage,"
                        + " major_outage, under_maintenance); repeat for several.")
        Map<String, String> components = new LinkedHashMap<>();
        @Option(names = "--body", required = true, paramLabel = "MARKDOWN", description = "The first update, in Markdown.")
        String body;

        @Override
        public Integer call() {
            var request = new JsonObject().put("name", name).put("impact", impact).put("status", status).put("body", body);
            if (!components.isEmpty()) request.put("components", new JsonObject(new LinkedHashMap<String, Object>(components)));
            JsonObject incident = api.send("POST", "/api/v2/incidents", request).getJsonObject("incident");
            spec.commandLine().getOut().println(incident.getString("id"));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Post an update to an incident.", "Exit 0 when posted, 1 when the status page refused, 3 when it cannot be reached."})
    static final class Update implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        StatusApi api;

        @Parameters(index = "0", paramLabel = "ID", description = "The incident's id (as printed by status open).")
        String id;
        @Option(names = "--status", paramLabel = "STATUS", description = "The new status (default: unchanged).")
        String status;
        @Option(names = "--body", required = true, paramLabel = "MARKDOWN", description = "The update, in Markdown.")
        String body;

        @Override
        public Integer call() {
            var request = new JsonObject().put("body", body);
            if (status != null) request.put("status", status);
            return printIncident(spec, api.send("POST", "/api/v2/incidents/" + id + "/updates", request));
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = {"Resolve an incident; its components go back to operational.",
                    "Exit 0 when posted, 1 when the status page refused, 3 when it cannot be reached."})
    static final class Resolve implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        StatusApi api;

        @Parameters(index = "0", paramLabel = "ID", description = "The incident's id.")
        String id;
        @Option(names = "--body", paramLabel = "MARKDOWN", description = "The closing update (default: This incident has been resolved.).")
        String body;

        @Override
        public Integer call() {
            var request = body == null ? new JsonObject() : new JsonObject().put("body", body);
            return printIncident(spec, api.send("POST", "/api/v2/incidents/" + id + "/resolve", request));
        }
    }

    @Command(name = "component", mixinStandardHelpOptions = true,
            description = {"Set a component's status.", "Exit 0 when set, 1 when the status page refused, 3 when it cannot be reached."})
    static final class Component implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        StatusApi api;

        @Parameters(index = "0", paramLabel = "ID", description = "The component's id (from /api/v2/components.json).")
        String id;
        @Parameters(index = "1", paramLabel = "STATUS",
                description = "operational, degraded_performance, partial_outage, major_outage or under_maintenance.")
        String status;

        @Override
        public Integer call() {
            JsonObject component = api.send("PATCH", "/api/v2/components/" + id, new JsonObject().put("status", status));
            spec.commandLine().getOut().println(component.getString("id") + ": " + component.getString("status"));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /** "incident ID: STATUS" for scripts and people. */
    private static int printIncident(CommandLine.Model.CommandSpec spec, JsonObject answer) {
        JsonObject incident = answer.getJsonObject("incident");
        spec.commandLine().getOut().println("incident " + incident.getString("id") + ": " + incident.getString("status"));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
