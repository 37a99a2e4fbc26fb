package dev.valence.runtime.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The numbers BENCHMARKS.md reports for packages, printed rather than asserted (speed is not a unit
 * test's to judge): a save of a Hono val with an empty package store and with a warm one, and warm
 * requests of a Hono val next to the same routes written by hand. Its name is outside surefire's test
 * patterns, so the suite never runs it; run it by name:
 * {@code mvn -pl runtime -am verify -Dtest=PackageCostMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 * The answers are checked, so a broken val cannot produce numbers.
 */
class PackageCostMeasurement {
    private static final int ROUNDS = 5;
    private static final int REQUESTS_PER_ROUND = 2_000;

    private static final String HONO = """
            import { Hono } from "npm:hono@4.13.23";
            const app = new Hono();
            app.get("/", (c) => c.text("home"));
            app.get("/users/:id", (c) => c.json({ id: c.req.param("id") }));
            app.post("/users", (c) => c.text("created", 201));
            export default app.fetch;
            """;
    private static final String BY_HAND = """
            export default (req) => {
              const { pathname } = new URL(req.url);
              if (req.method === "GET" && pathname === "/") return new Response("home", { headers: { "content-type": "text/plain; charset=UTF-8" } });
              const user = pathname.match(/^\\/users\\/([^/]+)$/);
              if (req.method === "GET" && user) return Response.json({ id: user[1] });
              if (req.method === "POST" && pathname === "/users") return new Response("created", { status: 201 });
              return new Response("404 Not Found", { status: 404 });
            };
            """;

    @Test
    void prints_the_cost_of_saving_and_running_a_hono_val() {
        TestTarballs.bytes("hono-4.13.23.tgz");
        try (var registry = new TestRegistry();
             var platform = TestPlatform.start("package-cost", Map.of("NPM_REGISTRY_URL", registry.url(), "NPM_REGISTRY_ALLOW", "127.0.0.1",
                     "RECORD_RUNS", "false"))) {
            String token = platform.createUser("bench");
            // saves without packages first: the compiler's and the engine's own warm-up is not the packages' cost
            long plainFirst = timeMs(() -> save(platform, token, "POST", "/api/v1/vals", new JsonObject().put("name", "plain-a").put("code", BY_HAND)));
            long plainWarm = timeMs(() -> save(platform, token, "POST", "/api/v1/vals", new JsonObject().put("name", "plain-b").put("code", BY_HAND)));
            System.out.printf("saves without packages: first %d ms, second %d ms%n", plainFirst, plainWarm);
            long cold = timeMs(() -> save(platform, token, "POST", "/api/v1/vals", new JsonObject().put("name", "hono-a").put("code", HONO)));
            long warmStore = timeMs(() -> save(platform, token, "POST", "/api/v1/vals", new JsonObject().put("name", "hono-b").put("code", HONO)));
            long unchanged = timeMs(() -> save(platform, token, "PUT", "/api/v1/vals/bench/hono-a",
                    new JsonObject().put("code", HONO + "// a comment\n")));
            save(platform, token, "POST", "/api/v1/vals", new JsonObject().put("name", "by-hand").put("code", BY_HAND));
            System.out.printf("first save, empty package store: %d ms; new val, packages stored and metadata cached: %d ms;"
                    + " save with unchanged imports: %d ms%n", cold, warmStore, unchanged);

            for (String val : List.of("hono-a", "by-hand")) {
                check(platform, val);
                for (int i = 0; i < REQUESTS_PER_ROUND; i++) platform.get("/v/bench/" + val + "/users/" + i);
            }
            var hono = new ArrayList<Double>();
            var byHand = new ArrayList<Double>();
            for (int round = 0; round < ROUNDS; round++) {
                hono.add(microsPerRequest(platform, "hono-a"));
                byHand.add(microsPerRequest(platform, "by-hand"));
            }
            hono.sort(null);
            byHand.sort(null);
            System.out.printf("warm GET /users/:id, sequential, one client: hono %.0f µs, by hand %.0f µs (medians of %d rounds of %d;"
                    + " hono %s, by hand %s); ratio %.2f%n", hono.get(ROUNDS / 2), byHand.get(ROUNDS / 2), ROUNDS, REQUESTS_PER_ROUND,
                    hono, byHand, hono.get(ROUNDS / 2) / byHand.get(ROUNDS / 2));
        }
    }

    private static void save(TestPlatform platform, String token, String method, String path, JsonObject body) {
        var reply = platform.send(method, path, token, body.encode(), Map.of("Content-Type", "application/json"));
        assertEquals(method.equals("POST") ? 201 : 200, reply.status(), reply.body());
    }

    private static void check(TestPlatform platform, String val) {
        assertEquals("home", platform.get("/v/bench/" + val).body());
        assertEquals(new JsonObject().put("id", "42"), platform.get("/v/bench/" + val + "/users/42").json());
        var created = platform.send("POST", "/v/bench/" + val + "/users", null, "", Map.of());
        assertEquals(201, created.status());
        assertEquals("created", created.body());
    }

    private static double microsPerRequest(TestPlatform platform, String val) {
        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
            var reply = platform.get("/v/bench/" + val + "/users/" + i);
            if (reply.status() != 200) throw new AssertionError(val + " answered " + reply.status() + ": " + reply.body());
        }
        return (System.nanoTime() - start) / 1_000.0 / REQUESTS_PER_ROUND;
    }

    private static long timeMs(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
