package dev.valence.runtime.packages;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What a save calls with the imports of the version it writes: the version's lock, resolved or
 * reused, stored beside the version. A save whose package imports are those of the val's previous
 * locked version reuses that lock without asking the registry anything; otherwise the imports are
 * resolved (registry metadata younger than its TTL is reused, stored packages are never fetched again).
 * Any {@link PackageException} it throws is the save's 400 answer.
 */
public final class PackageLocks {
    private final PackageStore store;
    private final Resolver resolver;

    public PackageLocks(PackageStore store, Resolver resolver) {
        this.store = store;
        this.resolver = resolver;
    }

    /** With the registry at {@code registryUrl} (NPM_REGISTRY_URL) and metadata reused for {@code metadataTtlS} (NPM_METADATA_TTL_S). */
    public static PackageLocks create(DataSource dataSource, String registryUrl, int metadataTtlS) {
        var registry = new Registry(Registry.Settings.defaults(URI.create(registryUrl), Duration.ofSeconds(metadataTtlS)));
        var store = new PackageStore(dataSource);
        return new PackageLocks(store, new Resolver(registry, store, Resolver.Limits.defaults()));
    }

    public PackageStore store() {
        return store;
    }

    /**
     * Resolves (or reuses) and stores the lock of version {@code version} of val {@code valId}, whose row in
     * app.val_versions must exist. Empty when no import names a package or built-in.
     */
    public Optional<Lock> lockFor(long valId, int version, Collection<String> imports) {
        List<Specifier> specifiers = imports.stream().map(Specifiers::parse).flatMap(Optional::stream).toList();
        if (specifiers.isEmpty()) {
            return Optional.empty();
        }
        byte[] importsSha256 = importsSha256(specifiers);
        Lock lock = store.previousLock(valId, version).filter(previous -> Arrays.equals(previous.importsSha256(), importsSha256))
                .map(PackageStore.StoredLock::lock)
                .orElseGet(() -> resolver.resolve(specifiers));
        store.saveLock(valId, version, importsSha256, lock);
        return Optional.of(lock);
    }

    /** A saved version's lock, read from the database alone. */
    public Optional<Lock> lockOf(long valId, int version) {
        return store.lock(valId, version).map(PackageStore.StoredLock::lock);
    }

    /** The same package imports in any order hash the same. */
    static byte[] importsSha256(List<Specifier> specifiers) {
        String joined = String.join("\n", specifiers.stream().map(Specifier::source).distinct().sorted().toList());
        return PackageStore.sha256(joined.getBytes(StandardCharsets.UTF_8));
    }
}
