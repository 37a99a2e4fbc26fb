package dev.valence.runtime.engine.modules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The standard modules a val can import by name, read once from the class path. */
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

    private static String read(String path) {
        try (InputStream in = StdModules.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + path, e);
        }
    }
}
