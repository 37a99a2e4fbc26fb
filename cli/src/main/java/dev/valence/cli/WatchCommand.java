package dev.valence.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Pushes a val each time its file is saved. Editors save in bursts (write, rename, touch), so a file is
 * pushed once it has been quiet for the debounce time, not on every event.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Push each val's file when you save it, until Ctrl-C.",
                "A file is pushed once it has been quiet for --debounce-ms.",
                "Saves refused by the server (a syntax error, someone else's newer version) are reported and watching goes on."})
final class WatchCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Option(names = "--dir", paramLabel = "FOLDER", description = "the folder (default: the current one)")
    Path dir;

    @Option(names = "--debounce-ms", defaultValue = "300", paramLabel = "MS", description = "quiet time before a push (default: ${DEFAULT-VALUE})")
    long debounceMs;

    @Option(names = "--force", description = "overwrite versions others saved meanwhile (as push --force)")
    boolean force;

    @Override
    public void run() {
        Session session = parent.session;
        var workspace = new Workspace(session.folder(dir));
        if (workspace.all().isEmpty()) {
            throw new CliException(ExitCodes.REFUSED, workspace.dir() + " holds no vals to watch; pull some with 'valence vals pull'.");
        }
        var pusher = new Pusher(session, workspace, force);
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            workspace.dir().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            // files pushed before watching started are pushed now, so nothing edited is left behind
            workspace.all().forEach(pusher::push);
            session.out.println("Watching " + workspace.dir() + " (" + workspace.all().size() + " vals); saved files are pushed. Ctrl-C stops.");
            session.out.flush();
            var due = new LinkedHashMap<String, Long>(); // file name -> when it may be pushed (nanoTime)
            while (!Thread.currentThread().isInterrupted()) {
                long waitMs = due.values().stream().mapToLong(at -> Math.max(1, (at - System.nanoTime()) / 1_000_000)).min().orElse(1000);
                var key = watcher.poll(waitMs, TimeUnit.MILLISECONDS);
                if (key != null) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.context() instanceof Path changed) {
                            due.put(changed.getFileName().toString(), System.nanoTime() + debounceMs * 1_000_000);
                        }
                    }
                    key.reset();
                }
                pushQuiet(due, workspace, pusher, session);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, "Could not watch " + workspace.dir() + " (" + e.getMessage() + ").", e);
        }
    }

    private static void pushQuiet(Map<String, Long> due, Workspace workspace, Pusher pusher, Session session) {
        long now = System.nanoTime();
        var ready = due.entrySet().stream().filter(e -> e.getValue() <= now).map(Map.Entry::getKey).toList();
        for (String file : ready) {
            due.remove(file);
            workspace.byFile(file).ifPresent(meta -> {
                try {
                    pusher.push(meta);
                } catch (CliException e) {
                    session.out.println(e.getMessage()); // the server may come back: keep watching
                }
            });
            session.out.flush();
        }
    }
}
