package dev.valence.runtime.engine.modules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The standard modules a val can import by name, read once from the class path. A module added here
 * is importable in every form {@link Specifier} accepts ({@code std/x}, {@code https://esm.town/v/std/x},
 * {@code .../main.ts}, {@code @N}, {@code ?v=N}) and is listed in the messages that say what exists.
 */
final class StdModules {
    private static final Map<String, String> SOURCES = Map.of(
            "blob", read("dev/valence/runtime/js/std-blob.js"),
            "email", read("dev/valence/runtime/js/std-email.js"));

    private StdModules() {}

    static boolean exists(String name) {
        return SOURCES.containsKey(name);
    }

    static String source(String name) {
        return SOURCES.get(name);
    }

    /** The module names, sorted. */
    static List<String> names() {
        return SOURCES.keySet().stream().sorted().toList();
    }

    /** "std/blob", "std/blob and std/email", "std/a, std/b and std/c": for sentences that say what exists. */
    static String listed() {
        List<String> all = names().stream().map(n -> "std/" + n).toList();
        if (all.size() == 1) return all.getFirst();
        return String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.getLast();
    }

    private static String read(String path) {
        try (InputStream in = StdModules.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + path, e);
        }
    }
}
