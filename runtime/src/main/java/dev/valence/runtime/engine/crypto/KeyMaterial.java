package dev.valence.runtime.engine.crypto;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * What a guest {@code CryptoKey} holds: the key itself, in Java. The guest keeps it in a private field
 * and can neither read nor call it (the sandbox's host access allows no members of host objects).
 */
sealed interface KeyMaterial {
    /** A secret key (HMAC, AES, and the base keys of PBKDF2 and HKDF): its bytes. */
    record Secret(byte[] bytes) implements KeyMaterial {}

    /** A public key: RSA, EC, Ed25519 or X25519. */
    record Public(PublicKey key) implements KeyMaterial {}

    /** A private key with its public half, which JWK export needs (EC "x"/"y", OKP "x"). */
    record Private(PrivateKey key, PublicKey publicKey) implements KeyMaterial {}
}
