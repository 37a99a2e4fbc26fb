package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A blob key (or list prefix) with U+0000, which PostgreSQL cannot store, is the val's clear error, not "unavailable". */
class BlobKeyWithNulTest {
    private static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("blob_key_nul");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void every_blob_operation_with_a_nul_in_the_key_fails_with_a_sentence_the_val_can_act_on() {
        platform.createVal(platform.adminToken, "nul-keys", """
                import { blob } from "std/blob";
                const attempt = (f) => f().then(() => 'done', e => e.name + ': ' + e.message);
                export default async () => {
                  const key = 'a\\u0000b';
                  return Response.json({
                    set: await attempt(() => blob.set(key, 'x')),
                    setJSON: await attempt(() => blob.setJSON(key, { a: 1 })),
                    get: await attempt(() => blob.get(key)),
                    getJSON: await attempt(() => blob.getJSON(key)),
                    delete: await attempt(() => blob.delete(key)),
                    list: await attempt(() => blob.list('a\\u0000')),
                    fine: await attempt(() => blob.set('a-b', 'x')),
                  });
                }""");
        var reply = platform.get("/v/admin/nul-keys");
        assertEquals(200, reply.status(), reply.body());
        String keyError = "Error: The blob key \"a\\u0000b\" contains the NUL character (U+0000), which cannot be stored; remove it from the key.";
        assertEquals(new JsonObject().put("set", keyError).put("setJSON", keyError).put("get", keyError).put("getJSON", keyError)
                .put("delete", keyError)
                .put("list", "Error: The blob prefix \"a\\u0000\" contains the NUL character (U+0000), which no key can hold; remove it from the prefix.")
                .put("fine", "done"), reply.json());
    }
}
