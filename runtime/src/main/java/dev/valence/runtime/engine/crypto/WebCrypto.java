package dev.valence.runtime.engine.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The bridge {@code js/webcrypto.js} calls ({@code host.crypto}). What crosses: strings, numbers, guest
 * ArrayBuffers in, byte buffers out, plain guest objects of normalized parameters, and key handles
 * ({@link KeyMaterial}) that the guest can only hand back. A refused operation is answered, not thrown,
 * as {@code { failure: DOMException name, message }}, which the JavaScript side throws as a DOMException.
 */
public final class WebCrypto {
    private static final String SCRIPT = "dev/valence/runtime/js/webcrypto.js";
    private static final Source SOURCE = load();
    private static final SecureRandom RANDOM = new SecureRandom();

    public static final ProxyObject FUNCTIONS = ProxyObject.fromMap(Map.ofEntries(
            Map.entry("load", (ProxyExecutable) args -> Context.getCurrent().eval(SOURCE)),
            Map.entry("generateSecret", answer(args -> {
                byte[] bytes = new byte[args[0].asInt()];
                RANDOM.nextBytes(bytes);
                return describe(new KeyMaterial.Secret(bytes));
            })),
            Map.entry("importSecret", answer(args -> describe(new KeyMaterial.Secret(bytes(args[0]))))),
            Map.entry("importKey", answer(WebCrypto::importKey)),
            Map.entry("generatePair", answer(WebCrypto::generatePair)),
            Map.entry("exportKey", answer(WebCrypto::exportKey)),
            // sign and verify take their parameters flat (name, hash, saltLength): the hot path of webhook checks and JWTs
            Map.entry("sign", answer(args -> ByteBuffer.wrap(Signatures.sign(scheme(args), key(args[3]), bytes(args[4]))))),
            Map.entry("verify", answer(args -> Signatures.verify(scheme(args), key(args[3]), bytes(args[4]), bytes(args[5])))),
            Map.entry("encrypt", answer(args -> ByteBuffer.wrap(Ciphers.encrypt(cipherParams(args[0]), key(args[1]), bytes(args[2]))))),
            Map.entry("decrypt", answer(args -> ByteBuffer.wrap(Ciphers.decrypt(cipherParams(args[0]), key(args[1]), bytes(args[2]))))),
            Map.entry("deriveBits", answer(WebCrypto::deriveBits))));

    private WebCrypto() {}

    private static ProxyExecutable answer(Function<Value[], Object> operation) {
        return args -> {
            try {
                return operation.apply(args);
            } catch (CryptoFailure e) {
                return failure(e.kind.domName, e.getMessage());
            } catch (ClassCastException e) {
                // the JavaScript side checks key types first; this only guards the host against a key of the wrong kind
                return failure("InvalidAccessError", "The key is of the wrong type for this operation.");
            } catch (PolyglotException e) {
                throw e; // guest code's own exception: not ours to rename
            } catch (RuntimeException e) {
                // a provider's unchecked refusal (IllegalArgumentException and the like) is an OperationError, not a host crash
                return failure("OperationError", "The JDK's crypto provider refused the operation: " + e.getMessage() + ".");
            }
        };
    }

    private static ProxyObject failure(String domName, String message) {
        return ProxyObject.fromMap(Map.of("failure", domName, "message", message));
    }

    private static Object importKey(Value[] args) {
        Family family = Family.of(args[0].asString());
        String format = args[1].asString();
        Curve curve = args[3].isNull() ? null : Curve.ofWebName(args[3].asString());
        KeyMaterial material = switch (format) {
            case "spki" -> AsymmetricKeys.importSpki(family, bytes(args[2]), curve);
            case "pkcs8" -> AsymmetricKeys.importPkcs8(family, bytes(args[2]), curve);
            case "raw" -> AsymmetricKeys.importRaw(family, bytes(args[2]), curve);
            case "jwk" -> Jwk.importKey(family, strings(args[2]), curve);
            default -> throw new IllegalArgumentException("no key format " + format);
        };
        return describe(material);
    }

    private static Object generatePair(Value[] args) {
        Family family = Family.of(args[0].asString());
        Curve curve = args[1].isNull() ? null : Curve.ofWebName(args[1].asString());
        int modulusLengthBits = args[2].isNull() ? 0 : args[2].asInt();
        BigInteger exponent = args[3].isNull() ? null : new BigInteger(1, bytes(args[3]));
        KeyPair pair = AsymmetricKeys.generate(family, curve, modulusLengthBits, exponent);
        return ProxyObject.fromMap(Map.of(
                "publicKey", describe(new KeyMaterial.Public(pair.getPublic())),
                "privateKey", describe(new KeyMaterial.Private(pair.getPrivate(), pair.getPublic()))));
    }

