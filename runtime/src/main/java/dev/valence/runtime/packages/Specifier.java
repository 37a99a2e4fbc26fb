package dev.valence.runtime.packages;

import java.util.SortedMap;

/** An import naming a package from the npm registry or a Node built-in, as {@link Specifiers} parsed it. */
public sealed interface Specifier {
    /** The import exactly as the val wrote it. */
    String source();

    /**
     * A package from the npm registry.
     *
     * @param name    the package name, scoped ({@code @scope/name}) or not
     * @param range   an npm version range or dist-tag; {@code latest} when the import named none
     * @param subpath {@code .} for the package itself, else {@code ./path} as package.json "exports" keys are written
     * @param pins    esm.sh's {@code ?deps=} pins: package name to the range every use of it in the graph must take
     */
    record Npm(String source, String name, String range, String subpath, SortedMap<String, String> pins) implements Specifier {
        public Npm {
            pins = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(pins));
        }
    }

    /** A Node built-in vals may import ({@code node:buffer}, {@code node:stream/web}); {@code module} is its first segment. */
    record NodeBuiltin(String source, String module) implements Specifier {}
}
