package dev.valence.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web-platform-tests WebCrypto vectors (src/test/resources/wpt/webcrypto, see its NOTICE) through
 * the crypto.subtle a val sees, inside the same GraalJS sandbox: HMAC, ECDSA (P-256/384/521, each with
 * SHA-1/256/384/512, and four invalid signatures), Ed25519 (Ed448 must be refused as not supported),
 * RSASSA-PKCS1-v1_5 and AES-GCM. Each vector is imported, signed or encrypted, verified or decrypted,
 * changed and checked to fail, and exported again (vectors-runner.js says exactly what is checked).
 */
class WebCryptoVectorsTest {
    static JsEngine engine;
    static final List<String> FILES = List.of("hmac_vectors.js", "ecdsa_vectors.js", "eddsa_vectors.js", "rsa_pkcs_vectors.js", "aes_gcm_vectors.js");

    @BeforeAll
    static void start() {
        engine = new JsEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void crypto_subtle_passes_the_web_platform_tests_webcrypto_vectors() throws IOException {
        Map<String, Object> files = new HashMap<>();
        for (String name : FILES) files.put(name, resource(name));
        var created = engine.newContext(new LogBuffer(1024));
        try (Context context = created.context()) {
            Value runner = context.eval(Source.create("js", resource("vectors-runner.js")));
            var json = new String[1];
            // GraalJS runs the promise jobs before execute returns: the runner has settled by then
            runner.execute(ProxyObject.fromMap(files)).invokeMember("then",
                    (ProxyExecutable) args -> json[0] = context.eval("js", "JSON.stringify").execute(args[0]).asString(),
                    (ProxyExecutable) args -> json[0] = "{\"runner\":\"" + args[0] + "\"}");
            var results = new JsonObject(json[0]);
            System.out.println("WPT WebCrypto vectors: " + results.encode());
            var passed = new JsonObject();
            results.forEach(group -> {
                JsonObject result = (JsonObject) group.getValue();
                assertEquals(0, result.getJsonArray("failures").size(), group.getKey() + ": " + result.getJsonArray("failures").encodePrettily());
                passed.put(group.getKey(), result.getInteger("passed"));
            });
            assertEquals(new JsonObject().put("hmac", 4).put("ecdsa", 12).put("ecdsa-invalid", 4).put("eddsa", 3).put("rsa-pkcs1", 4)
                    .put("aes-gcm-short-tag", 12).put("aes-gcm", 30).put("aes-gcm-bad-tag", 18), passed);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = WebCryptoVectorsTest.class.getResourceAsStream("/wpt/webcrypto/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
