package dev.valence.runtime.packages;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * Resolves a val's package imports to a {@link Lock}: each range to an exact version, then the
 * dependencies of those versions, their dependencies and so on, with peer dependencies taken from
 * the val's own graph. A package name gets one instance in the graph wherever the ranges asking
 * for it allow (so preact-render-to-string renders with the val's own preact), a second only where
 * a range excludes the first. Every version's tarball is fetched once ever, checked against its
 * sha512 integrity and stored; a stored version is never fetched again.
 *
 * <p>Optional dependencies are left out: they are mostly native builds for one platform, which a
 * val cannot load anyway.
 */
public final class Resolver {
    /**
     * @param maxPackages       a graph with more packages is refused: the libraries vals import bring tens at most,
     *                          so 1 000 catches runaway graphs before they cost minutes of downloads
     * @param maxUnpackedBytes  a graph unpacking to more is refused: 256 MB is several copies of the largest libraries
     * @param timeBudget        a resolution taking longer fails the save: two minutes covers a first save of a large
     *                          graph from a slow registry, and a save should answer rather than hang
     * @param perPackage        limits on each package's tarball contents
     */
    public record Limits(int maxPackages, long maxUnpackedBytes, Duration timeBudget, Tarballs.Limits perPackage) {
        public static Limits defaults() {
            return new Limits(1_000, 256L * 1024 * 1024, Duration.ofMinutes(2), Tarballs.Limits.defaults());
        }
    }

    private final Registry registry;
    private final PackageStore store;
    private final Limits limits;

    public Resolver(Registry registry, PackageStore store, Limits limits) {
        this.registry = registry;
        this.store = store;
        this.limits = limits;
    }

    public Lock resolve(Collection<? extends Specifier> specifiers) {
        return new Resolution(specifiers).run();
    }

    /** One resolution's state: the graph so far and who asked for each package (for messages). */
    private final class Resolution {
        private final long deadlineNanos = System.nanoTime() + limits.timeBudget().toNanos();
        private final List<Specifier.Npm> roots = new ArrayList<>();
        private final SortedMap<String, Lock.Entry> entries = new TreeMap<>();
        private final SortedMap<String, String> pins = new TreeMap<>();
        /** Package name to the version the val's graph uses for it (the first instance). */
        private final Map<String, String> primary = new HashMap<>();
        /** Package key to its dependency edges (name to package key). */
        private final SortedMap<String, SortedMap<String, String>> graph = new TreeMap<>();
        /** Package key to the import that brought it in, which error messages name. */
        private final Map<String, String> origin = new HashMap<>();
        private final ArrayDeque<String> queue = new ArrayDeque<>();

        Resolution(Collection<? extends Specifier> specifiers) {
            for (Specifier specifier : specifiers) {
                switch (specifier) {
                    case Specifier.NodeBuiltin builtin -> entries.put(builtin.source(), Lock.Entry.builtin("node:" + builtin.module()));
                    case Specifier.Npm npm -> roots.add(npm);
                }
            }
            roots.sort(Comparator.comparing(Specifier.Npm::source));
            for (var root : roots) {
                root.pins().forEach((name, range) -> {
                    String earlier = pins.putIfAbsent(name, range);
                    if (earlier != null && !earlier.equals(range)) {
                        throw new PackageException(root.source() + " pins " + name + " to " + range + " but another import pins it to "
                                + earlier + "; pin it the same way in every ?deps=.");
                    }
                });
            }
        }

        Lock run() {
            var rootKeys = placeRoots();
            while (!queue.isEmpty()) {
                expand(queue.removeFirst());
            }
            var stored = new TreeMap<String, PackageStore.StoredPackage>();
            long unpacked = 0;
            for (String key : graph.keySet()) {
                var p = fetchAndStore(key);
                stored.put(key, p);
                unpacked += p.unpackedBytes();
                if (unpacked > limits.maxUnpackedBytes()) {
                    throw new PackageException(origin.get(key) + ": the packages it needs unpack to more than " + limits.maxUnpackedBytes()
                            + " bytes together, over the limit; import fewer or smaller packages.");
                }
            }
            for (var root : roots) {
                String key = rootKeys.get(root.source());
                var p = stored.get(key);
                String file = Exports.resolve(p.manifest(), root.subpath(), p.paths()).orElseThrow(() -> noSuchSubpath(root, p));
                entries.put(root.source(), Lock.Entry.file(key, file));
            }
            var packages = new TreeMap<String, Lock.Package>();
            graph.forEach((key, dependencies) -> {
                var p = stored.get(key);
                packages.put(key, new Lock.Package(p.name(), p.version(), p.integrity(), dependencies));
            });
            return new Lock(entries, packages);
        }

        /** Each root name gets one version satisfying all the val's ranges for it when one exists. */
        private Map<String, String> placeRoots() {
            var byName = new TreeMap<String, List<Specifier.Npm>>();
            roots.forEach(root -> byName.computeIfAbsent(root.name(), name -> new ArrayList<>()).add(root));
            var keys = new HashMap<String, String>();
            byName.forEach((name, imports) -> {
                var shared = pick(name, imports.stream().map(Specifier.Npm::range).toList(), imports.getFirst().source(), null);
                for (var root : imports) {
                    String version = shared.orElseGet(() -> pick(name, List.of(root.range()), root.source(), null).orElseThrow());
                    keys.put(root.source(), add(name, version, root.source()));
                }
            });
            return keys;
        }

        private String add(String name, String version, String from) {
            String key = name + "@" + version;
            primary.putIfAbsent(name, version);
            if (!graph.containsKey(key)) {
                if (graph.size() >= limits.maxPackages()) {
                    throw new PackageException(from + ": its packages number more than " + limits.maxPackages()
                            + ", over the limit; import fewer packages.");
                }
                graph.put(key, new TreeMap<>());
                origin.put(key, from);
                queue.addLast(key);
            }
            return key;
        }

        private void expand(String key) {
            String name = key.substring(0, key.lastIndexOf('@'));
            String version = key.substring(key.lastIndexOf('@') + 1);
            String from = origin.get(key);
            JsonObject data = packument(name, from).getJsonObject("versions").getJsonObject(version);
            var edges = graph.get(key);
            var dependencies = new TreeMap<>(data.getJsonObject("dependencies", new JsonObject()).getMap());
            dependencies.forEach((dependency, rawRange) -> {
                String range = pins.getOrDefault(dependency, String.valueOf(rawRange));
                checkRegistryRange(key, dependency, range, from);
                String current = primary.get(dependency);
                String chosen = current != null && satisfies(dependency, current, range, from) ? current
                        : pick(dependency, List.of(range), from, key).orElseThrow();
                edges.put(dependency, add(dependency, chosen, from));
            });
            var peers = new TreeMap<>(data.getJsonObject("peerDependencies", new JsonObject()).getMap());
            var peerMeta = data.getJsonObject("peerDependenciesMeta", new JsonObject());
            peers.forEach((peer, rawRange) -> {
                String range = String.valueOf(rawRange);
                String current = primary.get(peer);
                if (current == null) {
                    if (peerMeta.getJsonObject(peer, new JsonObject()).getBoolean("optional", false)) {
                        return;
                    }
                    checkRegistryRange(key, peer, range, from);
                    edges.put(peer, add(peer, pick(peer, List.of(pins.getOrDefault(peer, range)), from, key).orElseThrow(), from));
                } else if (satisfies(peer, current, range, from)) {
                    edges.put(peer, peer + "@" + current);
                } else {
                    throw new PackageException(from + ": " + key + " needs " + peer + "@" + range + " beside it, but the val's graph has "
                            + peer + "@" + current + "; import a version of " + peer + " matching " + range + ".");
                }
            });
        }

        private void checkRegistryRange(String key, String dependency, String range, String from) {
            if (range.contains(":") || range.contains("/")) {
                throw new PackageException(from + ": " + key + " depends on " + dependency + " through \"" + range
                        + "\", which is not a version on the registry; only registry versions are resolved, so import another version of "
                        + key.substring(0, key.lastIndexOf('@')) + ".");
            }
        }

        /**
         * The version of {@code name} satisfying every range: a dist-tag's version when the range is a tag, else the
         * "latest" tag when it satisfies them (as npm prefers), else the highest satisfying version. Empty when
         * several ranges share no version; a single range that no version satisfies is an error.
         */
        private Optional<String> pick(String name, List<String> ranges, String from, String dependent) {
            JsonObject packument = packument(name, from);
            JsonObject tags = packument.getJsonObject("dist-tags", new JsonObject());
            JsonObject versions = packument.getJsonObject("versions", new JsonObject());
            String latest = tags.getString("latest");
            var candidates = versions.fieldNames().stream().filter(v -> Semver.parse(v) != null)
                    .filter(v -> ranges.stream().allMatch(range -> satisfies(tags, v, range)))
                    .max(Comparator.comparing(Semver::parse));
            if (latest != null && versions.containsKey(latest) && ranges.stream().allMatch(range -> satisfies(tags, latest, range))) {
                return Optional.of(latest);
            }
            if (candidates.isEmpty() && ranges.size() == 1) {
                String range = ranges.getFirst();
                String newest = versions.fieldNames().stream().filter(v -> Semver.parse(v) != null).max(Comparator.comparing(Semver::parse))
                        .orElse("none");
                String why = dependent == null ? "which the import asks for" : "which " + dependent + " depends on";
                throw new PackageException(from + ": no version of " + name + " matches " + range + ", " + why + " (the newest is "
                        + newest + (latest != null ? ", tagged latest " + latest : "") + "); change the range.");
            }
            return candidates;
        }

        private boolean satisfies(String name, String version, String range, String from) {
            return satisfies(packument(name, from).getJsonObject("dist-tags", new JsonObject()), version, range);
        }

        private static boolean satisfies(JsonObject tags, String version, String range) {
            String tagged = tags.getString(range);
            if (tagged != null) {
                return tagged.equals(version);
            }
            RangesList list = RangesListFactory.create(range.isBlank() ? "*" : range);
            Semver semver = Semver.parse(version);
            return semver != null && list.isSatisfiedBy(semver);
        }

        private JsonObject packument(String name, String from) {
            checkBudget(from);
            try {
                return registry.packument(name);
            } catch (PackageException e) {
                throw new PackageException(from + ": " + lowerFirst(e.getMessage()), e);
            }
        }

        private PackageStore.StoredPackage fetchAndStore(String key) {
            String name = key.substring(0, key.lastIndexOf('@'));
            String version = key.substring(key.lastIndexOf('@') + 1);
            String from = origin.get(key);
            JsonObject dist = packument(name, from).getJsonObject("versions").getJsonObject(version).getJsonObject("dist", new JsonObject());
            String integrity = dist.getString("integrity");
            var stored = store.find(name, version);
            if (stored.isPresent()) {
                if (integrity != null && !integrity.contains(stored.get().integrity())) {
                    throw new PackageException(from + ": the registry now publishes " + key + " with integrity " + integrity
                            + ", but the copy every instance runs was stored with " + stored.get().integrity()
                            + "; a published version's bytes must not change, so check the registry at " + registry.settings().url() + ".");
                }
                return stored.get();
            }
            checkBudget(from);
            try {
                byte[] tarball = registry.tarball(name, version, dist.getString("tarball", ""), integrity);
                var files = Tarballs.extract(key, tarball, limits.perPackage());
                String sha512 = "sha512-" + java.util.Base64.getEncoder().encodeToString(Registry.sha512(tarball));
                return store.save(name, version, sha512, files);
            } catch (PackageException e) {
                throw new PackageException(from + ": " + lowerFirst(e.getMessage()), e);
            }
        }

        private void checkBudget(String from) {
            if (System.nanoTime() > deadlineNanos) {
                throw new PackageException(from + ": resolving the val's packages took longer than " + limits.timeBudget().toSeconds()
                        + " s, the limit; save again (packages already fetched are kept), or import fewer packages.");
            }
        }

        private PackageException noSuchSubpath(Specifier.Npm root, PackageStore.StoredPackage p) {
            Object exports = p.manifest().getValue("exports");
            String offered = exports instanceof JsonObject map && map.fieldNames().stream().anyMatch(k -> k.startsWith("."))
                    ? "its package.json exports " + String.join(", ", map.fieldNames()) : "it has no such file";
            return new PackageException(root.source() + ": " + p.name() + "@" + p.version() + " offers nothing at \"" + root.subpath()
                    + "\" (" + offered + "); import one of the subpaths it offers.");
        }
    }

    private static String lowerFirst(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }
}
