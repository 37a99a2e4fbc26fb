package dev.valence.runtime.packages;

import java.util.List;
import java.util.Map;

/** Which {@code node:} built-ins a val may import, and why the others are refused. */
final class NodeBuiltins {
    /** The built-ins packages commonly touch; their behaviour inside a val is the engine's to provide. */
    static final List<String> SUPPORTED = List.of("buffer", "crypto", "events", "path", "process", "stream", "string_decoder", "url", "util");

    /** Built-ins that reach outside the val's sandbox: refused with the reason and what to use instead. */
    private static final Map<String, String> REFUSED = Map.of(
            "fs", "vals have no file system; keep data with std/blob instead",
            "child_process", "vals cannot start processes",
            "net", "vals cannot open raw sockets; use fetch instead",
            "worker_threads", "vals cannot start threads; split the work into several vals or runs instead");

    private NodeBuiltins() {}

    /** Why a built-in is refused, or null when it is not. */
    static String refusal(String module) {
        return REFUSED.get(module);
    }

    static Specifier.NodeBuiltin parse(String source) {
        String path = source.substring("node:".length());
        String module = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        String refusal = REFUSED.get(module);
        if (refusal != null) {
            throw new PackageException("node:" + module + " is refused: " + refusal + ".");
        }
        if (!SUPPORTED.contains(module)) {
            throw new PackageException(source + " is not a built-in vals can import; they are "
                    + String.join(", ", SUPPORTED.stream().map(name -> "node:" + name).toList()) + ".");
        }
        return new Specifier.NodeBuiltin(source, module);
    }
}
