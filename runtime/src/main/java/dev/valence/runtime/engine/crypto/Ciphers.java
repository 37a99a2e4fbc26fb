package dev.valence.runtime.engine.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/** encrypt and decrypt: AES-GCM, AES-CBC, AES-CTR, AES-KW and RSA-OAEP. */
final class Ciphers {
    /**
     * One call's parameters, as the JavaScript side normalized them: iv (GCM, CBC), additionalData and
     * tagLength (GCM), counter and length (CTR), label and the key's hash (OAEP). Absent ones are null/0.
     */
    record Params(String algorithm, byte[] iv, byte[] additionalData, int tagLengthBits, byte[] counter, int counterLengthBits,
                  byte[] label, Hash hash) {}

    private Ciphers() {}

    static byte[] encrypt(Params params, KeyMaterial key, byte[] data) {
        return run(Cipher.ENCRYPT_MODE, params, key, data);
    }

    static byte[] decrypt(Params params, KeyMaterial key, byte[] data) {
        return run(Cipher.DECRYPT_MODE, params, key, data);
    }

    private static byte[] run(int mode, Params params, KeyMaterial key, byte[] data) {
        String verb = mode == Cipher.ENCRYPT_MODE ? "encrypted" : "decrypted";
        try {
            return switch (params.algorithm()) {
                case "AES-GCM" -> {
                    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                    gcm.init(mode, aes(key), new GCMParameterSpec(params.tagLengthBits(), params.iv()));
                    if (params.additionalData() != null) gcm.updateAAD(params.additionalData());
                    yield gcm.doFinal(data);
                }
                case "AES-CBC" -> {
                    if (params.iv().length != 16) throw CryptoFailure.operation("AES-CBC needs a 16-byte iv; got " + params.iv().length + " bytes.");
                    Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
                    cbc.init(mode, aes(key), new IvParameterSpec(params.iv()));
                    yield cbc.doFinal(data);
                }
                case "AES-CTR" -> ctr(mode, params, aes(key), data);
                case "AES-KW" -> {
                    if (data.length % 8 != 0 || (mode == Cipher.ENCRYPT_MODE ? data.length < 16 : data.length < 24)) {
                        throw CryptoFailure.operation("AES-KW " + (mode == Cipher.ENCRYPT_MODE ? "wraps" : "unwraps")
                                + " whole 8-byte blocks, at least " + (mode == Cipher.ENCRYPT_MODE ? 16 : 24) + " bytes; got " + data.length + ".");
                    }
                    Cipher kw = Cipher.getInstance("AES/KW/NoPadding");
                    kw.init(mode, aes(key));
                    yield kw.doFinal(data);
                }
                case "RSA-OAEP" -> {
                    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    MGF1ParameterSpec mgf1 = params.hash().mgf1;
                    PSource label = params.label() == null ? PSource.PSpecified.DEFAULT : new PSource.PSpecified(params.label());
                    Key rsa = mode == Cipher.ENCRYPT_MODE ? ((KeyMaterial.Public) key).key() : ((KeyMaterial.Private) key).key();
                    oaep.init(mode, rsa, new OAEPParameterSpec(params.hash().webName, "MGF1", mgf1, label));
                    yield oaep.doFinal(data);
                }
                default -> throw new IllegalArgumentException("no cipher " + params.algorithm());
            };
        } catch (AEADBadTagException e) {
            throw CryptoFailure.operation("The data could not be decrypted: its authentication tag does not match"
                    + " (a different key, iv or additionalData, or the ciphertext was changed).");
        } catch (BadPaddingException e) {
            throw CryptoFailure.operation("The data could not be " + verb + " with " + params.algorithm()
                    + " (a different key or iv, or the ciphertext was changed)", e);
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            throw CryptoFailure.operation("The data could not be " + verb + " with " + params.algorithm(), e);
        }
    }

    private static SecretKeySpec aes(KeyMaterial key) {
        return new SecretKeySpec(((KeyMaterial.Secret) key).bytes(), "AES");
    }

    /**
     * AES-CTR where only the counter block's rightmost {@code length} bits count (WebCrypto): the JDK
     * increments all 128 bits, so when those bits would wrap, the rest runs from a block whose counter
     * bits are zero, and a message longer than the counter space is refused.
     */
    private static byte[] ctr(int mode, Params params, SecretKeySpec key, byte[] data) throws GeneralSecurityException {
        byte[] counter = params.counter();
        int bits = params.counterLengthBits();
        if (counter.length != 16) throw CryptoFailure.operation("AES-CTR needs a 16-byte counter; got " + counter.length + " bytes.");
        BigInteger space = BigInteger.ONE.shiftLeft(bits);
        BigInteger mask = space.subtract(BigInteger.ONE);
        BigInteger block = new BigInteger(1, counter);
        BigInteger start = block.and(mask);
        BigInteger blocks = BigInteger.valueOf((data.length + 15L) / 16);
        if (blocks.compareTo(space) > 0) {
            throw CryptoFailure.operation("The data needs " + blocks + " counter blocks, more than a " + bits + "-bit counter has.");
        }
        BigInteger beforeWrap = space.subtract(start);
        Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
        if (blocks.compareTo(beforeWrap) <= 0) {
            cipher.init(mode, key, new IvParameterSpec(counter));
            return cipher.doFinal(data);
        }
        int firstBytes = beforeWrap.intValueExact() * 16;
        cipher.init(mode, key, new IvParameterSpec(counter));
        byte[] out = new byte[data.length];
        cipher.doFinal(data, 0, firstBytes, out, 0);
        byte[] wrapped = AsymmetricKeys.unsigned(block.andNot(mask), 16);
        cipher.init(mode, key, new IvParameterSpec(wrapped));
        cipher.doFinal(data, firstBytes, data.length - firstBytes, out, firstBytes);
        return out;
    }
}
