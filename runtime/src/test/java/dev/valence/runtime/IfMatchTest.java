package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A val's version is its ETag, and a PUT with If-Match saves only while the val is still at that version. */
class IfMatchTest {
    static TestPlatform platform;
    static String admin;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("if_match");
        admin = platform.adminToken;
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static TestPlatform.Reply put(String val, String code, String ifMatch) {
        var headers = ifMatch == null ? Map.of("Content-Type", "application/json") : Map.of("Content-Type", "application/json", "If-Match", ifMatch);
        return platform.send("PUT", "/api/v1/vals/admin/" + val, admin, new JsonObject().put("code", code).encode(), headers);
    }

    private static int versionCount(String val) {
        return platform.get("/api/v1/vals/admin/" + val + "/versions", admin).json().getJsonArray("data").size();
    }

    @Test
    void reading_a_val_answers_its_version_as_the_etag() {
        platform.createVal(admin, "tagged", "export default () => new Response('one')");
        assertEquals("\"1\"", platform.get("/api/v1/vals/admin/tagged", admin).header("ETag"));
        var saved = put("tagged", "export default () => new Response('two')", null);
        assertEquals(200, saved.status());
        assertEquals("\"2\"", saved.header("ETag"));
        assertEquals("\"2\"", platform.get("/api/v1/vals/admin/tagged", admin).header("ETag"));
    }

    @Test
    void the_second_of_two_writers_with_the_same_version_gets_412_and_nothing_is_saved() {
        platform.createVal(admin, "shared", "export default () => new Response('original')");
        String first = platform.get("/api/v1/vals/admin/shared", admin).header("ETag");
        String second = platform.get("/api/v1/vals/admin/shared", admin).header("ETag");
        assertEquals("\"1\"", first);
        assertEquals(first, second);

        var won = put("shared", "export default () => new Response('first writer')", first);
        assertEquals(200, won.status());
        assertEquals(2, won.json().getInteger("version"));

        var lost = put("shared", "export default () => new Response('second writer')", second);
        assertEquals(412, lost.status());
        assertEquals("application/json", lost.header("Content-Type"));
        var error = lost.json().getJsonObject("error");
        assertEquals("stale_version", error.getString("code"));
        assertEquals(2, error.getInteger("currentVersion"));
        assertEquals("admin/shared is at version 2, not what If-Match: \"1\" expected: someone saved it since you read it."
                + " Nothing was saved. Read version 2, merge your change and save with If-Match: \"2\", or save without If-Match"
                + " to overwrite it.", error.getString("message"));

        assertEquals(2, versionCount("shared"));
        var now = platform.get("/api/v1/vals/admin/shared", admin);
        assertEquals("export default () => new Response('first writer')", now.json().getString("code"));
        assertEquals("first writer", platform.get("/v/admin/shared").body());
    }

    @Test
    void a_matching_tag_a_star_or_no_header_saves_and_a_weak_or_foreign_tag_does_not() {
        platform.createVal(admin, "conditions", "export default () => new Response('1')");
        assertEquals(200, put("conditions", "export default () => new Response('2')", "\"1\"").status());
        assertEquals(200, put("conditions", "export default () => new Response('3')", "\"7\", \"2\"").status());
        assertEquals(200, put("conditions", "export default () => new Response('4')", "*").status());
        assertEquals(200, put("conditions", "export default () => new Response('5')", null).status());
        assertEquals(5, versionCount("conditions"));

        assertEquals(412, put("conditions", "export default () => new Response('x')", "W/\"5\"").status(), "If-Match compares strongly");
        assertEquals(412, put("conditions", "export default () => new Response('x')", "\"abc\"").status());
        var malformed = put("conditions", "export default () => new Response('x')", "5");
        assertEquals(400, malformed.status());
        assertEquals("If-Match must be * or entity tags in double quotes, such as If-Match: \"3\" (the val's version from its ETag); got '5'.",
                malformed.json().getJsonObject("error").getString("message"));
        assertEquals(5, versionCount("conditions"));
        assertNull(platform.get("/api/v1/vals/admin/conditions/versions/6", admin).header("ETag"));
    }

    @Test
    void of_many_writers_racing_with_the_same_version_exactly_one_saves() throws Exception {
        platform.createVal(admin, "race", "export default () => new Response('start')");
        int writers = 8;
        var ready = new CountDownLatch(writers);
        var go = new CountDownLatch(1);
        var answers = new ArrayList<Future<Integer>>();
        try (var pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                String code = "export default () => new Response('writer " + i + "')";
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return put("race", code, "\"1\"").status();
                }));
            }
            ready.await();
            go.countDown();
            int saved = 0;
            int refused = 0;
            for (var answer : answers) {
                int status = answer.get();
                if (status == 200) saved++;
                if (status == 412) refused++;
            }
            assertEquals(1, saved);
            assertEquals(writers - 1, refused);
        }
        assertEquals(2, versionCount("race"));
    }
}
