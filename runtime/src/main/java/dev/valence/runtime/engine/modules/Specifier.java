package dev.valence.runtime.engine.modules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an import specifier names: another val (latest or a pinned version), a standard module, or
 * nothing we load. Every form Val Town documents is accepted, for any val and any standard module:
 * {@code https://esm.town/v/owner/name}, the per-file URL {@code .../name/main.ts} (or .tsx, .js,
 * .jsx), a version as {@code @N} or {@code ?v=N}, and the short {@code val:owner/name}; a standard
 * module also as {@code std/name}. A val here is one file, so its only file is its main file.
 */
sealed interface Specifier {
    /** A val; {@code version} 0 means the latest. */
    record ValImport(String owner, String name, int version) implements Specifier {
        String display() {
            return owner + "/" + name + (version == 0 ? "" : "@" + version);
        }
    }

    /** A standard module; its version, if any, is ignored: there is one std per platform release. */
    record Std(String module) implements Specifier {}

    /**
     * A package ({@code npm:}, {@code https://esm.sh/}) or a Node built-in ({@code node:}): served from the
     * val version's lock, which its save resolved.
     */
    record Package(String specifier) implements Specifier {}

    /** Anything else, with the reason it cannot be imported. */
    record Unsupported(String reason) implements Specifier {}

    String NAME = "[A-Za-z0-9_-]{1,64}";
    String VERSION = "(?:@(\\d{1,9}))?";
    String FILE = "(?:/([^?#]*))?";
    String QUERY = "(?:\\?v=(\\d{1,9}))?";
    Pattern STD = Pattern.compile("^(?:std/|val:std/|https://esm\\.town/v/std/)(" + NAME + ")" + VERSION + FILE + QUERY + "$");
    Pattern VAL = Pattern.compile("^(?:val:|https://esm\\.town/v/)(" + NAME + ")/(" + NAME + ")" + VERSION + FILE + QUERY + "$");
    Pattern MAIN_FILE = Pattern.compile("main\\.(?:ts|tsx|js|jsx)");

    static Specifier parse(String specifier) {
        if (specifier.startsWith("npm:") || specifier.startsWith("https://esm.sh/") || specifier.startsWith("node:")) {
            return new Package(specifier);
        }
        Matcher std = STD.matcher(specifier);
        if (std.matches()) {
            String module = std.group(1);
            if (!StdModules.exists(module)) {
                return new Unsupported("there is no standard module std/" + module + "; "
                        + (StdModules.names().size() == 1 ? "the only one is " : "the standard modules are ") + StdModules.listed());
            }
            String file = std.group(3);
            if (file != null && !MAIN_FILE.matcher(file).matches()) {
                return new Unsupported("std/" + module + " has one file, main.ts; import https://esm.town/v/std/" + module + " or .../main.ts");
            }
            return new Std(module);
        }
        Matcher val = VAL.matcher(specifier);
        if (val.matches()) {
            String owner = val.group(1);
            String name = val.group(2);
            String file = val.group(4);
            if (file != null && !MAIN_FILE.matcher(file).matches()) {
                return new Unsupported("a val here is a single file, so it has no \"" + file + "\"; import https://esm.town/v/"
                        + owner + "/" + name + " or .../" + name + "/main.ts");
            }
            if (val.group(3) != null && val.group(5) != null) {
                return new Unsupported("it pins the version twice (@N and ?v=N); use one");
            }
            String pinned = val.group(3) != null ? val.group(3) : val.group(5);
            int version = pinned == null ? 0 : Integer.parseInt(pinned);
            if (pinned != null && version < 1) return new Unsupported("versions start at 1");
            return new ValImport(owner, name, version);
        }
        return new Unsupported("a val can import other vals (val:owner/name or https://esm.town/v/owner/name,"
                + " optionally pinned with ?v=N), " + StdModules.listed() + ", npm packages (npm:name@range or"
                + " https://esm.sh/name@range) and node: built-ins, nothing else");
    }
}
