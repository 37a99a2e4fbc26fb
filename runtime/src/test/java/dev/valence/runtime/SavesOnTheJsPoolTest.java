package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Saving a val compiles it and loads its module (the cold start is paid at save time): guest work
 * that runs on the JS workers, so a slow save never holds the database workers, which are sized to
 * the connection pool (DB_POOL_SIZE).
 */
class SavesOnTheJsPoolTest {
    static Vertx upstreamVertx;
    static HttpServer upstream;
    static TestPlatform platform;
    /**
     * As many saves as there are database workers. Not fewer workers: the pool's connections are as
     * many, and the LISTEN loops keep some of them for good (a pool of two never finishes start-up).
     */
    static final int DB_POOL_SIZE = 6;
    /** The saved modules' top-level fetches, held until the test lets their loads finish. */
    static final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    /** Completed when every save's module load is under way (its fetch arrived). */
    static final CompletableFuture<Void> loadsStarted = new CompletableFuture<>();

    @BeforeAll
    static void start() {
        upstreamVertx = Vertx.vertx();
        upstream = upstreamVertx.createHttpServer().requestHandler(req -> {
            held.add(req);
            if (held.size() == DB_POOL_SIZE) loadsStarted.complete(null);
        }).listen(0, "127.0.0.1").await();
        platform = TestPlatform.start("saves_on_js_pool", Map.of(
                "DB_POOL_SIZE", Integer.toString(DB_POOL_SIZE),
                "JS_WORKERS", Integer.toString(DB_POOL_SIZE + 2),
                "VAL_FETCH_ALLOW", "localhost",
                "VAL_TIMEOUT_MS", "30000"));
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
        upstreamVertx.close().await();
    }

    @Test
    void the_api_answers_while_saves_still_load_their_vals_modules() throws Exception {
        String code = "const hold = await fetch('http://localhost:" + upstream.actualPort() + "/hold');\n"
                + "const word = await hold.text();\n"
                + "export default () => new Response(word);";
        var saves = new ArrayList<CompletableFuture<TestPlatform.Reply>>();
        for (int i = 0; i < DB_POOL_SIZE; i++) {
            String name = "slowload" + i;
            saves.add(CompletableFuture.supplyAsync(() -> platform.post("/api/v1/vals", platform.adminToken,
                    new JsonObject().put("name", name).put("code", code).encode())));
        }
        loadsStarted.get(60, TimeUnit.SECONDS);

        // every database worker is free: each save's module load holds a JS worker
        var me = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/api/v1/me")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + platform.adminToken).GET().build();
        TestPlatform.Reply reply = platform.send(me);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("admin", reply.json().getString("name"));

        held.forEach(hold -> hold.response().end("loaded"));
        for (int i = 0; i < DB_POOL_SIZE; i++) {
            TestPlatform.Reply saved = saves.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(201, saved.status(), saved.body());
            assertEquals("loaded", platform.get("/v/admin/slowload" + i).body());
        }
    }
}
