package dev.valence.runtime.engine.modules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an import specifier names: another val (latest or a pinned version), a standard module, or nothing we load. */
sealed interface Specifier {
    /** {@code val:owner/name}, {@code https://esm.town/v/owner/name}; {@code version} 0 means the latest. */
    record ValImport(String owner, String name, int version) implements Specifier {
        String display() {
            return owner + "/" + name + (version == 0 ? "" : "@" + version);
        }
    }

    /** {@code std/blob} or {@code https://esm.town/v/std/blob}. */
    record Std(String module) implements Specifier {}

    /** Anything else, with the reason it cannot be imported. */
    record Unsupported(String reason) implements Specifier {}

    String NAME = "[A-Za-z0-9_-]{1,64}";
    Pattern VAL = Pattern.compile("^(?:val:|https://esm\\.town/v/)(" + NAME + ")/(" + NAME + ")(?:@(\\d{1,9}))?(?:\\?v=(\\d{1,9}))?$");
    Pattern STD = Pattern.compile("^(?:std/|val:std/|https://esm\\.town/v/std/)(" + NAME + ")(?:@\\d{1,9})?(?:\\?v=\\d{1,9})?$");

    static Specifier parse(String specifier) {
        Matcher std = STD.matcher(specifier);
        if (std.matches()) {
            return StdModules.exists(std.group(1)) ? new Std(std.group(1))
                    : new Unsupported("there is no standard module std/" + std.group(1) + " (there is std/blob)");
        }
        Matcher val = VAL.matcher(specifier);
        if (val.matches()) {
            if (val.group(3) != null && val.group(4) != null) {
                return new Unsupported("it pins the version twice (@N and ?v=N); use one");
            }
            String pinned = val.group(3) != null ? val.group(3) : val.group(4);
            int version = pinned == null ? 0 : Integer.parseInt(pinned);
            if (pinned != null && version < 1) return new Unsupported("versions start at 1");
            return new ValImport(val.group(1), val.group(2), version);
        }
        return new Unsupported("a val can import other vals (val:owner/name or https://esm.town/v/owner/name,"
                + " optionally pinned with ?v=N) and std/blob, nothing else");
    }
}
