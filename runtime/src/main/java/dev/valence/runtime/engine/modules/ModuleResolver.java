package dev.valence.runtime.engine.modules;

import dev.valence.runtime.packages.Lock;
import dev.valence.runtime.packages.PackageException;
import dev.valence.runtime.packages.PackageModules;
import dev.valence.runtime.packages.PackageStore;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the imports of a val version from the database, depth first, before any of its code runs.
 * All of it runs in the val's context as the val's owner, so every import in the graph, however deep,
 * is looked up with that owner's visibility: the owner's vals of any privacy, other owners' public and
 * unlisted vals. Another owner's private val is reported as missing, also when a public val of that
 * owner imports it (its code would otherwise reach a stranger's context).
 * Cycles, missing vals and unsupported specifiers fail the whole graph with a sentence naming the
 * chain of imports.
 */
final class ModuleResolver {
    static final int MAX_MODULES = 200;

    private final ValStore vals;
    private final TsCompiler compiler;
    private final PackageStore packageStore;
    private final PackageModules packages;

    /** @param packageStore where saved versions' package locks and files are (null: package imports fail with a sentence) */
    ModuleResolver(ValStore vals, TsCompiler compiler, PackageStore packageStore) {
        this.vals = vals;
        this.compiler = compiler;
        this.packageStore = packageStore;
        this.packages = packageStore == null ? null : new PackageModules(packageStore, compiler::lex);
    }

    /** A module of the graph: a val version ({@code valId} and {@code version} find its package lock). */
    private record Node(String display, String code, List<String> imports, long valId, int version) {}

    private static final class ResolveError extends Exception {
        ResolveError(String message) {
            super(message, null, false, false);
        }
    }

    private final class Walk {
        final long viewerId;
        final String viewer;
        final Map<String, Path> paths = new HashMap<>();
        final Map<Path, String> sources = new HashMap<>();
        final Map<Long, Integer> latest = new HashMap<>();
        final Map<String, Optional<ValStore.Module>> lookups = new HashMap<>();
        final Map<String, Lock> locks = new HashMap<>();
        final LinkedHashMap<String, Boolean> chain = new LinkedHashMap<>(); // modules being visited, in order
        final Map<String, String> packageSources = new HashMap<>();
        int valModules;

        Walk(long viewerId, String viewer) {
            this.viewerId = viewerId;
            this.viewer = viewer;
        }

        void visit(Node node) throws ResolveError {
            chain.put(node.display, true);
            for (String specifier : node.imports) {
                switch (Specifier.parse(specifier)) {
                    case Specifier.Std std -> {
                        Path path = Path.of("/std/" + std.module() + ".mjs");
                        paths.put(specifier, path);
                        sources.put(path, StdModules.source(std.module()));
                    }
                    case Specifier.Package wanted -> paths.put(specifier, packagePath(node, specifier));
                    case Specifier.Unsupported unsupported -> throw new ResolveError(
                            trail(node) + " imports \"" + specifier + "\", which cannot be imported: " + unsupported.reason() + ".");
                    case Specifier.ValImport wanted -> {
                        ValStore.Module module = lookup(wanted)
                                .filter(m -> m.ownerId() == viewerId || m.privacy() != Val.Privacy.PRIVATE)
                                .orElseThrow(() -> new ResolveError(trail(node) + " imports \"" + specifier + "\", but there is no val "
                                        + wanted.owner() + "/" + wanted.name() + (wanted.version() == 0 ? "" : " with version " + wanted.version())
                                        + " that a val of " + viewer + " may import (it is missing, or private to its owner)."));
                        String display = module.owner() + "/" + module.name() + "@" + module.version();
                        if (chain.containsKey(display)) {
                            throw new ResolveError("Import cycle: " + String.join(" -> ", chain.keySet()) + " -> " + display
                                    + ". Vals cannot import each other in a circle; move what both need into a third val.");
                        }
                        Path path = Path.of("/" + module.owner() + "/" + module.name() + "@" + module.version() + ".mjs");
                        paths.put(specifier, path);
                        if (wanted.version() == 0) latest.put(module.valId(), module.version());
                        if (sources.containsKey(path)) continue;
                        if (++valModules > MAX_MODULES) {
                            throw new ResolveError(trail(node) + " loads more than " + MAX_MODULES + " modules; a val may load at most that many.");
                        }
                        sources.put(path, module.code());
                        visit(new Node(display, module.code(), importsOf(display, module.code(), module.imports()), module.valId(),
                                module.version()));
                    }
                }
            }
            chain.remove(node.display);
        }

        /**
         * Where a package import of {@code node} is served, its modules added to the graph: read from the lock its
         * save stored, so loading never asks a registry. Two vals of one graph may not mean different files by one
         * specifier, since GraalJS names a module by its specifier alone.
         */
        Path packagePath(Node node, String specifier) throws ResolveError {
            if (packages == null) {
                throw new ResolveError(trail(node) + " imports \"" + specifier + "\", but this runtime has no package store.");
            }
            Lock lock = locks.computeIfAbsent(node.valId() + "@" + node.version(),
                    k -> packageStore.lock(node.valId(), node.version()).map(PackageStore.StoredLock::lock).orElse(null));
            Lock.Entry entry = lock == null ? null : lock.imports().get(specifier);
            if (entry == null) {
                throw new ResolveError(trail(node) + " imports \"" + specifier + "\", but that version was saved without a package lock"
                        + " for it (saved before packages could be loaded); save the val again to resolve its packages.");
            }
            String served;
            try {
                served = packages.load(lock, entry, packageSources);
            } catch (PackageException e) {
                throw new ResolveError(trail(node) + " imports \"" + specifier + "\", which cannot be loaded: " + e.getMessage());
            }
            Path path = Path.of(served);
            Path earlier = paths.get(specifier);
            if (earlier != null && !earlier.equals(path)) {
                throw new ResolveError(trail(node) + " imports \"" + specifier + "\" as " + served.substring(1) + ", but another module of"
                        + " the graph imports it as " + earlier.toString().substring(1) + "; import the same version in both.");
            }
            return path;
        }

        Optional<ValStore.Module> lookup(Specifier.ValImport wanted) {
            return lookups.computeIfAbsent(wanted.display(), k -> vals.module(wanted.owner(), wanted.name(), wanted.version()));
        }

        String trail(Node node) {
            return chain.size() <= 1 ? node.display : String.join(" -> ", chain.keySet());
        }
    }

    /** The graph of {@code val}'s latest version, whose JavaScript is {@code code}. */
    ModuleGraph resolve(Val val, String code) {
        List<String> imports = vals.imports(val.id(), val.latestVersion()).orElse(null);
        String display = val.fullName() + "@" + val.latestVersion();
        try {
            imports = importsOf(display, code, imports);
            if (imports.isEmpty()) return ModuleGraph.EMPTY;
            var walk = new Walk(val.ownerId(), val.owner());
            walk.visit(new Node(display, code, imports, val.id(), val.latestVersion()));
            walk.packageSources.forEach((path, source) -> walk.sources.put(Path.of(path), source));
            return new ModuleGraph(null, walk.paths, walk.sources, walk.latest);
        } catch (ResolveError e) {
            return ModuleGraph.failed(e.getMessage());
        }
    }

    /** The stored imports, or (for versions saved before compiling existed) those found by compiling now. */
    private List<String> importsOf(String display, String code, List<String> stored) throws ResolveError {
        if (stored != null) return stored;
        try {
            return new ArrayList<>(compiler.compile(display, code).imports());
        } catch (TsCompiler.CompileError e) {
            throw new ResolveError(display + " does not compile (line " + e.line() + ", column " + e.column() + "): " + e.getMessage());
        }
    }
}
