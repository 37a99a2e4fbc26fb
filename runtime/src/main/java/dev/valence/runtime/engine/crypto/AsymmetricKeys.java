package dev.valence.runtime.engine.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * Asymmetric keys in the binary formats (spki, pkcs8, raw) and generated ones. Every imported key is
 * parsed by the JDK's key factory for its family, so a key of another kind, or bytes that are no key,
 * are a DataError; an EC key must be on the curve the algorithm names.
 */
final class AsymmetricKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int OKP_KEY_BYTES = 32;

    private AsymmetricKeys() {}

    static KeyMaterial.Public importSpki(Family family, byte[] der, Curve curve) {
        try {
            PublicKey key = KeyFactory.getInstance(family.jdkName).generatePublic(new X509EncodedKeySpec(der));
            checkKind(family, key.getAlgorithm(), curve, key instanceof ECPublicKey ec ? ec.getParams() : null);
            return new KeyMaterial.Public(key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoFailure.data("The spki data is not an " + family.jdkName + " public key (SubjectPublicKeyInfo, DER)", e);
        }
    }

    static KeyMaterial.Private importPkcs8(Family family, byte[] der, Curve curve) {
        try {
            PrivateKey key = KeyFactory.getInstance(family.jdkName).generatePrivate(new PKCS8EncodedKeySpec(der));
            checkKind(family, key.getAlgorithm(), curve, key instanceof ECPrivateKey ec ? ec.getParams() : null);
            return new KeyMaterial.Private(key, publicOf(family, key, der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoFailure.data("The pkcs8 data is not an " + family.jdkName + " private key (PKCS #8 PrivateKeyInfo, DER)", e);
        }
    }

    /** An EC public key as an uncompressed point (0x04, x, y), or the 32 bytes of an Ed25519/X25519 public key. */
    static KeyMaterial.Public importRaw(Family family, byte[] raw, Curve curve) {
        if (family.octetKeyPair()) {
            if (raw.length != OKP_KEY_BYTES) {
                throw CryptoFailure.data("A raw " + family.jdkName + " public key is 32 bytes, not " + raw.length + ".");
            }
            return importSpki(family, concat(family.spkiPrefix(), raw), null);
        }
        if (family != Family.EC) throw CryptoFailure.notSupported("RSA keys have no raw format; use spki, pkcs8 or jwk.");
        int n = curve.coordinateBytes();
        if (raw.length != 1 + 2 * n || raw[0] != 4) {
            throw CryptoFailure.data("A raw " + curve.webName + " public key is an uncompressed point: 0x04 and two "
                    + n + "-byte coordinates (" + (1 + 2 * n) + " bytes); got " + raw.length + " bytes"
                    + (raw.length == 1 + n ? " (a compressed point, which is not supported)." : "."));
        }
        var x = new BigInteger(1, Arrays.copyOfRange(raw, 1, 1 + n));
        var y = new BigInteger(1, Arrays.copyOfRange(raw, 1 + n, raw.length));
        return new KeyMaterial.Public(ecPublic(curve, x, y));
    }

    /** The public key at (x, y), refused when that point is not on the curve. */
    static PublicKey ecPublic(Curve curve, BigInteger x, BigInteger y) {
        ECParameterSpec spec = curve.spec;
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.multiply(y).mod(p).equals(rhs)) {
            throw CryptoFailure.data("The point (x, y) is not on " + curve.webName + ".");
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
        } catch (GeneralSecurityException e) {
            throw CryptoFailure.data("The EC public key was refused", e);
        }
    }

    static KeyPair generate(Family family, Curve curve, int modulusLengthBits, BigInteger publicExponent) {
        try {
            var generator = KeyPairGenerator.getInstance(family.jdkName);
            switch (family) {
                case RSA -> generator.initialize(new RSAKeyGenParameterSpec(modulusLengthBits, publicExponent), RANDOM);
                case EC -> generator.initialize(new ECGenParameterSpec(curve.jdkName), RANDOM);
                default -> generator.initialize(new NamedParameterSpec(family.jdkName), RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoFailure.operation("The JDK could not generate the " + family.jdkName + " key pair", e);
        }
    }

    static byte[] exportRaw(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int n = Curve.of(ec.getParams()).coordinateBytes();
            return concat(new byte[] {4}, unsigned(ec.getW().getAffineX(), n), unsigned(ec.getW().getAffineY(), n));
        }
        if (key.getAlgorithm().equals("RSA")) throw CryptoFailure.invalidAccess("RSA keys have no raw format; export them as spki, pkcs8 or jwk.");
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - OKP_KEY_BYTES, spki.length);
    }

    /** The 32 private bytes of an Ed25519 or X25519 key. */
    static byte[] okpPrivateBytes(PrivateKey key) {
        var bytes = key instanceof EdECPrivateKey ed ? ed.getBytes() : ((XECPrivateKey) key).getScalar();
        return bytes.orElseThrow(() -> CryptoFailure.operation("The JDK does not reveal this private key's bytes."));
    }

    /** {@code value} big-endian, without a sign byte, left-padded to {@code length} bytes. */
    static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == length) return bytes;
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void checkKind(Family family, String jdkAlgorithm, Curve curve, ECParameterSpec params) {
        boolean sameKind = switch (family) {
            case RSA -> jdkAlgorithm.equals("RSA");
            case EC -> jdkAlgorithm.equals("EC");
            case ED25519 -> jdkAlgorithm.equals("EdDSA") || jdkAlgorithm.equals("Ed25519");
            case X25519 -> jdkAlgorithm.equals("XDH") || jdkAlgorithm.equals("X25519");
        };
        if (!sameKind) throw CryptoFailure.data("The key is an " + jdkAlgorithm + " key, not an " + family.jdkName + " key.");
        if (params != null && curve != null && Curve.of(params) != curve) {
            throw CryptoFailure.data("The key is on " + Curve.of(params).webName + ", but the algorithm names " + curve.webName + ".");
        }
    }

    /** The public half of a private key (JWK export and spki export of a pair need it). */
    static PublicKey publicOf(Family family, PrivateKey key, byte[] pkcs8) throws GeneralSecurityException {
        return switch (family) {
            case RSA -> {
                if (!(key instanceof RSAPrivateCrtKey crt)) yield null; // no public exponent: JWK export omits "e"
                yield KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            }
            case EC -> ecPublicOf((ECPrivateKey) key, pkcs8);
            case ED25519, X25519 -> okpPublicOf(family, okpPrivateBytes(key));
        };
    }

    /**
     * The EC public key a PKCS #8 key carries (ECPrivateKey's optional publicKey field: browsers, Deno and
     * OpenSSL write it; the JDK does not), or else computed: ECDH with the curve's generator as the peer
     * gives x of d·G, and of the two points with that x the one whose key verifies a signature made
     * with d is the public key (all three curves have p ≡ 3 mod 4, so the square root is one power).
     */
    private static PublicKey ecPublicOf(ECPrivateKey key, byte[] pkcs8) throws GeneralSecurityException {
        Curve curve = Curve.of(key.getParams());
        if (pkcs8 != null) {
            byte[] point = embeddedPublicPoint(pkcs8);
            if (point != null) return importRaw(Family.EC, point, curve).key();
        }
        ECParameterSpec spec = key.getParams();
        var agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(key);
        agreement.doPhase(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(spec.getGenerator(), spec)), true);
        var x = new BigInteger(1, agreement.generateSecret());
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger y = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p)
                .modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        byte[] probe = {1, 2, 3};
        var signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        for (BigInteger candidate : new BigInteger[] {y, p.subtract(y)}) {
            PublicKey publicKey = ecPublic(curve, x, candidate);
            var verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) return publicKey;
        }
        throw CryptoFailure.data("The EC private key's scalar gives no public key on " + curve.webName + ".");
    }

    /** PrivateKeyInfo { version, algorithm, privateKey OCTET STRING { ECPrivateKey { 1, d, [0]?, [1] publicKey } } }. */
    private static byte[] embeddedPublicPoint(byte[] pkcs8) {
        for (Der.Element field : Der.read(pkcs8).children()) {
            if (field.tag() != Der.OCTET_STRING) continue;
            for (Der.Element inner : Der.read(field.content()).children()) {
                if (inner.tag() != Der.CONTEXT_1) continue;
                byte[] bits = Der.read(inner.content()).content();
                return bits.length > 1 && bits[0] == 0 ? Arrays.copyOfRange(bits, 1, bits.length) : null;
            }
        }
        return null;
    }

    /**
     * The public key of 32 private bytes: the JDK's generator for the family, given those bytes as its
     * randomness, makes exactly that key pair (RFC 8032 and RFC 7748 derive the public key from them).
     */
    static PublicKey okpPublicOf(Family family, byte[] privateBytes) throws GeneralSecurityException {
        var generator = KeyPairGenerator.getInstance(family.jdkName);
        generator.initialize(new NamedParameterSpec(family.jdkName), new FixedBytes(privateBytes));
        KeyPair pair = generator.generateKeyPair();
        if (!Arrays.equals(okpPrivateBytes(pair.getPrivate()), privateBytes)) {
            throw new IllegalStateException("the JDK's " + family.jdkName + " generator did not use the given private bytes");
        }
        return pair.getPublic();
    }

    /** "Randomness" that is the given bytes: see {@link #okpPublicOf}. */
    private static final class FixedBytes extends SecureRandom {
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) throw new IllegalStateException("asked for " + out.length + " bytes, have " + bytes.length);
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
