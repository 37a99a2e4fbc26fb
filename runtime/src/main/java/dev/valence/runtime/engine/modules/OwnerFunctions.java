package dev.valence.runtime.engine.modules;

import dev.valence.runtime.engine.HostScope;
import dev.valence.runtime.store.BlobStore;
import dev.valence.runtime.store.StoreException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host functions behind {@code Deno.env}, {@code process.env} and {@code std/blob}, one
 * ProxyExecutable per operation, each bound to one owner when the context is made; the guest passes
 * keys and values, never an owner. They return values or a sentence (a string) that the JavaScript
 * side throws, so a refused write is the val's error, not the runtime's.
 *
 * <p>The database work blocks the calling JS worker thread. An asynchronous version would return a
 * promise here (resolved from the completion queue on the context's thread) and std-blob.js would
 * await it; the JavaScript API is already promise-based, so vals would not change.
 */
final class OwnerFunctions {
    static final int MAX_LISTED = 10_000;
    /** The longest content type a blob may carry (it counts toward the quota as well). */
    static final int MAX_CONTENT_TYPE = 255;

    private OwnerFunctions() {}

    /** @param scope the context's door to its invocation, which a schema-class database error marks */
    static Map<String, Object> forOwner(long ownerId, BlobStore blobs, EnvCache env, ValModules.Limits limits, HostScope scope) {
        return Map.of(
                "envGet", (ProxyExecutable) args -> args[0].isString() ? envValues(env, ownerId, scope).get(args[0].asString()) : null,
                "envAll", (ProxyExecutable) args -> new JsonObject(new TreeMap<String, Object>(envValues(env, ownerId, scope))).encode(),
                "blobGet", (ProxyExecutable) args -> !args[0].isString() ? null : guarded(scope, () -> blobs.get(ownerId, args[0].asString())
                        .map(b -> (Object) ProxyArray.fromArray(b.contentType(), ByteBuffer.wrap(b.value())))
                        .orElse(null)),
                "blobSet", (ProxyExecutable) args -> {
                    if (!args[0].isString() || !args[2].isString()) return "blob.set needs a string key and content type.";
                    if (args[2].asString().length() > MAX_CONTENT_TYPE) {
                        return "A blob's content type may have at most " + MAX_CONTENT_TYPE + " characters.";
                    }
                    return guarded(scope, () -> set(ownerId, blobs, limits, args[0].asString(), args[1], args[2].asString()));
                },
                "blobDelete", (ProxyExecutable) args -> !args[0].isString() ? "blob.delete needs a string key." : guarded(scope, () -> blobs.delete(ownerId, args[0].asString())),
                "blobList", (ProxyExecutable) args -> guarded(scope, () -> {
                    var listed = new JsonArray();
                    String prefix = args[0].isString() ? args[0].asString() : "";
                    for (var entry : blobs.list(ownerId, prefix, MAX_LISTED)) {
                        listed.add(new JsonObject().put("key", entry.key()).put("size", entry.sizeBytes())
                                .put("lastModified", entry.updatedAt().toString()));
                    }
                    return listed.encode();
                }));
    }

    private static Object set(long ownerId, BlobStore blobs, ValModules.Limits limits, String key, Value value, String contentType) {
        byte[] bytes;
        if (value.isString()) {
            bytes = value.asString().getBytes(StandardCharsets.UTF_8);
        } else if (value.hasBufferElements()) {
            long size = value.getBufferSize();
            if (size > limits.blobMaxBytes()) return tooLarge(key, size, limits);
            bytes = new byte[(int) size];
            value.readBuffer(0, bytes, 0, bytes.length);
        } else {
            return "blob.set stores a string, an ArrayBuffer or a typed array.";
        }
        if (bytes.length > limits.blobMaxBytes()) return tooLarge(key, bytes.length, limits);
        long total = blobs.set(ownerId, key, bytes, contentType, limits.blobQuotaBytes());
        if (total < 0) {
            return "Storing " + bytes.length + " bytes under " + quoted(key)
                    + " would take this val owner's blobs past their quota of " + limits.blobQuotaBytes()
                    + " bytes; delete some first (VAL_BLOB_QUOTA_MB sets the quota).";
        }
        return null;
    }

    private static String tooLarge(String key, long size, ValModules.Limits limits) {
        return "A blob value may be at most " + limits.blobMaxBytes() + " bytes; the value for "
                + quoted(key) + " has " + size
                + " (VAL_BLOB_MAX_MB sets the limit).";
    }

    private static String quoted(String key) {
        return '"' + (key.length() > 80 ? key.substring(0, 80) + "..." : key) + '"';
    }

    @FunctionalInterface
    private interface Work {
        Object run();
    }

    /**
     * Database trouble becomes the val's error (a sentence), not a host exception; a schema-class one also
     * marks the invocation. A key the store cannot hold is the val's own mistake, said as such.
     */
    private static Object guarded(HostScope scope, Work work) {
        try {
            return work.run();
        } catch (BlobStore.BadKey e) {
            return e.getMessage();
        } catch (StoreException e) {
            scope.noteDatabaseError("std/blob", e);
            return "The blob store is unavailable right now; try again.";
        }
    }

    /** The owner's variables; a failed read reaches the val as an error after marking the invocation. */
    private static Map<String, String> envValues(EnvCache env, long ownerId, HostScope scope) {
        try {
            return env.values(ownerId);
        } catch (StoreException e) {
            scope.noteDatabaseError("Deno.env", e);
            throw e;
        }
    }
}
