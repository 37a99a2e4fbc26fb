package dev.valence.runtime.engine.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key fields of asymmetric JSON Web Keys (RFC 7517/7518, RFC 8037 for OKP): n, e, d, p, q, dp, dq,
 * qi; crv, x, y, d. The JavaScript side checks kty, alg, use, key_ops and ext, and adds them on export.
 */
final class Jwk {
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();

    private Jwk() {}

    static KeyMaterial importKey(Family family, Map<String, String> jwk, Curve curve) {
        try {
            return switch (family) {
                case RSA -> importRsa(jwk);
                case EC -> importEc(jwk, curve);
                case ED25519, X25519 -> importOkp(family, jwk);
            };
        } catch (GeneralSecurityException e) {
            throw CryptoFailure.data("The JWK is not a valid " + family.jdkName + " key", e);
        }
    }

    private static KeyMaterial importRsa(Map<String, String> jwk) throws GeneralSecurityException {
        BigInteger n = number(jwk, "n"), e = number(jwk, "e");
        var factory = KeyFactory.getInstance("RSA");
        PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(n, e));
        if (!jwk.containsKey("d")) return new KeyMaterial.Public(publicKey);
        PrivateKey key;
        if (jwk.containsKey("p")) {
            key = factory.generatePrivate(new RSAPrivateCrtKeySpec(n, e, number(jwk, "d"), number(jwk, "p"), number(jwk, "q"),
                    number(jwk, "dp"), number(jwk, "dq"), number(jwk, "qi")));
        } else {
            key = factory.generatePrivate(new RSAPrivateKeySpec(n, number(jwk, "d")));
        }
        return new KeyMaterial.Private(key, publicKey);
    }

    private static KeyMaterial importEc(Map<String, String> jwk, Curve curve) throws GeneralSecurityException {
        String crv = jwk.get("crv");
        if (!curve.webName.equals(crv)) {
            throw CryptoFailure.data("The JWK's \"crv\" is " + quoted(crv) + ", but the algorithm names " + curve.webName + ".");
        }
        int n = curve.coordinateBytes();
        PublicKey publicKey = AsymmetricKeys.ecPublic(curve, new BigInteger(1, field(jwk, "x", n)), new BigInteger(1, field(jwk, "y", n)));
        if (!jwk.containsKey("d")) return new KeyMaterial.Public(publicKey);
        var spec = new ECPrivateKeySpec(new BigInteger(1, field(jwk, "d", n)), curve.spec);
        return new KeyMaterial.Private(KeyFactory.getInstance("EC").generatePrivate(spec), publicKey);
    }

    private static KeyMaterial importOkp(Family family, Map<String, String> jwk) throws GeneralSecurityException {
        String crv = jwk.get("crv");
        if (!family.jdkName.equals(crv)) {
            throw CryptoFailure.data("The JWK's \"crv\" is " + quoted(crv) + ", but the algorithm is " + family.jdkName + ".");
        }
        byte[] x = field(jwk, "x", 32);
        if (!jwk.containsKey("d")) return AsymmetricKeys.importRaw(family, x, null);
        byte[] d = field(jwk, "d", 32);
        PrivateKey key = KeyFactory.getInstance(family.jdkName)
                .generatePrivate(new PKCS8EncodedKeySpec(AsymmetricKeys.concat(family.pkcs8Prefix(), d)));
        PublicKey publicKey = AsymmetricKeys.okpPublicOf(family, d);
        if (!java.util.Arrays.equals(AsymmetricKeys.exportRaw(publicKey), x)) {
            throw CryptoFailure.data("The JWK's \"x\" is not the public key of its \"d\".");
        }
        return new KeyMaterial.Private(key, publicKey);
    }

    /** The key fields of {@code material} (kty included); a private key's public fields come from its public half. */
    static Map<String, String> export(KeyMaterial material) {
        var out = new LinkedHashMap<String, String>();
        PublicKey publicKey = material instanceof KeyMaterial.Public p ? p.key() : ((KeyMaterial.Private) material).publicKey();
        PrivateKey privateKey = material instanceof KeyMaterial.Private p ? p.key() : null;
        if (publicKey instanceof RSAPublicKey || privateKey instanceof RSAPrivateKey) {
            out.put("kty", "RSA");
            if (privateKey instanceof RSAPrivateKey rsa && !(privateKey instanceof RSAPrivateCrtKey)) {
                out.put("n", number(rsa.getModulus()));
                out.put("d", number(rsa.getPrivateExponent()));
                return out;
            }
            RSAPublicKey rsa = (RSAPublicKey) publicKey;
            out.put("n", number(rsa.getModulus()));
            out.put("e", number(rsa.getPublicExponent()));
            if (privateKey instanceof RSAPrivateCrtKey crt) {
                out.put("d", number(crt.getPrivateExponent()));
                out.put("p", number(crt.getPrimeP()));
                out.put("q", number(crt.getPrimeQ()));
                out.put("dp", number(crt.getPrimeExponentP()));
                out.put("dq", number(crt.getPrimeExponentQ()));
                out.put("qi", number(crt.getCrtCoefficient()));
            }
        } else if (publicKey instanceof ECPublicKey ec) {
            Curve curve = Curve.of(ec.getParams());
            int n = curve.coordinateBytes();
            out.put("kty", "EC");
            out.put("crv", curve.webName);
            out.put("x", ENCODE.encodeToString(AsymmetricKeys.unsigned(ec.getW().getAffineX(), n)));
            out.put("y", ENCODE.encodeToString(AsymmetricKeys.unsigned(ec.getW().getAffineY(), n)));
            if (privateKey instanceof ECPrivateKey d) out.put("d", ENCODE.encodeToString(AsymmetricKeys.unsigned(d.getS(), n)));
        } else {
            out.put("kty", "OKP");
            out.put("crv", publicKey.getAlgorithm().equals("XDH") || publicKey.getAlgorithm().equals("X25519") ? "X25519" : "Ed25519");
            out.put("x", ENCODE.encodeToString(AsymmetricKeys.exportRaw(publicKey)));
            if (privateKey != null) out.put("d", ENCODE.encodeToString(AsymmetricKeys.okpPrivateBytes(privateKey)));
        }
        return out;
    }

    private static String number(BigInteger value) {
        return ENCODE.encodeToString(AsymmetricKeys.unsigned(value, (value.bitLength() + 7) / 8));
    }

    private static BigInteger number(Map<String, String> jwk, String name) {
        byte[] bytes = bytes(jwk, name);
        if (bytes.length == 0) throw CryptoFailure.data("The JWK's \"" + name + "\" is empty.");
        return new BigInteger(1, bytes);
    }

    private static byte[] field(Map<String, String> jwk, String name, int length) {
        byte[] bytes = bytes(jwk, name);
        if (bytes.length != length) {
            throw CryptoFailure.data("The JWK's \"" + name + "\" is " + bytes.length + " bytes; this key needs " + length + ".");
        }
        return bytes;
    }

    private static byte[] bytes(Map<String, String> jwk, String name) {
        String text = jwk.get(name);
        if (text == null) throw CryptoFailure.data("The JWK has no \"" + name + "\"; this kind of key needs it.");
        try {
            return DECODE.decode(text);
        } catch (IllegalArgumentException e) {
            throw CryptoFailure.data("The JWK's \"" + name + "\" is not base64url", e);
        }
    }

    private static String quoted(String value) {
        return value == null ? "missing" : "\"" + value + "\"";
    }
}
