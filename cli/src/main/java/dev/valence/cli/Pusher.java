package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Saves one edited file as its val's next version, on the condition (If-Match) that the server still has
 * the version the folder last saw, so a save made elsewhere is never overwritten by accident.
 */
final class Pusher {
    private final Session session;
    private final Workspace workspace;
    private final boolean force;

    Pusher(Session session, Workspace workspace, boolean force) {
        this.session = session;
        this.workspace = workspace;
        this.force = force;
    }

    /** What became of one file. */
    enum Result { PUSHED, UNCHANGED, REFUSED }

    /** Pushes the val's file if it changed, printing a sentence either way except when nothing changed. */
    Result push(Workspace.Meta meta) {
        var code = workspace.read(meta);
        if (code.isEmpty()) {
            session.out.println(meta.file() + " is missing from " + workspace.dir() + ", so " + meta.owner() + "/" + meta.name()
                    + " was not pushed; get it back with 'valence vals pull " + meta.name() + "'.");
            return Result.REFUSED;
        }
        if (!workspace.edited(meta)) return Result.UNCHANGED;
        var ref = new Session.ValRef(meta.owner(), meta.name());
        Map<String, String> condition = force ? Map.of() : Map.of("If-Match", "\"" + meta.version() + "\"");
        JsonNode saved;
        try {
            var body = Api.object().put("code", code.get());
            // a save that names no type keeps the server's type and schedule: they are sent only when edited
            if (meta.settingsEdited()) {
                body.put("type", meta.type());
                if (meta.schedule() != null) body.put("schedule", meta.schedule());
            }
            saved = session.api().send("PUT", ref.path(), body, condition).body();
        } catch (Api.Refusal refusal) {
            if (refusal.status == 412) {
                int current = refusal.error.path("currentVersion").asInt();
                session.out.println(meta.file() + " was not pushed: " + ref + " is at version " + current + " on the server, newer than version "
                        + meta.version() + " you edited, so someone saved it since. Nothing was overwritten. Keep their change with"
                        + " 'valence vals pull " + meta.name() + " --force' (replacing your edits), or overwrite it with 'valence vals push "
                        + meta.name() + " --force'.");
                return Result.REFUSED;
            }
            if (refusal.status >= 500) throw refusal.toCli();
            String at = refusal.error.has("line") ? ":" + refusal.error.path("line").asInt() + ":" + refusal.error.path("column").asInt() : "";
            session.out.println(meta.file() + at + ": " + ref + " was not pushed: " + refusal.getMessage());
            return Result.REFUSED;
        }
        var synced = meta.syncedWith(saved, code.get());
        workspace.saveMeta(synced);
        String settings = !meta.settingsEdited() ? ""
                : ", now of type " + synced.type() + (synced.schedule() == null ? "" : " on schedule '" + synced.schedule() + "'");
        session.out.println("Pushed " + meta.file() + " as " + ref + " version " + synced.version() + settings
                + (saved.hasNonNull("url") ? " (" + saved.path("url").asText() + ")" : "") + ".");
        return Result.PUSHED;
    }
}
