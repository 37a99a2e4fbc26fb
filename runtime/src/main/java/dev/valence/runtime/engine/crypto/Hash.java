package dev.valence.runtime.engine.crypto;

import java.security.spec.MGF1ParameterSpec;

/** The hashes WebCrypto names, with the JDK's names for what is built on each. */
enum Hash {
    SHA_1("SHA-1", "SHA1", 20, MGF1ParameterSpec.SHA1),
    SHA_256("SHA-256", "SHA256", 32, MGF1ParameterSpec.SHA256),
    SHA_384("SHA-384", "SHA384", 48, MGF1ParameterSpec.SHA384),
    SHA_512("SHA-512", "SHA512", 64, MGF1ParameterSpec.SHA512);

    final String webName;
    private final String compact;
    final int lengthBytes;
    final MGF1ParameterSpec mgf1;

    Hash(String webName, String compact, int lengthBytes, MGF1ParameterSpec mgf1) {
        this.webName = webName;
        this.compact = compact;
        this.lengthBytes = lengthBytes;
        this.mgf1 = mgf1;
    }

    String hmac() {
        return "Hmac" + compact;
    }

    String withRsa() {
        return compact + "withRSA";
    }

    /** ECDSA with the signature as r ‖ s, as WebCrypto has it (not the DER of X9.62). */
    String withEcdsa() {
        return compact + "withECDSAinP1363Format";
    }

    String hkdf() {
        return "HKDF-" + compact;
    }

    static Hash of(String webName) {
        for (Hash h : values()) if (h.webName.equals(webName)) return h;
        throw CryptoFailure.notSupported("The hash '" + webName + "' is not supported; use SHA-1, SHA-256, SHA-384 or SHA-512.");
    }
}
