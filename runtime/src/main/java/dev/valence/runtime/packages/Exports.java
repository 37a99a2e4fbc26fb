package dev.valence.runtime.packages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which file of a package an import's subpath means, as Node and Deno decide it: package.json
 * "exports" (subpaths, {@code *} patterns, conditions) when the package has it, else "module", then
 * "main", then index.js. Conditions are taken in the package's own key order, as Node does, among
 * those a val's engine is: deno, worker, browser, import, default. A package whose exports only
 * offer CommonJS ("require", "node") gets that file on a second pass, since CommonJS is loaded
 * wrapped rather than refused.
 */
final class Exports {
    private static final Set<String> CONDITIONS = Set.of("deno", "worker", "browser", "import", "default");
    private static final Set<String> WITH_COMMONJS = Set.of("deno", "worker", "browser", "import", "default", "require", "node");
    /** What Node tries after a path without its extension, in order, for "main", "module" and bare subpaths. */
    private static final List<String> PROBES = List.of("", ".js", ".mjs", ".cjs", ".json", "/index.js", "/index.mjs", "/index.json");

    private Exports() {}

    /** The path inside the package (no leading ./), or empty when the package offers no such subpath. */
    static Optional<String> resolve(JsonObject manifest, String subpath, Set<String> files) {
        Object exports = manifest.getValue("exports");
        if (exports == null) {
            if (subpath.equals(".")) {
                for (String field : List.of("module", "main")) {
                    if (manifest.getValue(field) instanceof String target) {
                        var found = probe(strip(target), files);
                        if (found.isPresent()) {
                            return found;
                        }
                    }
                }
                return probe("index", files);
            }
            return probe(strip(subpath), files);
        }
        if (!(exports instanceof JsonObject map) || map.fieldNames().stream().noneMatch(key -> key.startsWith("."))) {
            exports = new JsonObject().put(".", exports); // "exports": "./x.js" or conditions alone mean the package itself
        }
        var map = (JsonObject) exports;
        Object value = null;
        String star = null;
        if (map.containsKey(subpath)) {
            value = map.getValue(subpath);
        } else {
            // "./*" and "./sub/*.js": the longest matching prefix wins, as in Node
            String best = null;
            for (String key : map.fieldNames()) {
                int at = key.indexOf('*');
                if (at < 0) continue;
                String prefix = key.substring(0, at);
                String suffix = key.substring(at + 1);
                if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length() >= key.length() - 1
                        && (best == null || prefix.length() > best.indexOf('*'))) {
                    best = key;
                    star = subpath.substring(prefix.length(), subpath.length() - suffix.length());
                }
            }
            if (best != null) {
                value = map.getValue(best);
            }
        }
        String target = condition(value, CONDITIONS);
        if (target == null) {
            target = condition(value, WITH_COMMONJS);
        }
        if (target == null || !target.startsWith("./")) {
            return Optional.empty();
        }
        String path = strip(star == null ? target : target.replace("*", star));
        return files.contains(path) ? Optional.of(path) : Optional.empty();
    }

    private static String condition(Object value, Set<String> conditions) {
        if (value instanceof String target) {
            return target;
        }
        if (value instanceof JsonArray fallbacks) {
            for (Object fallback : fallbacks) {
                String target = condition(fallback, conditions);
                if (target != null) return target;
            }
            return null;
        }
        if (value instanceof JsonObject branches) {
            for (String key : branches.fieldNames()) {
                if (conditions.contains(key)) {
                    String target = condition(branches.getValue(key), conditions);
                    if (target != null) return target;
                }
            }
        }
        return null;
    }

    private static Optional<String> probe(String path, Set<String> files) {
        for (String suffix : PROBES) {
            if (files.contains(path + suffix)) {
                return Optional.of(path + suffix);
            }
        }
        return Optional.empty();
    }

    private static String strip(String path) {
        String stripped = path.startsWith("./") ? path.substring(2) : path.startsWith("/") ? path.substring(1) : path;
        return stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }
}
