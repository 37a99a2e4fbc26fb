package dev.valence.runtime.engine.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host side of node:crypto's createHash and createHmac ({@code host.nodeHashes}, which the prelude
 * hands to {@code js/node/crypto.js} as a frozen binding): the JDK's MessageDigest and Mac, kept as
 * handles the guest can only pass back, fed with byte ranges of guest ArrayBuffers. Node's algorithm
 * names are mapped here; an unknown one answers null, which the JavaScript side turns into Node's error.
 */
public final class NodeHashes {
    /** Node's names (lower case) to the JDK's MessageDigest names; the JDK names each HMAC "Hmac" + the name, SHA- as SHA. */
    private static final Map<String, String> ALGORITHMS = Map.ofEntries(
            Map.entry("md5", "MD5"), Map.entry("sha1", "SHA-1"), Map.entry("sha224", "SHA-224"), Map.entry("sha256", "SHA-256"),
            Map.entry("sha384", "SHA-384"), Map.entry("sha512", "SHA-512"), Map.entry("sha512-224", "SHA-512/224"),
            Map.entry("sha512-256", "SHA-512/256"), Map.entry("sha3-224", "SHA3-224"), Map.entry("sha3-256", "SHA3-256"),
            Map.entry("sha3-384", "SHA3-384"), Map.entry("sha3-512", "SHA3-512"),
            Map.entry("rsa-md5", "MD5"), Map.entry("rsa-sha1", "SHA-1"), Map.entry("rsa-sha256", "SHA-256"),
            Map.entry("rsa-sha384", "SHA-384"), Map.entry("rsa-sha512", "SHA-512"));

    /** A hash or HMAC in progress: the guest holds it and can only hand it back. */
    private sealed interface Handle permits Hash, Hmac {}

    private record Hash(MessageDigest digest) implements Handle {}

    private record Hmac(Mac mac) implements Handle {}

    public static final ProxyObject FUNCTIONS = ProxyObject.fromMap(Map.of(
            // open(algorithm, key ArrayBuffer or null): a handle, or null for an algorithm Node would refuse
            "open", (ProxyExecutable) args -> open(args[0].asString(), args[1].isNull() ? null : bytes(args[1], 0, -1)),
            // update(handle, ArrayBuffer, byteOffset, byteLength)
            "update", (ProxyExecutable) args -> {
                byte[] data = bytes(args[1], args[2].asInt(), args[3].asInt());
                switch (handle(args[0])) {
                    case Hash h -> h.digest().update(data);
                    case Hmac h -> h.mac().update(data);
                }
                return null;
            },
            "digest", (ProxyExecutable) args -> ByteBuffer.wrap(switch (handle(args[0])) {
                case Hash h -> h.digest().digest();
                case Hmac h -> h.mac().doFinal();
            }),
            "copy", (ProxyExecutable) args -> {
                try {
                    return switch (handle(args[0])) {
                        case Hash h -> new Hash((MessageDigest) h.digest().clone());
                        case Hmac h -> new Hmac((Mac) h.mac().clone());
                    };
                } catch (CloneNotSupportedException e) {
                    throw new IllegalStateException("the JDK's digest cannot be copied", e);
                }
            }));

    private NodeHashes() {}

    private static Handle open(String algorithm, byte[] key) {
        String jdkName = ALGORITHMS.get(algorithm);
        if (jdkName == null) return null;
        try {
            if (key == null) return new Hash(MessageDigest.getInstance(jdkName));
            String macName = "Hmac" + jdkName.replace("SHA-", "SHA");
            Mac mac = Mac.getInstance(macName);
            // HMAC pads a key with zero bytes to the block size, so an empty key equals a single zero byte; the JDK
            // refuses empty keys, Node accepts them
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, macName));
            return new Hmac(mac);
        } catch (GeneralSecurityException e) {
            return null; // the JDK lacks it (an HMAC over SHA3 on an old provider): Node's "not supported" is the honest answer
        }
    }

    private static Handle handle(Value value) {
        if (value.isHostObject() && value.asHostObject() instanceof Handle h) return h;
        throw new IllegalArgumentException("not a hash handle");
    }

    /** {@code length} bytes of a guest ArrayBuffer from {@code offset}; all of it when length is -1. */
    private static byte[] bytes(Value buffer, int offset, int length) {
        long available = buffer.getBufferSize();
        // checked before allocating: the range comes from guest code, which may name more bytes than the buffer holds
        if (offset < 0 || offset > available || length > available - offset) {
            throw new IllegalArgumentException("the range " + offset + "+" + length + " is outside the buffer of " + available + " bytes");
        }
        int size = length < 0 ? Math.toIntExact(available - offset) : length;
        byte[] bytes = new byte[size];
        buffer.readBuffer(offset, bytes, 0, size);
        return bytes;
    }
}
