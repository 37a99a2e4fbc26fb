package dev.valence.runtime.engine.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PSSParameterSpec;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** sign and verify: HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA and Ed25519. */
final class Signatures {
    /** Which algorithm, with its hash (HMAC, RSA: the key's; ECDSA: the call's) and the PSS salt length. */
    record Scheme(String algorithm, Hash hash, int saltLengthBytes) {}

    private Signatures() {}

    static byte[] sign(Scheme scheme, KeyMaterial key, byte[] data) {
        try {
            if (scheme.algorithm().equals("HMAC")) return mac(scheme.hash(), (KeyMaterial.Secret) key, data);
            Signature signer = signature(scheme);
            signer.initSign((PrivateKey) ((KeyMaterial.Private) key).key());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoFailure.operation("The " + scheme.algorithm() + " signature could not be made", e);
        }
    }

    static boolean verify(Scheme scheme, KeyMaterial key, byte[] signature, byte[] data) {
        try {
            if (scheme.algorithm().equals("HMAC")) {
                // constant time: a webhook check must not reveal how many leading bytes matched
                return MessageDigest.isEqual(mac(scheme.hash(), (KeyMaterial.Secret) key, data), signature);
            }
            Signature verifier = signature(scheme);
            verifier.initVerify((PublicKey) ((KeyMaterial.Public) key).key());
            verifier.update(data);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // a signature of the wrong length or shape verifies nothing; WebCrypto answers false
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoFailure.operation("The " + scheme.algorithm() + " signature could not be checked", e);
        }
    }

    private static byte[] mac(Hash hash, KeyMaterial.Secret key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hash.hmac());
        mac.init(new SecretKeySpec(key.bytes(), hash.hmac()));
        return mac.doFinal(data);
    }

    private static Signature signature(Scheme scheme) throws GeneralSecurityException {
        return switch (scheme.algorithm()) {
            case "RSASSA-PKCS1-v1_5" -> Signature.getInstance(scheme.hash().withRsa());
            case "ECDSA" -> Signature.getInstance(scheme.hash().withEcdsa());
            case "Ed25519" -> Signature.getInstance("Ed25519");
            case "RSA-PSS" -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec(scheme.hash().webName, "MGF1", scheme.hash().mgf1, scheme.saltLengthBytes(),
                        PSSParameterSpec.TRAILER_FIELD_BC));
                yield pss;
            }
            default -> throw new IllegalArgumentException("no signature algorithm " + scheme.algorithm());
        };
    }
}
