package dev.valence.runtime.packages;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a val version's package imports resolved to, pinned like Deno's lockfile: each import's
 * package and file, and each package's exact version, sha512 integrity and the packages its own
 * imports of other packages use. The same lock always means the same bytes, on every instance.
 * Its JSON has sorted keys and no spaces, so equal locks are equal strings.
 *
 * @param imports  the val's import specifier, exactly as written, to what it resolved to
 * @param packages package key ({@code name@version}) to that package
 */
public record Lock(SortedMap<String, Entry> imports, SortedMap<String, Package> packages) {
    public static final int FORMAT = 1;

    public Lock {
        imports = Collections.unmodifiableSortedMap(new TreeMap<>(imports));
        packages = Collections.unmodifiableSortedMap(new TreeMap<>(packages));
    }

    /** An import: a file of a locked package ({@code package} and {@code file} set), or a Node built-in ({@code builtin} set). */
    public record Entry(String packageKey, String file, String builtin) {
        public static Entry file(String packageKey, String file) {
            return new Entry(packageKey, file, null);
        }

        public static Entry builtin(String module) {
            return new Entry(null, null, module);
        }
    }

    /** @param dependencies each package name this package imports to the key of the package it gets */
    public record Package(String name, String version, String integrity, SortedMap<String, String> dependencies) {
        public Package {
            dependencies = Collections.unmodifiableSortedMap(new TreeMap<>(dependencies));
        }

        public String key() {
            return name + "@" + version;
        }
    }

    public String toJson() {
        var importsJson = new JsonObject();
        imports.forEach((specifier, entry) -> importsJson.put(specifier, entry.builtin() != null
                ? new JsonObject().put("builtin", entry.builtin())
                : new JsonObject().put("file", entry.file()).put("package", entry.packageKey())));
        var packagesJson = new JsonObject();
        packages.forEach((key, p) -> {
            var dependencies = new JsonObject();
            p.dependencies().forEach(dependencies::put);
            packagesJson.put(key, new JsonObject().put("dependencies", dependencies).put("integrity", p.integrity())
                    .put("name", p.name()).put("version", p.version()));
        });
        return new JsonObject().put("format", FORMAT).put("imports", importsJson).put("packages", packagesJson).encode();
    }

    public static Lock fromJson(String json) {
        var root = new JsonObject(json);
        if (root.getInteger("format", 0) != FORMAT) {
            throw new IllegalStateException("package lock format " + root.getValue("format") + " is not " + FORMAT
                    + ", which this build reads; it was written by a newer Valence");
        }
        var imports = new TreeMap<String, Entry>();
        root.getJsonObject("imports").forEach(e -> {
            var entry = (JsonObject) e.getValue();
            imports.put(e.getKey(), entry.containsKey("builtin") ? Entry.builtin(entry.getString("builtin"))
                    : Entry.file(entry.getString("package"), entry.getString("file")));
        });
        var packages = new TreeMap<String, Package>();
        root.getJsonObject("packages").forEach(e -> {
            var p = (JsonObject) e.getValue();
            var dependencies = new TreeMap<String, String>();
            p.getJsonObject("dependencies").forEach(d -> dependencies.put(d.getKey(), (String) d.getValue()));
            packages.put(e.getKey(), new Package(p.getString("name"), p.getString("version"), p.getString("integrity"), dependencies));
        });
        return new Lock(imports, packages);
    }

    /** The packages as a plain map, for tests and messages: key to integrity. */
    public Map<String, String> integrities() {
        var result = new TreeMap<String, String>();
        packages.forEach((key, p) -> result.put(key, p.integrity()));
        return result;
    }
}
