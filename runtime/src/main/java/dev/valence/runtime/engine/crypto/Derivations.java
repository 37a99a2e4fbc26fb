package dev.valence.runtime.engine.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** deriveBits: ECDH (P-curves), X25519, PBKDF2 and HKDF. */
final class Derivations {
    /**
     * A PBKDF2 call runs to its end inside the val's time limit (host code is not interrupted), so its
     * iteration count has a ceiling; OWASP's 2023 advice for PBKDF2-HMAC-SHA256 is 600,000.
     */
    static final int MAX_PBKDF2_ITERATIONS = 1_000_000;

    private Derivations() {}

    /** The shared secret of {@code key} (private) and {@code peer} (public), cut to {@code lengthBits} (-1: all of it). */
    static byte[] agree(String algorithm, KeyMaterial key, KeyMaterial peer, int lengthBits) {
        var privateKey = ((KeyMaterial.Private) key).key();
        var publicKey = ((KeyMaterial.Public) peer).key();
        if (privateKey instanceof java.security.interfaces.ECPrivateKey mine && publicKey instanceof ECPublicKey theirs
                && Curve.of(mine.getParams()) != Curve.of(theirs.getParams())) {
            throw CryptoFailure.invalidAccess("The public key is on " + Curve.of(theirs.getParams()).webName + " and the private key on "
                    + Curve.of(mine.getParams()).webName + "; ECDH needs both on one curve.");
        }
        try {
            var agreement = KeyAgreement.getInstance(algorithm.equals("ECDH") ? "ECDH" : "X25519");
            agreement.init(privateKey);
            agreement.doPhase(publicKey, true);
            return truncate(agreement.generateSecret(), lengthBits, algorithm);
        } catch (InvalidKeyException e) {
            throw CryptoFailure.operation("The " + algorithm + " public key gives no usable shared secret", e);
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw CryptoFailure.operation(algorithm + " key agreement failed", e);
        }
    }

    /** RFC 8018 PBKDF2 with HMAC: written over the JDK's Mac because PBEKeySpec takes a password as chars, not bytes. */
    static byte[] pbkdf2(Hash hash, KeyMaterial.Secret password, byte[] salt, int iterations, int lengthBits) {
        if (iterations < 1) throw CryptoFailure.operation("PBKDF2 needs at least 1 iteration; got " + iterations + ".");
        if (iterations > MAX_PBKDF2_ITERATIONS) {
            throw CryptoFailure.notSupported("PBKDF2 with " + iterations + " iterations is more than this runtime allows ("
                    + MAX_PBKDF2_ITERATIONS + "); 600000 with SHA-256 is OWASP's advice.");
        }
        int lengthBytes = lengthBits / 8;
        byte[] out = new byte[lengthBytes];
        try {
            Mac mac = Mac.getInstance(hash.hmac());
            // an empty password is allowed by RFC 8018, but not by SecretKeySpec: HMAC pads keys with zeros, so one zero byte is the same key
            byte[] keyBytes = password.bytes().length == 0 ? new byte[1] : password.bytes();
            mac.init(new SecretKeySpec(keyBytes, hash.hmac()));
            byte[] u = new byte[hash.lengthBytes];
            byte[] t = new byte[hash.lengthBytes];
            for (int block = 1, at = 0; at < lengthBytes; block++, at += hash.lengthBytes) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, u.length);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < t.length; j++) t[j] ^= u[j];
                }
                System.arraycopy(t, 0, out, at, Math.min(t.length, lengthBytes - at));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw CryptoFailure.operation("PBKDF2 failed", e);
        }
    }

    /** RFC 5869 HKDF through the JDK's KDF API. */
    static byte[] hkdf(Hash hash, KeyMaterial.Secret key, byte[] salt, byte[] info, int lengthBits) {
        int lengthBytes = lengthBits / 8;
        if (lengthBytes > 255 * hash.lengthBytes) {
            throw CryptoFailure.operation("HKDF with " + hash.webName + " derives at most " + 255 * hash.lengthBytes * 8 + " bits; "
                    + lengthBits + " were asked for.");
        }
        if (lengthBytes == 0) return new byte[0];
        try {
            var extract = HKDFParameterSpec.ofExtract().addIKM(key.bytes());
            if (salt.length > 0) extract.addSalt(salt); // no salt is HashLen zero bytes (RFC 5869), the same HMAC key as an empty one
            return KDF.getInstance(hash.hkdf()).deriveData(extract.thenExpand(info, lengthBytes));
        } catch (InvalidAlgorithmParameterException e) {
            throw CryptoFailure.operation("HKDF refused its parameters", e);
        } catch (GeneralSecurityException e) {
            throw CryptoFailure.operation("HKDF failed", e);
        }
    }

    private static byte[] truncate(byte[] secret, int lengthBits, String algorithm) {
        if (lengthBits < 0) return secret;
        if (lengthBits > secret.length * 8) {
            throw CryptoFailure.operation(algorithm + " gives " + secret.length * 8 + " bits here; " + lengthBits + " were asked for.");
        }
        // a length that is not whole bytes keeps its last byte whole, as Deno does (the standard leaves those bits open)
        return Arrays.copyOf(secret, (lengthBits + 7) / 8);
    }
}
