package dev.valence.runtime.packages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code node:} built-ins a val may import, which module of js/node/ serves each, and why the others are
 * refused. buffer, events, stream and string_decoder are bundled at build time from their npm packages (runtime/js);
 * the others are written here.
 */
final class NodeBuiltins {
    /** The built-ins packages commonly touch; their behaviour inside a val is the engine's to provide. */
    static final List<String> SUPPORTED = List.of("buffer", "crypto", "events", "path", "process", "stream", "string_decoder", "url", "util");

    /** The node: built-ins vals are offered, by the name packages import, to the js/node/ module that serves it. */
    private static final Map<String, String> OFFERED = Map.ofEntries(
            Map.entry("buffer", "buffer"), Map.entry("crypto", "crypto"), Map.entry("events", "events"), Map.entry("path", "path"),
            Map.entry("path/posix", "path"), Map.entry("process", "process"), Map.entry("stream", "stream"),
            Map.entry("string_decoder", "string_decoder"), Map.entry("url", "url"), Map.entry("util", "util"));

    /** How one js/node/ module imports another: by the path it is served at (minified bundles leave out the space). */
    private static final Pattern IMPORT = Pattern.compile("from\\s*\"/node/(\\w+)\\.mjs\"");

    /** Built-ins that reach outside the val's sandbox: refused with the reason and what to use instead. */
    private static final Map<String, String> REFUSED = Map.of(
            "fs", "vals have no file system; keep data with std/blob instead",
            "child_process", "vals cannot start processes",
            "net", "vals cannot open raw sockets; use fetch instead",
            "worker_threads", "vals cannot start threads; split the work into several vals or runs instead");

    /** The text of each js/node/ module, read from the class path once. */
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private NodeBuiltins() {}

    /** The JavaScript of js/node/{@code resource}.js: a built-in's module, or the CommonJS runtime ("cjs"). */
    static String source(String resource) {
        return SOURCES.computeIfAbsent(resource, n -> {
            String path = "dev/valence/runtime/js/node/" + n + ".js";
            try (InputStream in = NodeBuiltins.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) throw new IllegalStateException(path + " is missing from the class path");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + path, e);
            }
        });
    }

    /** Whether vals are offered this built-in (a name as imported: "buffer", "path/posix"). */
    static boolean offers(String builtin) {
        return OFFERED.containsKey(builtin);
    }

    /** The js/node/ module serving this built-in, or null when vals are not offered it. */
    static String resource(String builtin) {
        return OFFERED.get(builtin);
    }

    /** The offered built-ins as a sentence's list: "node:buffer, node:crypto, ...". */
    static String offered() {
        return String.join(", ", OFFERED.keySet().stream().sorted().map(n -> "node:" + n).toList());
    }

    /** The js/node/ modules that the module whose text this is imports. */
    static List<String> imports(String moduleText) {
        var found = new ArrayList<String>();
        Matcher m = IMPORT.matcher(moduleText);
        while (m.find()) found.add(m.group(1));
        return found;
    }

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
