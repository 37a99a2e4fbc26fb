package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Brings vals' latest versions into the folder, leaving local edits alone unless told otherwise. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Write your vals' latest code into the folder.",
                "Each val becomes NAME.ts, with what the folder knows of it in .valence/NAME.json (owner, name, type, version).",
                "Files you edited and have not pushed are left alone unless --force."})
final class PullCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Parameters(paramLabel = "VAL", arity = "0..*", description = "vals to pull, as NAME or OWNER/NAME (default: all of yours)")
    List<String> vals = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "FOLDER", description = "the folder (default: the current one)")
    Path dir;

    @Option(names = "--force", description = "replace files you edited since the last pull or push")
    boolean force;

    @Override
    public void run() {
        Session session = parent.session;
        var workspace = new Workspace(session.folder(dir));
        var refs = new ArrayList<Session.ValRef>();
        if (vals.isEmpty()) {
            for (JsonNode val : session.api().get("/api/v1/vals").path("data")) refs.add(new Session.ValRef(val.path("owner").asText(), val.path("name").asText()));
            if (refs.isEmpty()) session.out.println("You have no vals yet; create one with 'valence vals new NAME'.");
        } else {
            for (String val : vals) refs.add(session.val(val));
        }
        int pulled = 0;
        int kept = 0;
        int current = 0;
        for (int i = 0; i < refs.size(); i++) {
            Session.ValRef ref = refs.get(i);
            String step = refs.size() > 1 ? "[" + (i + 1) + "/" + refs.size() + "] " : "";
            JsonNode val = session.api().get(ref.path());
            String code = val.path("code").asText();
            int version = val.path("version").asInt();
            var known = workspace.find(ref.name());
            if (known.isPresent() && !known.get().owner().equals(ref.owner())) {
                throw new CliException(ExitCodes.REFUSED, "This folder already holds " + known.get().owner() + "/" + ref.name()
                        + " as " + known.get().file() + "; pull " + ref + " into another folder with --dir.");
            }
            boolean edited = known.isPresent() && workspace.edited(known.get());
            if (edited && !force) {
                session.out.println(step + known.get().file() + " has edits you have not pushed, so it was left alone (the server has version "
                        + version + "). Push them with 'valence vals push', or replace them with 'valence vals pull " + ref.name() + " --force'.");
                kept++;
                continue;
            }
            if (!edited && known.isPresent() && known.get().version() == version && workspace.read(known.get()).isPresent()) {
                session.out.println(step + known.get().file() + " is up to date (version " + version + ").");
                current++;
                continue;
            }
            String file = known.map(Workspace.Meta::file).orElse(Workspace.fileName(ref.name(), code));
            var meta = Workspace.Meta.synced(ref.owner(), ref.name(), file, val, code);
            workspace.write(meta, code);
            session.out.println(step + "Pulled " + ref + " version " + version + " into " + workspace.codeFile(meta) + ".");
            pulled++;
        }
        if (refs.size() > 1) {
            session.out.println("Pulled " + pulled + " of " + refs.size() + " vals into " + workspace.dir() + " (" + current + " up to date, "
                    + kept + " with local edits).");
        }
        if (kept > 0) throw new CliException(ExitCodes.REFUSED, kept + " val(s) kept their local edits; see above.");
    }
}
