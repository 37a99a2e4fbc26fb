package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The owner's std/blob keys over the API (list, read, delete) and the search of the owner's vals by name and code. */
class BlobAndSearchApiTest {
    static TestPlatform platform;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("blob_search_api");
        alice = platform.createUser("alice");
        bob = platform.createUser("bob");
        // blobs are written as vals write them: through std/blob, by each owner's own val
        String writer = """
                import { blob } from "https://esm.town/v/std/blob";
                export default async () => {
                  await blob.set("logs/2026-01.txt", "january");
                  await blob.set("logs/2026-02.txt", "février");
                  await blob.set("logs/2026-03.txt", "march");
                  await blob.set("logs/a+b c/d.txt", "odd key");
                  await blob.set("image.bin", new Uint8Array([0, 255, 128, 7]));
                  return new Response("written");
                };""";
        platform.createVal(alice, "writer", writer);
        assertEquals(200, platform.get("/v/alice/writer").status());
        platform.createVal(bob, "writer", writer.replace("\"january\"", "\"bob's january\""));
        assertEquals(200, platform.get("/v/bob/writer").status());
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static JsonArray keys(JsonObject page) {
        var keys = new JsonArray();
        page.getJsonArray("data").forEach(o -> keys.add(((JsonObject) o).getString("key")));
        return keys;
    }

    @Test
    void blob_keys_are_listed_by_prefix_a_page_at_a_time_in_key_order() {
        var first = platform.get("/api/v1/blob?prefix=logs/&limit=2", alice);
        assertEquals(200, first.status(), first.body());
        assertEquals(new JsonArray().add("logs/2026-01.txt").add("logs/2026-02.txt"), keys(first.json()));
        var entry = first.json().getJsonArray("data").getJsonObject(1);
        assertEquals(8, entry.getLong("size"), "février is 8 bytes in UTF-8");
        String cursor = first.json().getString("nextCursor");
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString("logs/2026-02.txt".getBytes(StandardCharsets.UTF_8)), cursor);

        var second = platform.get("/api/v1/blob?prefix=logs/&limit=2&cursor=" + cursor, alice);
        assertEquals(new JsonArray().add("logs/2026-03.txt").add("logs/a+b c/d.txt"), keys(second.json()));
        assertNull(second.json().getString("nextCursor"), "the last page has no next cursor");

