package dev.valence.runtime.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals environment values with AES-256-GCM: a fresh 96-bit nonce per value, a 128-bit tag, and the
 * owner's id and the variable's name as associated data, so a sealed value copied to another owner or
 * another name does not open. Stored as {@code nonce || ciphertext+tag} with the key's id beside it.
 */
public final class EnvCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom random = new SecureRandom();

    /** A value as the database keeps it. */
    public record Sealed(String keyId, byte[] bytes) {}

    /** A value that cannot be opened here, with the sentence a val's owner and the operator read. */
    public static final class Unreadable extends IllegalStateException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SecretKeys keys;

    public EnvCipher(SecretKeys keys) {
        this.keys = keys;
    }

    public SecretKeys keys() {
        return keys;
    }

    public Sealed seal(long ownerId, String name, String value) {
        var key = keys.current();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated(ownerId, name));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return new Sealed(key.id(), ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }

    public String open(long ownerId, String name, Sealed sealed) {
        var key = keys.byId(sealed.keyId()).orElseThrow(() -> new Unreadable("The environment variable " + name
                + " was encrypted with key " + sealed.keyId() + ", which this instance does not have (it has "
                + String.join(", ", keys.ids()) + " from " + keys.source() + "); give every instance the same"
                + " VALENCE_SECRET_KEY or key file", null));
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, sealed.bytes(), 0, NONCE_BYTES));
            cipher.updateAAD(associated(ownerId, name));
            byte[] plain = cipher.doFinal(sealed.bytes(), NONCE_BYTES, sealed.bytes().length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new Unreadable("The environment variable " + name + " does not open with key " + key.id()
                    + ": its stored value was changed or belongs to another owner or name; set it again", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }

    private static byte[] associated(long ownerId, String name) {
        return ("valence-env\0" + ownerId + "\0" + name).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "EnvCipher[" + Arrays.toString(keys.ids().toArray()) + "]";
    }
}
