package dev.valence.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Saves the files edited since the last pull or push as new versions. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Save the files you edited as new versions.",
                "Every file changed since the last pull or push becomes its val's next version.",
                "A val someone else saved since is refused (exit code 1) unless --force, which overwrites it."})
final class PushCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Parameters(paramLabel = "VAL", arity = "0..*", description = "vals to push, by name (default: every edited file in the folder)")
    List<String> vals = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "FOLDER", description = "the folder (default: the current one)")
    Path dir;

    @Option(names = "--force", description = "overwrite the server's version even when someone saved it since you pulled")
    boolean force;

    @Override
    public void run() {
        Session session = parent.session;
        var workspace = new Workspace(session.folder(dir));
        var metas = new ArrayList<Workspace.Meta>();
        if (vals.isEmpty()) {
            metas.addAll(workspace.all());
            if (metas.isEmpty()) {
                throw new CliException(ExitCodes.REFUSED, workspace.dir() + " holds no vals; pull some with 'valence vals pull' or create one with 'valence vals new NAME'.");
            }
        } else {
            for (String val : vals) {
                String name = val.contains("/") ? val.substring(val.indexOf('/') + 1) : val;
                metas.add(workspace.find(name).orElseThrow(() -> new CliException(ExitCodes.REFUSED,
                        workspace.dir() + " does not hold " + val + "; pull it first with 'valence vals pull " + val + "'.")));
            }
        }
        int pushed = 0;
        int refused = 0;
        for (var meta : metas) {
            switch (new Pusher(session, workspace, force).push(meta)) {
                case PUSHED -> pushed++;
                case REFUSED -> refused++;
                case UNCHANGED -> { }
            }
        }
        if (pushed == 0 && refused == 0) session.out.println("Nothing to push: no file changed since the last pull or push.");
        if (refused > 0) throw new CliException(ExitCodes.REFUSED, refused + " val(s) were not pushed; see above.");
    }
}
