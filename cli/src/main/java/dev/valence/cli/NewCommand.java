package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Creates a val from a template for its type, and puts it in the folder. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create a val from a template for its type, and write it into the folder as NAME.ts.")
final class NewCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Parameters(paramLabel = "NAME", description = "the val's name (letters, digits, '-' and '_')")
    String name;

    @Option(names = "--type", defaultValue = "http", paramLabel = "http|script|cron|email", description = "the kind of val (default: ${DEFAULT-VALUE})")
    Type type;

    @Option(names = "--privacy", defaultValue = "public", paramLabel = "public|unlisted|private", description = "who may see it (default: ${DEFAULT-VALUE})")
    String privacy;

    @Option(names = "--schedule", paramLabel = "CRON", description = "a cron val's schedule, such as '*/5 * * * *' or 'every 1h' (default: every 1h)")
    String schedule;

    @Option(names = "--dir", paramLabel = "FOLDER", description = "the folder to write it into (default: the current one)")
    Path dir;

    /** The four kinds of val, each with the template it starts from. */
    enum Type {
        http("""
                export default async function (req: Request): Promise<Response> {
                  const name = new URL(req.url).searchParams.get("name") ?? "world";
                  return Response.json({ hello: name });
                }
                """),
        script("""
                export default async function (a: number = 1, b: number = 2) {
                  console.log("adding", a, b);
                  return { sum: a + b };
                }
                """),
        cron("""
                export default async function (interval: { lastRunAt: string | null }) {
                  console.log("last ran", interval.lastRunAt);
                }
                """),
        email("""
                export default async function (email: { from: string; subject: string; text: string }) {
                  console.log("mail from", email.from, email.subject);
                }
                """);

        final String template;

        Type(String template) {
            this.template = template;
        }
    }

    @Override
    public void run() {
        Session session = parent.session;
        var body = Api.object().put("name", name).put("type", type.name()).put("privacy", privacy).put("code", type.template);
        if (type == Type.cron) body.put("schedule", schedule == null ? "every 1h" : schedule);
        else if (schedule != null) throw new CliException(ExitCodes.USAGE, "Only cron vals take --schedule; add --type cron.");
        JsonNode val = session.api().send("POST", "/api/v1/vals", body, java.util.Map.of()).body();
        var workspace = new Workspace(session.folder(dir));
        var meta = Workspace.Meta.synced(val.path("owner").asText(), name, Workspace.fileName(name, type.template), val, type.template);
        workspace.write(meta, type.template);
        String where = val.hasNonNull("url") ? ", answering at " + val.path("url").asText() : "";
        session.out.println("Created " + meta.owner() + "/" + name + " (" + type.name() + ", version " + meta.version() + ")" + where
                + "; edit " + workspace.codeFile(meta) + " and push it with 'valence vals push'.");
    }
}
