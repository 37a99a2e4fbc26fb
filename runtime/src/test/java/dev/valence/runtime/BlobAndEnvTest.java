package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** std/blob (per-owner storage) and Deno.env / process.env (the owner's variables), end to end. */
class BlobAndEnvTest {
    static TestPlatform platform;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("blob_env");
        alice = platform.createUser("alice");
        bob = platform.createUser("bob");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void bytes_strings_and_json_round_trip() {
        platform.createVal(alice, "round-trip", """
                import { blob } from "https://esm.town/v/std/blob";
                export default async () => {
                  await blob.set('bytes', new Uint8Array([0, 1, 2, 255]));
                  await blob.set('view', new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3));
                  await blob.set('buffer', new Uint8Array([4, 2]).buffer);
                  await blob.set('text', 'héllo €');
                  await blob.setJSON('json', { a: [1, 'two', null], b: { c: true } });
                  const bytes = new Uint8Array(await (await blob.get('bytes')).arrayBuffer());
                  const view = new Uint8Array(await (await blob.get('view')).arrayBuffer());
                  const buffer = new Uint8Array(await (await blob.get('buffer')).arrayBuffer());
                  const text = await blob.get('text');
                  return Response.json({
                    bytes: [...bytes], view: [...view], buffer: [...buffer],
                    text: await text.text(), textType: text.headers.get('content-type'),
                    json: await blob.getJSON('json'),
                    missingJSON: (await blob.getJSON('nope')) === undefined,
                  });
                };""");
        var reply = platform.get("/v/alice/round-trip");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject()
                .put("bytes", new JsonArray().add(0).add(1).add(2).add(255))
                .put("view", new JsonArray().add(8).add(7))
                .put("buffer", new JsonArray().add(4).add(2))
                .put("text", "héllo €").put("textType", "text/plain;charset=utf-8")
                .put("json", new JsonObject().put("a", new JsonArray().add(1).add("two").addNull()).put("b", new JsonObject().put("c", true)))
                .put("missingJSON", true), reply.json());
    }

    @Test
    void list_by_prefix_returns_sorted_keys_with_sizes_and_delete_removes() {
        platform.createVal(alice, "lister", """
                import { blob } from "std/blob";
                export default async () => {
                  await blob.set('list/b', 'bb');
                  await blob.set('list/a', 'a');
                  await blob.set('list/c', new Uint8Array(3));
                  await blob.set('other', 'x');
                  const before = (await blob.list('list/')).map(e => [e.key, e.size, typeof e.lastModified]);
                  await blob.delete('list/b');
                  await blob.delete('never-existed');
                  const after = (await blob.list('list/')).map(e => e.key);
                  let missing;
                  try { await blob.get('list/b'); } catch (e) { missing = e.name + ': ' + e.message; }
                  return Response.json({ before, after, missing });
                };""");
        var reply = platform.get("/v/alice/lister");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject()
                .put("before", new JsonArray().add(new JsonArray().add("list/a").add(1).add("string"))
                        .add(new JsonArray().add("list/b").add(2).add("string")).add(new JsonArray().add("list/c").add(3).add("string")))
                .put("after", new JsonArray().add("list/a").add("list/c"))
                .put("missing", "ValTownBlobNotFoundError: No blob with the key \"list/b\"."), reply.json());
    }

    @Test
    void owners_do_not_see_each_others_blobs() {
        platform.createVal(alice, "alice-writes", """
                import { blob } from "std/blob";
                export default async () => { await blob.set('shared-name', 'alice data'); return new Response('ok'); };""");
        platform.createVal(bob, "bob-reads", """
                import { blob } from "std/blob";
                export default async () => Response.json({
                  json: (await blob.getJSON('shared-name')) ?? null,
                  keys: (await blob.list('shared')).map(e => e.key),
                });""");
        assertEquals("ok", platform.get("/v/alice/alice-writes").body());
        assertEquals(new JsonObject().putNull("json").put("keys", new JsonArray()), platform.get("/v/bob/bob-reads").json());
    }

    @Test
    void a_library_val_that_uses_blob_stores_under_the_importing_vals_owner() {
        platform.createVal(alice, "kv-lib", """
                import { blob } from "std/blob";
                export const remember = (v: string) => blob.set('remembered', v);
                export const recall = () => blob.get('remembered').then(r => r.text());""");
        platform.createVal(bob, "uses-kv", """
                import { remember, recall } from "val:alice/kv-lib";
                export default async () => { await remember('bob wrote this'); return new Response(await recall()); };""");
        assertEquals("bob wrote this", platform.get("/v/bob/uses-kv").body());
        platform.createVal(alice, "alice-recall", """
                import { blob } from "std/blob";
                export default async () => Response.json((await blob.list('remembered')).length);""");
        assertEquals("0", platform.get("/v/alice/alice-recall").body());
    }

    @Test
    void keys_and_values_over_the_limits_are_refused_with_clear_errors() {
        platform.createVal(alice, "limits", """
                import { blob } from "std/blob";
                async function attempt(f) { try { await f(); return 'stored'; } catch (e) { return e.name + ': ' + e.message; } }
                export default async () => Response.json([
                  await attempt(() => blob.set('k'.repeat(513), 'x')),
                  await attempt(() => blob.set('', 'x')),
                  await attempt(() => blob.set(42, 'x')),
                  await attempt(() => blob.set('big', new Uint8Array(10 * 1024 * 1024 + 1))),
                  await attempt(() => blob.set('object', { a: 1 })),
                  await attempt(() => blob.setJSON('undef', undefined)),
                  await attempt(() => blob.set('k'.repeat(512), 'fits')),
                ]);""");
        var reply = platform.get("/v/alice/limits");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonArray()
                .add("RangeError: A blob key has 1 to 512 characters, got 513.")
                .add("RangeError: A blob key has 1 to 512 characters, got 0.")
                .add("TypeError: A blob key is a string, got number.")
                .add("Error: A blob value may be at most 10485760 bytes; the value for \"big\" has 10485761 (VAL_BLOB_MAX_MB sets the limit).")
                .add("TypeError: blob.set stores a string, an ArrayBuffer or a typed array; use blob.setJSON for other values.")
                .add("TypeError: blob.setJSON needs a value JSON can represent, got undefined.")
                .add("stored"), new JsonArray(reply.body()));
    }

    @Test
    void deno_env_and_process_env_give_the_owners_variables_and_nobody_elses() {
        assertEquals(204, platform.put("/api/v1/env/API_KEY", alice, new JsonObject().put("value", "alice-secret-123").encode()).status());
        assertEquals(204, platform.put("/api/v1/env/REGION", alice, new JsonObject().put("value", "eu").encode()).status());
        assertEquals(204, platform.put("/api/v1/env/API_KEY", bob, new JsonObject().put("value", "bob-secret-456").encode()).status());
        platform.createVal(alice, "env-reader", """
                export default () => Response.json({
                  deno: Deno.env.get('API_KEY'),
                  process: process.env.REGION,
                  missing: Deno.env.get('NOPE') ?? null,
                  has: Deno.env.has('REGION'),
                  keys: Object.keys(Deno.env.toObject()),
                  spread: Object.keys({ ...process.env }),
                  inOp: 'REGION' in process.env,
                });""");
        assertEquals(new JsonObject().put("deno", "alice-secret-123").put("process", "eu").putNull("missing").put("has", true)
                .put("keys", new JsonArray().add("API_KEY").add("REGION")).put("spread", new JsonArray().add("API_KEY").add("REGION"))
                .put("inOp", true), platform.get("/v/alice/env-reader").json());

        platform.createVal(bob, "env-reader", """
                export default () => Response.json({ key: Deno.env.get('API_KEY'), region: process.env.REGION ?? null });""");
        assertEquals(new JsonObject().put("key", "bob-secret-456").putNull("region"), platform.get("/v/bob/env-reader").json());
    }

    @Test
    void env_is_read_only_for_the_val() {
        platform.createVal(alice, "env-writer", """
                export default () => {
                  const out = [];
                  for (const f of [() => Deno.env.set('X', '1'), () => { process.env.X = '1'; }, () => { delete process.env.X; }]) {
                    try { f(); out.push('written'); } catch (e) { out.push(e.constructor.name); }
                  }
                  return Response.json(out);
                };""");
        assertEquals(new JsonArray().add("TypeError").add("TypeError").add("TypeError"), new JsonArray(platform.get("/v/alice/env-writer").body()));
    }

    @Test
    void env_values_never_appear_in_listings_or_recorded_logs() {
        String carol = platform.createUser("carol");
        assertEquals(204, platform.put("/api/v1/env/TOKEN", carol, new JsonObject().put("value", "tok-very-secret-789").encode()).status());
        var listing = platform.get("/api/v1/env", carol);
        assertEquals(200, listing.status());
        assertFalse(listing.body().contains("tok-very-secret-789"), listing.body());
        assertTrue(listing.body().contains("\"TOKEN\""), listing.body());

        platform.createVal(carol, "leaky", """
                export default () => {
                  console.log('the token is', Deno.env.get('TOKEN'));
                  throw new Error('failed with ' + process.env.TOKEN);
                };""");
        assertEquals(500, platform.get("/v/carol/leaky").status());
        var run = platform.get("/api/v1/vals/carol/leaky/runs", carol).json().getJsonArray("data").getJsonObject(0);
        assertEquals("[log] the token is [env TOKEN]", run.getString("logs"));
        assertTrue(run.getString("error").startsWith("Error: failed with [env TOKEN]"), run.getString("error"));
        assertFalse(run.encode().contains("tok-very-secret-789"), run.encode());
    }
}