        var all = platform.get("/api/v1/blob", alice);
        assertEquals(new JsonArray().add("image.bin").add("logs/2026-01.txt").add("logs/2026-02.txt").add("logs/2026-03.txt")
                .add("logs/a+b c/d.txt"), keys(all.json()));
    }

    @Test
    void a_blob_reads_as_text_when_it_is_utf8_and_as_base64_otherwise() {
        var text = platform.get("/api/v1/blob/logs%2F2026-02.txt", alice);
        assertEquals(200, text.status(), text.body());
        var json = text.json();
        json.remove("updatedAt");
        assertEquals(new JsonObject().put("key", "logs/2026-02.txt").put("contentType", "text/plain;charset=utf-8").put("size", 8)
                .put("encoding", "utf-8").put("value", "février"), json);

        var odd = platform.get("/api/v1/blob/logs%2Fa%2Bb%20c%2Fd.txt", alice);
        assertEquals("odd key", odd.json().getString("value"), odd.body());

        var bytes = platform.get("/api/v1/blob/image.bin", alice).json();
        assertEquals("base64", bytes.getString("encoding"));
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {0, (byte) 255, (byte) 128, 7}), bytes.getString("value"));
    }

    @Test
    void deleting_a_blob_removes_it_and_a_second_delete_is_404() {
        platform.createVal(alice, "temp-writer", """
                import { blob } from "https://esm.town/v/std/blob";
                export default async () => { await blob.set("temp/x", "x"); return new Response("ok"); };""");
        assertEquals(200, platform.get("/v/alice/temp-writer").status());
        assertEquals(204, platform.delete("/api/v1/blob/temp%2Fx", alice).status());
        var gone = platform.get("/api/v1/blob/temp%2Fx", alice);
        assertEquals(404, gone.status());
        assertEquals("You have no blob with the key 'temp/x'; GET /api/v1/blob?prefix=... lists your keys.",
                gone.json().getJsonObject("error").getString("message"));
        assertEquals(404, platform.delete("/api/v1/blob/temp%2Fx", alice).status());
    }

    @Test
    void another_users_blobs_are_never_listed_read_or_deleted() {
        var bobs = platform.get("/api/v1/blob?prefix=logs/2026-01", bob).json();
        assertEquals(new JsonArray().add("logs/2026-01.txt"), keys(bobs));
        assertEquals("bob's january", platform.get("/api/v1/blob/logs%2F2026-01.txt", bob).json().getString("value"));
        assertEquals("january", platform.get("/api/v1/blob/logs%2F2026-01.txt", alice).json().getString("value"));

        var carol = platform.createUser("carol");
        assertEquals(new JsonArray(), keys(platform.get("/api/v1/blob", carol).json()), "a user without blobs sees none of anyone's");
        assertEquals(404, platform.get("/api/v1/blob/image.bin", carol).status());
        assertEquals(404, platform.delete("/api/v1/blob/image.bin", carol).status());
        assertEquals(200, platform.get("/api/v1/blob/image.bin", alice).status(), "alice's key survives carol's delete");
    }

    @Test
    void blob_routes_need_a_token_and_refuse_bad_paging() {
        assertEquals(401, platform.get("/api/v1/blob").status());
        var limit = platform.get("/api/v1/blob?limit=0", alice);
        assertEquals(400, limit.status());
        assertEquals("'limit' must be a whole number from 1 to 1000, got '0'.", limit.json().getJsonObject("error").getString("message"));
        assertEquals(400, platform.get("/api/v1/blob?cursor=***", alice).status());
    }

    @Test
    void search_finds_the_owners_vals_by_name_and_by_code_with_the_matching_lines() {
        platform.createVal(alice, "weather", "export default async () => {\n  const res = await fetch('https://example.com/forecast');\n"
                + "  return Response.json(await res.json());\n}");
        platform.createVal(alice, "fetcher-notes", "export default () => new Response('no network here');");
        platform.createVal(alice, "quiet", "export default () => new Response('nothing');");
        platform.createVal(bob, "bob-fetch", "export default async () => fetch('https://example.com');");

        var reply = platform.get("/api/v1/search?q=FETCH", alice);
        assertEquals(200, reply.status(), reply.body());
        var data = reply.json().getJsonArray("data");
        assertEquals(2, data.size(), reply.body());
        var byName = data.getJsonObject(0);
        assertEquals("fetcher-notes", byName.getJsonObject("val").getString("name"), "a name match comes first");
        assertEquals(true, byName.getBoolean("inName"));
        assertEquals(false, byName.getBoolean("inCode"));
        var byCode = data.getJsonObject(1);
        assertEquals("weather", byCode.getJsonObject("val").getString("name"));
        assertEquals("alice", byCode.getJsonObject("val").getString("owner"));
        assertEquals(false, byCode.getBoolean("inName"));
        assertEquals(true, byCode.getBoolean("inCode"));
        assertEquals(new JsonArray().add(new JsonObject().put("line", 2).put("text", "  const res = await fetch('https://example.com/forecast');")),
                byCode.getJsonArray("lines"));
    }

    @Test
    void search_matches_every_word_of_a_query_anywhere_in_the_code() {
        platform.createVal(alice, "words", "export default () => {\n  const greeting = 'hello';\n  return new Response(greeting + ' planet');\n}");
        var data = platform.get("/api/v1/search?q=planet%20greeting", alice).json().getJsonArray("data");
        assertEquals(1, data.size(), data.encode());
        assertEquals("words", data.getJsonObject(0).getJsonObject("val").getString("name"));
    }

    @Test
    void search_reads_only_the_latest_version_and_never_another_users_vals() {
        platform.createVal(alice, "changing", "export default () => new Response('zebra');");
        platform.put("/api/v1/vals/alice/changing", alice, new JsonObject().put("code", "export default () => new Response('giraffe');").encode());
        assertEquals(0, platform.get("/api/v1/search?q=zebra", alice).json().getJsonArray("data").size(), "old versions are not searched");
        assertEquals(1, platform.get("/api/v1/search?q=giraffe", alice).json().getJsonArray("data").size());
        // bob's public val holds 'giraffe' too, and its name holds 'fetch': alice never sees it, nor bob hers
        platform.createVal(bob, "giraffe-public", "export default () => new Response('giraffe');");
        var alices = platform.get("/api/v1/search?q=giraffe", alice).json().getJsonArray("data");
        assertEquals(1, alices.size(), alices.encode());
        assertEquals("alice", alices.getJsonObject(0).getJsonObject("val").getString("owner"));
        var bobs = platform.get("/api/v1/search?q=giraffe", bob).json().getJsonArray("data");
        assertEquals(1, bobs.size(), bobs.encode());
        assertEquals("giraffe-public", bobs.getJsonObject(0).getJsonObject("val").getString("name"));
    }

    @Test
    void search_without_a_query_says_how_to_send_one() {
        var reply = platform.get("/api/v1/search", alice);
        assertEquals(400, reply.status());
        assertEquals("Send what to look for as 'q', for example GET /api/v1/search?q=fetch.", reply.json().getJsonObject("error").getString("message"));
        assertEquals(401, platform.get("/api/v1/search?q=x").status());
    }
}
