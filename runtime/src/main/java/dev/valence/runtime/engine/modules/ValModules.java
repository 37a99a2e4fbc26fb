package dev.valence.runtime.engine.modules;

import dev.valence.runtime.email.Outbox;
import dev.valence.runtime.engine.JsEngine;
import dev.valence.runtime.engine.OwnerModules;
import dev.valence.runtime.store.BlobStore;
import dev.valence.runtime.packages.PackageStore;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.RunNotices;
import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Everything a val's context gets from its owner and from other vals: resolved imports served by a
 * virtual file system, {@code std/blob}, and the owner's environment variables. The runner asks for
 * a val version's {@link ModuleGraph} when it loads that version, checks at most once per
 * {@code latestTtlMs} whether an import taken at "latest" has a newer version since (the graph is
 * then stale and the runner loads the val afresh), and builds each context's sandbox here.
 */
public final class ValModules implements OwnerModules {
    /** Blob limits: the largest value and an owner's total, in bytes. */
    public record Limits(long blobMaxBytes, long blobQuotaBytes) {}

    /** Env values shorter than this are not masked in logs: masking "1" or "true" would garble them. */
    static final int MIN_MASKED_LENGTH = 6;
    /** How long cached env values may live while writes are announced: a backstop against a lost notice. */
    static final long ENV_SUBSCRIBED_TTL_MS = 60_000;

    private final ValStore vals;
    private final BlobStore blobs;
    private final EnvCache env;
    private final ModuleResolver resolver;
    private final Limits limits;
    private final long latestTtlNs;
    private final Outbox outbox;

    public ValModules(ValStore vals, BlobStore blobs, EnvStore env, TsCompiler compiler, Limits limits, long latestTtlMs) {
        this(vals, blobs, env, compiler, limits, latestTtlMs, null, null);
    }

    /**
     * With {@code outbox}, where std/email sends (null: std/email is not offered), and {@code packages}, where saved
     * versions' package locks and files are (null: package imports fail with a sentence).
     */
    public ValModules(ValStore vals, BlobStore blobs, EnvStore env, TsCompiler compiler, Limits limits, long latestTtlMs, Outbox outbox,
                      PackageStore packages) {
        this.outbox = outbox;
        this.vals = vals;
        this.blobs = blobs;
        this.env = new EnvCache(env, latestTtlMs, ENV_SUBSCRIBED_TTL_MS);
        this.resolver = new ModuleResolver(vals, compiler, packages);
        this.limits = limits;
        this.latestTtlNs = latestTtlMs * 1_000_000L;
    }

    /** Takes the notices of env writes (channel {@link EnvStore#CHANNEL}) for the env cache. */
    public RunNotices.Subscriber envNotices() {
        return env;
    }

    /** The imports of {@code val}'s latest version (whose JavaScript is {@code code}), resolved now. */
    @Override
    public ModuleGraph resolve(Val val, String code) {
        return resolver.resolve(val, code);
    }

    /**
     * Whether the val should be loaded afresh: an import taken at "latest" has a newer version, or
     * resolving failed (a missing val may exist by now). Asks the database at most once per
     * {@code latestTtlMs} per graph, and only one caller at a time.
     */
    @Override
    public boolean stale(ModuleGraph graph) {
        if (graph.error().isEmpty() && graph.latest().isEmpty()) return false;
        long now = System.nanoTime();
        long checked = graph.checkedNs.get();
        if (now - checked < latestTtlNs || !graph.checkedNs.compareAndSet(checked, now)) return false;
        if (graph.error().isPresent()) return true;
        return !vals.latestVersions(graph.latest().keySet()).equals(graph.latest());
    }

    /** The sandbox of one context of {@code val}: its owner's functions, std/email's sending as this val. */
    @Override
    public JsEngine.Sandbox sandbox(Val val, ModuleGraph graph) {
        var sender = new Outbox.Sender(val.ownerId(), val.owner(), val.name());
        return new JsEngine.Sandbox(graph.importsAnything() ? new VirtualFileSystem(graph) : null, scope -> {
            var functions = new java.util.HashMap<>(OwnerFunctions.forOwner(val.ownerId(), blobs, env, limits, scope));
            if (outbox != null) functions.put("emailSend", OutboxFunction.forVal(outbox, sender, scope));
            functions.put("base64Into", OutboxFunction.BASE64_INTO);
            return functions;
        });
    }

    /**
     * {@code text} with the owner's environment values replaced by {@code [env KEY]}, longest first:
     * the values as they are now, and those replaced or deleted lately (a run may have read them).
     */
    @Override
    public String maskSecrets(long ownerId, String text) {
        if (text == null || text.isEmpty()) return text;
        List<Map.Entry<String, String>> values;
        try {
            values = env.maskable(ownerId);
        } catch (StoreException e) {
            // unmasked text could show a secret: keep none of it (the runner masks after the invocation
            // ended, so there is no invocation left to mark)
            return "[withheld: the owner's environment variables, which this text is masked with, could not be read (SQLSTATE "
                    + e.sqlState() + ")]";
        }
        if (values.isEmpty()) return text;
        String masked = text;
        var byLength = values.stream().filter(e -> e.getValue().length() >= MIN_MASKED_LENGTH)
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed()).toList();
        for (var entry : byLength) {
            if (masked.contains(entry.getValue())) masked = masked.replace(entry.getValue(), "[env " + entry.getKey() + "]");
        }
        return masked;
    }
}