    private static Object exportKey(Value[] args) {
        KeyMaterial material = key(args[0]);
        String format = args[1].asString();
        return switch (material) {
            case KeyMaterial.Secret secret -> ByteBuffer.wrap(secret.bytes().clone());
            case KeyMaterial.Public p when format.equals("spki") -> ByteBuffer.wrap(p.key().getEncoded());
            case KeyMaterial.Public p when format.equals("raw") -> ByteBuffer.wrap(AsymmetricKeys.exportRaw(p.key()));
            case KeyMaterial.Private p when format.equals("pkcs8") -> ByteBuffer.wrap(p.key().getEncoded());
            default -> {
                if (!format.equals("jwk")) throw new IllegalArgumentException("no " + format + " export of " + material.getClass().getSimpleName());
                yield ProxyObject.fromMap(new HashMap<>(Jwk.export(material)));
            }
        };
    }

    private static Object deriveBits(Value[] args) {
        Value params = args[0];
        String algorithm = params.getMember("name").asString();
        KeyMaterial key = key(args[1]);
        int lengthBits = args[2].isNull() ? -1 : args[2].asInt();
        byte[] bits = switch (algorithm) {
            case "ECDH", "X25519" -> Derivations.agree(algorithm, key, key(params.getMember("public")), lengthBits);
            case "PBKDF2" -> Derivations.pbkdf2(Hash.of(params.getMember("hash").asString()), (KeyMaterial.Secret) key,
                    bytes(params.getMember("salt")), params.getMember("iterations").asInt(), lengthBits);
            case "HKDF" -> Derivations.hkdf(Hash.of(params.getMember("hash").asString()), (KeyMaterial.Secret) key,
                    bytes(params.getMember("salt")), bytes(params.getMember("info")), lengthBits);
            default -> throw new IllegalArgumentException("no derivation " + algorithm);
        };
        return ByteBuffer.wrap(bits);
    }

    /** What the JavaScript side needs to build the CryptoKey: the handle, its type and its algorithm's numbers. */
    private static ProxyObject describe(KeyMaterial material) {
        var out = new HashMap<String, Object>();
        out.put("handle", material);
        switch (material) {
            case KeyMaterial.Secret s -> {
                out.put("type", "secret");
                out.put("lengthBits", s.bytes().length * 8);
            }
            case KeyMaterial.Public p -> {
                out.put("type", "public");
                numbers(p.key(), p.key(), out);
            }
            case KeyMaterial.Private p -> {
                out.put("type", "private");
                numbers(p.key(), p.publicKey(), out);
            }
        }
        return ProxyObject.fromMap(out);
    }

    private static void numbers(java.security.Key key, java.security.PublicKey publicKey, Map<String, Object> out) {
        if (key instanceof RSAKey rsa) {
            out.put("modulusLength", rsa.getModulus().bitLength());
            BigInteger e = publicKey instanceof RSAPublicKey pub ? pub.getPublicExponent()
                    : key instanceof RSAPrivateCrtKey crt ? crt.getPublicExponent() : null;
            if (e != null) out.put("publicExponent", ByteBuffer.wrap(AsymmetricKeys.unsigned(e, (e.bitLength() + 7) / 8)));
        } else if (key instanceof ECKey ec) {
            out.put("namedCurve", Curve.of(ec.getParams()).webName);
        }
    }

    /** name, hash (or null), saltLength (or null). */
    private static Signatures.Scheme scheme(Value[] args) {
        return new Signatures.Scheme(args[0].asString(), args[1].isNull() ? null : Hash.of(args[1].asString()),
                args[2].isNull() ? 0 : args[2].asInt());
    }

    private static Ciphers.Params cipherParams(Value params) {
        return new Ciphers.Params(params.getMember("name").asString(), optionalBytes(params, "iv"), optionalBytes(params, "additionalData"),
                optionalInt(params, "tagLength"), optionalBytes(params, "counter"), optionalInt(params, "length"),
                optionalBytes(params, "label"), hash(params));
    }

    private static Hash hash(Value params) {
        Value hash = params.getMember("hash");
        return hash == null || hash.isNull() ? null : Hash.of(hash.asString());
    }

    private static byte[] optionalBytes(Value params, String name) {
        Value v = params.getMember(name);
        return v == null || v.isNull() ? null : bytes(v);
    }

    private static int optionalInt(Value params, String name) {
        Value v = params.getMember(name);
        return v == null || v.isNull() ? 0 : v.asInt();
    }

    private static KeyMaterial key(Value handle) {
        return handle.asHostObject();
    }

    /** The string members of a guest object (a JWK). */
    private static Map<String, String> strings(Value object) {
        var out = new HashMap<String, String>();
        for (String name : object.getMemberKeys()) {
            Value v = object.getMember(name);
            if (v.isString()) out.put(name, v.asString());
        }
        return out;
    }

    /** The bytes of a guest ArrayBuffer. */
    private static byte[] bytes(Value value) {
        byte[] bytes = new byte[Math.toIntExact(value.getBufferSize())];
        value.readBuffer(0, bytes, 0, bytes.length);
        return bytes;
    }

    private static Source load() {
        try (InputStream in = WebCrypto.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) throw new IllegalStateException(SCRIPT + " is missing from this build; rebuild with ./valence build");
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "valence:webcrypto.js").buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + SCRIPT, e);
        }
    }
}
