package dev.valence.runtime.packages;

import dev.valence.foundation.outbound.AllowList;
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
    public static PackageLocks create(DataSource dataSource, String registryUrl, int metadataTtlS, AllowList allow) {
        var registry = new Registry(Registry.Settings.defaults(URI.create(registryUrl), Duration.ofSeconds(metadataTtlS), allow));
        var store = new PackageStore(dataSource);
        return new PackageLocks(store, new Resolver(registry, store, Resolver.Limits.defaults()));
    }

    public PackageStore store() {
        return store;
    }

    /** A lock resolved (or reused) for a save, and the hash of the package imports it was resolved for. */
    public record Prepared(byte[] importsSha256, Lock lock) {}

    /**
     * What a save calls before it writes the version: the lock of {@code imports}, reused from the val's newest
     * locked version when its package imports were the same (no registry request), else resolved now. Empty when
     * no import names a package or built-in (and then no query is made). {@code valId} is null for a new val.
     *
     * @throws PackageException naming the package, the range and why, which the save answers with 400
     */
    public Optional<Prepared> prepare(Long valId, Collection<String> imports) {
        List<Specifier> specifiers = imports.stream().map(Specifiers::parse).flatMap(Optional::stream).toList();
        if (specifiers.isEmpty()) {
            return Optional.empty();
        }
        for (Specifier specifier : specifiers) {
            if (specifier instanceof Specifier.NodeBuiltin builtin && !NodeBuiltins.offers(builtin.source().substring("node:".length()))) {
                throw new PackageException(builtin.source() + " is not offered to vals yet; they offer " + NodeBuiltins.offered()
                        + ". Import a package that does the same with web APIs instead.");
            }
        }
        byte[] importsSha256 = importsSha256(specifiers);
        Lock lock = (valId == null ? Optional.<PackageStore.StoredLock>empty() : store.previousLock(valId, Integer.MAX_VALUE))
                .filter(previous -> Arrays.equals(previous.importsSha256(), importsSha256))
                .map(PackageStore.StoredLock::lock)
                .orElseGet(() -> resolver.resolve(specifiers));
        return Optional.of(new Prepared(importsSha256, lock));
    }

    /** Stores the lock on {@code connection}, in the transaction that writes the version (see ValStore.VersionWrites). */
    public void save(java.sql.Connection connection, long valId, int version, Prepared prepared) throws java.sql.SQLException {
        store.saveLock(connection, valId, version, prepared.importsSha256(), prepared.lock());
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
