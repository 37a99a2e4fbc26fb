package dev.valence.runtime.engine.crypto;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** The NIST curves WebCrypto names, with the JDK's names for them. */
enum Curve {
    P_256("P-256", "secp256r1", 256),
    P_384("P-384", "secp384r1", 384),
    P_521("P-521", "secp521r1", 521);

    final String webName;
    final String jdkName;
    final int fieldBits;
    final ECParameterSpec spec;

    Curve(String webName, String jdkName, int fieldBits) {
        this.webName = webName;
        this.jdkName = jdkName;
        this.fieldBits = fieldBits;
        try {
            var parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(jdkName));
            this.spec = parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no curve " + jdkName, e);
        }
    }

    /** Bytes of one coordinate (and of the private scalar): 32, 48, 66. */
    int coordinateBytes() {
        return (fieldBits + 7) / 8;
    }

    static Curve ofWebName(String name) {
        for (Curve c : values()) if (c.webName.equals(name)) return c;
        throw CryptoFailure.notSupported("The curve '" + name + "' is not supported; use P-256, P-384 or P-521.");
    }

    /** The curve of a key the JDK parsed; only the three curves above exist in its EC provider. */
    static Curve of(ECParameterSpec params) {
        int bits = params.getCurve().getField().getFieldSize();
        for (Curve c : values()) if (c.fieldBits == bits) return c;
        throw CryptoFailure.notSupported("The key is on a " + bits + "-bit curve; only P-256, P-384 and P-521 are supported.");
    }
}
