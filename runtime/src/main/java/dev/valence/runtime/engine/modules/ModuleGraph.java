package dev.valence.runtime.engine.modules;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The imports of one val version, resolved: which module each specifier means, the JavaScript of
 * each, and which imported vals were taken at their latest version (so a newer version of one of
 * them makes the graph stale). Or, when resolving failed, why. Immutable but for the time of the
 * last staleness check.
 */
public final class ModuleGraph {
    static final ModuleGraph EMPTY = new ModuleGraph(null, Map.of(), Map.of(), Map.of());

    private final String error;
    private final Map<String, Path> paths;
    private final Map<Path, String> sources;
    private final Map<Long, Integer> latest;
    final AtomicLong checkedNs = new AtomicLong(System.nanoTime());

    ModuleGraph(String error, Map<String, Path> paths, Map<Path, String> sources, Map<Long, Integer> latest) {
        this.error = error;
        this.paths = Map.copyOf(paths);
        this.sources = Map.copyOf(sources);
        this.latest = Map.copyOf(latest);
    }

    /** The graph of a val that imports nothing. */
    public static ModuleGraph none() {
        return EMPTY;
    }

    static ModuleGraph failed(String error) {
        return new ModuleGraph(error, Map.of(), Map.of(), Map.of());
    }

    /** Why the imports could not be resolved (missing, private, cycle, unsupported), or empty. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** Whether the val imports anything at all. */
    public boolean importsAnything() {
        return !paths.isEmpty();
    }

    Path path(String specifier) {
        return paths.get(specifier);
    }

    String source(Path path) {
        return sources.get(path);
    }

    Map<Long, Integer> latest() {
        return latest;
    }

    /**
     * {@code stack} with imported modules named by version ({@code alice/lib@3.mjs:2:9}) instead of by
     * the specifier GraalJS names them after ({@code val:alice/lib:2:9}).
     */
    public String nameModulesIn(String stack) {
        if (paths.isEmpty() || stack == null) return stack;
        String named = stack;
        for (var entry : paths.entrySet()) {
            named = named.replace("(" + entry.getKey() + ":", "(" + entry.getValue().toString().substring(1) + ":");
        }
        return named;
    }

    /** How many modules the val loads besides its own. */
    public int moduleCount() {
        return sources.size();
    }
}
