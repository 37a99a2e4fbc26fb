package dev.valence.runtime.engine;

import dev.valence.runtime.engine.modules.ModuleGraph;
import dev.valence.runtime.store.Val;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warm val versions: one {@link ValProgram} per val, replaced when a newer version (or a newer
 * import graph) arrives, the least recently used evicted past {@code maxWarmVersions}, the largest
 * allocators evicted when the heap runs short.
 */
final class Programs implements AutoCloseable {
    private final ConcurrentHashMap<Long, ValProgram> programs = new ConcurrentHashMap<>();
    private final OwnerModules modules;
    private final int contextsPerVersion;
    private final int maxWarmVersions;

    Programs(OwnerModules modules, int contextsPerVersion, int maxWarmVersions) {
        this.modules = modules;
        this.contextsPerVersion = contextsPerVersion;
        this.maxWarmVersions = maxWarmVersions;
    }

    /** Whether this invocation would load the val into a new context (what the load gate is asked about). */
    boolean needsNewContext(Val val, boolean freshContext) {
        ValProgram program = programs.get(val.id());
        return freshContext || program == null || program.version != val.latestVersion() || program.idleContexts() == 0;
    }

    /** The program of the val's latest version; resolving imports reads other vals' versions (may throw StoreException). */
    ValProgram programFor(Val val, String code) {
        ValProgram current = programs.get(val.id());
        if (current != null && current.version > val.latestVersion()) return current;
        if (current != null && current.version == val.latestVersion() && !modules.stale(current.graph)) return current;
        ModuleGraph graph = modules.resolve(val, code);
        var fresh = new ValProgram(val.id(), val.latestVersion(), val.ownerId(), val.fullName(), code, contextsPerVersion,
                graph, modules.sandbox(val, graph));
        // a newer version wins; at the same version the newer graph wins unless another thread replaced the program first
        ValProgram winner = programs.merge(val.id(), fresh, (old, neu) -> {
            if (old.version > neu.version || (old.version == neu.version && old != current)) return old;
            old.retire();
            return neu;
        });
        if (programs.size() > maxWarmVersions) evictLeastRecentlyUsed();
        return winner;
    }

    private void evictLeastRecentlyUsed() {
        programs.values().stream().min(Comparator.comparingLong(p -> p.lastUsedNanos)).ifPresent(p -> {
            if (programs.remove(p.valId, p)) p.retire();
        });
    }

    /** See {@link ValRunner#evictLargestAllocators}. */
    List<String> evictLargestAllocators(long bytes) {
        var evicted = new ArrayList<String>();
        long covered = 0;
        for (ValProgram program : programs.values().stream()
                .sorted(Comparator.comparingLong((ValProgram p) -> p.allocatedBytes.sum()).reversed()).toList()) {
            if (!evicted.isEmpty() && covered >= bytes) break;
            if (!programs.remove(program.valId, program)) continue;
            program.retire();
            long allocated = program.allocatedBytes.sum();
            covered += allocated;
            evicted.add(program.name + "@" + program.version + " (" + allocated / (1024 * 1024) + " MB allocated)");
        }
        return evicted;
    }

    void forget(long valId) {
        ValProgram program = programs.remove(valId);
        if (program != null) program.retire();
    }

    int idleContexts(long valId) {
        ValProgram program = programs.get(valId);
        return program == null ? 0 : program.idleContexts();
    }

    int warmVersions() {
        return programs.size();
    }

    @Override
    public void close() {
        programs.values().forEach(ValProgram::retire);
        programs.clear();
    }
}
