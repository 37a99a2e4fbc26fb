package dev.valence.runtime.engine.crypto;

/** The kinds of asymmetric key, each with the JDK algorithm name of its key factory and generator. */
enum Family {
    RSA("RSA"),
    EC("EC"),
    ED25519("Ed25519"),
    X25519("X25519");

    final String jdkName;

    Family(String jdkName) {
        this.jdkName = jdkName;
    }

    /** The family the JavaScript side names: "RSA", "EC", "Ed25519" or "X25519". */
    static Family of(String name) {
        for (Family f : values()) if (f.jdkName.equals(name)) return f;
        throw new IllegalArgumentException("no key family " + name);
    }

    boolean octetKeyPair() {
        return this == ED25519 || this == X25519;
    }

    /** The DER that precedes the 32 key bytes in an OKP key's SubjectPublicKeyInfo (RFC 8410). */
    byte[] spkiPrefix() {
        return new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, oid(), 0x03, 0x21, 0x00};
    }

    /** The DER that precedes the 32 key bytes in an OKP key's PKCS #8 PrivateKeyInfo (RFC 8410, version 1). */
    byte[] pkcs8Prefix() {
        return new byte[] {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, oid(), 0x04, 0x22, 0x04, 0x20};
    }

    private byte oid() {
        return switch (this) {
            case ED25519 -> 0x70; // 1.3.101.112
            case X25519 -> 0x6e; // 1.3.101.110
            default -> throw new IllegalStateException(this + " is not an octet key pair");
        };
    }
}
