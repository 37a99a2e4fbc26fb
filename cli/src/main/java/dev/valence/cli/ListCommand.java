package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** The caller's vals, one a line. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List your vals: name, type, privacy, latest version and URL.")
final class ListCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Mixin
    Format.Option format;

    @Override
    public void run() {
        Session session = parent.session;
        JsonNode vals = session.api().get("/api/v1/vals").path("data");
        if (format.format == Format.JSON) {
            session.out.println(vals.toPrettyString());
            return;
        }
        if (vals.isEmpty()) {
            session.out.println("You have no vals yet; create one with 'valence vals new NAME'.");
            return;
        }
        session.out.printf("%-32s %-7s %-9s %8s  %s%n", "NAME", "TYPE", "PRIVACY", "VERSION", "URL");
        for (JsonNode val : vals) {
            session.out.printf("%-32s %-7s %-9s %8d  %s%n", val.path("name").asText(), val.path("type").asText(),
                    val.path("privacy").asText(), val.path("version").asInt(), val.path("url").asText(""));
        }
    }
}
