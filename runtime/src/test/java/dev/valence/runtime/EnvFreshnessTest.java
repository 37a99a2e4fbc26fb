package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.secrets.SecretKeys;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An environment variable written through the API is seen by the next invocation on the runtime that
 * took the write, and within a second on another runtime of the same database (PostgreSQL NOTIFY),
 * for set and delete alike; the values run logs are masked with follow the same writes.
 */
class EnvFreshnessTest {
    /** The bound for another instance; measured values are printed. */
    private static final long OTHER_INSTANCE_MS = 1000;

    static TestPlatform a;
    static Valence b;
    static String alice;

    @BeforeAll
    static void start() {
        // two instances of one deployment share the key that seals env values (each would otherwise make its own key file)
        String secretKey = SecretKeys.newKeyText();
        a = TestPlatform.start("env_fresh", Map.of("INSTANCE_ID", "env-a", "VALENCE_SECRET_KEY", secretKey));
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", a.databaseUrl);
        env.put("MIGRATE_ON_START", "false");
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("INSTANCE_ID", "env-b");
        env.put("VALENCE_SECRET_KEY", secretKey);
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-env-b").toString());
        b = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)));
        alice = a.createUser("alice");
        a.createVal(alice, "login", """
                export default (req) => {
                  const given = new URL(req.url).searchParams.get("pw");
                  const password = Deno.env.get("PASSWORD");
                  return Response.json({ password: password ?? null, ok: password !== undefined && given === password, at: Date.now() });
                };""");
        a.createVal(alice, new JsonObject().put("name", "leak").put("type", "script")
                .put("code", "console.log('token is', Deno.env.get('TOKEN') ?? 'unset');"));
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    private static TestPlatform.Reply onB(String method, String path, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + b.port() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + alice)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return a.send(request);
    }

    private static JsonObject loginOnA(String pw) {
        var reply = a.get("/v/alice/login?pw=" + pw);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static JsonObject loginOnB(String pw) {
        var reply = onB("GET", "/v/alice/login?pw=" + pw, null);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static void setPassword(String value) {
        var reply = a.put("/api/v1/env/PASSWORD", alice, new JsonObject().put("value", value).encode());
        assertEquals(204, reply.status(), reply.body());
    }

    /**
     * Asks {@code call} until {@code seen} holds. Fails when a call begun more than the bound after
     * {@code sinceNs} does not see it (a slow answer to a call begun earlier does not count against
     * the bound). Returns the milliseconds from {@code sinceNs} to the beginning of the call that saw it.
     */
    private static <T> long msUntil(String what, long sinceNs, Supplier<T> call, Predicate<T> seen) {
        while (true) {
            long begunMs = (System.nanoTime() - sinceNs) / 1_000_000L;
            T answer = call.get();
            if (seen.test(answer)) return begunMs;
            assertTrue(begunMs <= OTHER_INSTANCE_MS, what + ": a call begun " + begunMs + " ms after the write still got " + answer);
            sleep(10);
        }
    }

    /**
     * Calls the login val on B without pause from another thread, noting when each invocation ran (by
     * the val's own clock, so a slow client does not count) and which password it saw.
     */
    private static final class WatchOnB implements AutoCloseable {
        record Seen(long atMs, String password) {}

        final List<Seen> seen = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;
        private final Thread thread = Thread.ofPlatform().name("watch-b").start(() -> {
            while (running) {
                var json = loginOnB("x");
                seen.add(new Seen(json.getLong("at"), json.getString("password")));
            }
        });

        /**
         * Checks the write that returned at {@code writtenMs} against every invocation on B: each that
         * started more than the bound after it saw {@code expected} (null: no value). Returns the
         * milliseconds from the write's answer to the start of the first invocation that saw it.
         */
        long check(String what, long writtenMs, String expected) {
            long deadlineNs = System.nanoTime() + 15_000_000_000L;
            while (seen.stream().noneMatch(s -> s.atMs() > writtenMs + OTHER_INSTANCE_MS)) {
                if (System.nanoTime() > deadlineNs) throw new AssertionError("B answered nothing for 15 s");
                sleep(20);
            }
            long first = Long.MAX_VALUE;
            for (Seen s : seen) {
                boolean fresh = java.util.Objects.equals(expected, s.password());
                if (s.atMs() > writtenMs + OTHER_INSTANCE_MS) {
                    assertTrue(fresh, what + ": an invocation on B " + (s.atMs() - writtenMs) + " ms after the write saw " + s.password());
                }
                if (fresh && s.atMs() >= writtenMs - 1000) first = Math.min(first, s.atMs());
            }
            long samples = seen.stream().filter(s -> s.atMs() >= writtenMs && s.atMs() <= writtenMs + OTHER_INSTANCE_MS).count();
            System.out.printf("%s: first seen on B %d ms after the write answered (%d invocations on B in the second after it)%n",
                    what, Math.max(0, first - writtenMs), samples);
            return Math.max(0, first - writtenMs);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(30_000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void a_password_set_right_before_a_call_is_what_the_val_sees_not_undefined() {
        a.createVal(alice, "gate", "export default () => Response.json({ secret: Deno.env.get('GATE_SECRET') ?? null })");
        assertEquals(new JsonObject().putNull("secret"), a.get("/v/alice/gate").json(), "the owner's values are read (and cached) here");
        assertEquals(204, a.put("/api/v1/env/GATE_SECRET", alice, "{\"value\": \"open-sesame\"}").status());
        assertEquals(new JsonObject().put("secret", "open-sesame"), a.get("/v/alice/gate").json(), "the very next call sees the write");
        assertEquals(204, a.put("/api/v1/env/GATE_SECRET", alice, "{\"value\": \"changed-it\"}").status());
        assertEquals(new JsonObject().put("secret", "changed-it"), a.get("/v/alice/gate").json());
        assertEquals(204, a.delete("/api/v1/env/GATE_SECRET", alice).status());
        assertEquals(new JsonObject().putNull("secret"), a.get("/v/alice/gate").json(), "and the delete");
    }

    @Test
    void set_and_delete_are_seen_at_once_on_the_writing_runtime_and_within_a_second_on_the_other() throws Exception {
        // both runtimes have read (and cached) the owner's values before the write
        assertEquals(false, loginOnA("undefined").getBoolean("ok"));
        assertEquals(false, loginOnB("undefined").getBoolean("ok"));
        try (var watch = new WatchOnB()) {
            setPassword("correct-horse");
            long setMs = System.currentTimeMillis();
            var onA = loginOnA("correct-horse");
            assertEquals("correct-horse", onA.getString("password"), "A, at once");
            assertEquals(true, onA.getBoolean("ok"));
            assertEquals(false, loginOnA("undefined").getBoolean("ok"));
            long setOnB = watch.check("set", setMs, "correct-horse");
            assertEquals(true, loginOnB("correct-horse").getBoolean("ok"));

            setPassword("battery-staple");
            long changeMs = System.currentTimeMillis();
            assertEquals("battery-staple", loginOnA("x").getString("password"), "A, at once");
            long changeOnB = watch.check("change", changeMs, "battery-staple");

            assertEquals(204, a.delete("/api/v1/env/PASSWORD", alice).status());
            long deleteMs = System.currentTimeMillis();
            var deleted = loginOnA("battery-staple");
            assertEquals(null, deleted.getValue("password"), "A, at once");
            assertEquals(false, deleted.getBoolean("ok"));
            long deleteOnB = watch.check("delete", deleteMs, null);
            assertEquals(false, loginOnB("undefined").getBoolean("ok"), "undefined is never a password");
            System.out.printf("env freshness on the other runtime: set %d ms, change %d ms, delete %d ms%n", setOnB, changeOnB, deleteOnB);
        }
        // a write taken by B is seen by B at once and by A within the bound
        long backNs = System.nanoTime();
        assertEquals(204, onB("PUT", "/api/v1/env/PASSWORD", "{\"value\": \"from-b-side\"}").status());
        assertEquals("from-b-side", loginOnB("x").getString("password"), "B, at once");
        long backOnA = msUntil("B's write on A", backNs, () -> loginOnA("x"), json -> "from-b-side".equals(json.getString("password")));
        System.out.printf("env freshness the other way (from the API call, including polls): %d ms%n", backOnA);
        assertEquals(204, a.delete("/api/v1/env/PASSWORD", alice).status());
    }

    /** The write an older build makes (it knows only the plaintext table, app.env_vars) to a variable alice has. */
    private static String olderBuildWrites(String key, String value) {
        return "INSERT INTO app.env_vars (user_id, key, value) SELECT id, '" + key + "', '" + value + "' FROM app.users WHERE name = 'alice'"
                + " ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = now()";
    }

    @Test
    void a_write_made_outside_the_api_is_announced_too() {
        assertEquals(204, a.put("/api/v1/env/HAND_SET", alice, "{\"value\": \"before\"}").status());
        a.createVal(alice, "hand", "export default () => Response.json({ v: Deno.env.get('HAND_SET') ?? null })");
        assertEquals("before", a.get("/v/alice/hand").json().getString("v"));
        assertEquals("before", onB("GET", "/v/alice/hand", null).json().getString("v"));
        long writeNs = System.nanoTime();
        // as an older build or an operator would: no runtime takes part in the write
        new SchemaFlips(a.databaseUrl).sql(olderBuildWrites("HAND_SET", "by-hand"));
        long onA = msUntil("the hand-made write on A", writeNs, () -> a.get("/v/alice/hand").json(), json -> "by-hand".equals(json.getString("v")));
        long onB = msUntil("the hand-made write on B", writeNs, () -> onB("GET", "/v/alice/hand", null).json(), json -> "by-hand".equals(json.getString("v")));
        System.out.printf("env write made in SQL seen after: A %d ms, B %d ms%n", onA, onB);
    }

    @Test
    void run_logs_are_masked_with_the_values_as_they_are_now_on_both_runtimes() {
        var before = onB("POST", "/api/v1/vals/alice/leak/run", "{}");
        assertEquals(200, before.status(), before.body());
        assertEquals("[log] token is unset", before.json().getString("logs"));

        long setNs = System.nanoTime();
        assertEquals(204, a.put("/api/v1/env/TOKEN", alice, "{\"value\": \"first-secret-value\"}").status());
        assertEquals("[log] token is [env TOKEN]", a.post("/api/v1/vals/alice/leak/run", alice, "{}").json().getString("logs"), "A, at once");
        long masked = msUntil("the first value masked on B", setNs, () -> onB("POST", "/api/v1/vals/alice/leak/run", "{}").json().getString("logs"),
                logs -> logs.equals("[log] token is [env TOKEN]"));

        // a new value is masked from the first run that can see it: the mask never lags the value
        long changeNs = System.nanoTime();
        assertEquals(204, a.put("/api/v1/env/TOKEN", alice, "{\"value\": \"second-secret-value\"}").status());
        assertEquals("[log] token is [env TOKEN]", a.post("/api/v1/vals/alice/leak/run", alice, "{}").json().getString("logs"));
        long deadline = changeNs + OTHER_INSTANCE_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            String logs = onB("POST", "/api/v1/vals/alice/leak/run", "{}").json().getString("logs");
            assertEquals("[log] token is [env TOKEN]", logs, "B never shows a value in clear");
        }
        var recorded = onB("GET", "/api/v1/vals/alice/leak/runs?limit=200", null).json().getJsonArray("data");
        for (int i = 0; i < recorded.size(); i++) {
            String logs = recorded.getJsonObject(i).getString("logs");
            assertTrue(!logs.contains("secret-value"), "no recorded run holds a value in clear: " + logs);
        }
        System.out.printf("env mask on the other runtime after the write: %d ms%n", masked);
        assertEquals(204, a.delete("/api/v1/env/TOKEN", alice).status());
    }

    @Test
    void a_value_deleted_while_a_run_that_read_it_is_still_going_stays_masked_in_that_runs_logs() throws Exception {
        assertEquals(204, a.put("/api/v1/env/SLOW_TOKEN", alice, "{\"value\": \"read-before-delete\"}").status());
        a.createVal(alice, "slowleak", """
                export default async () => {
                  const token = Deno.env.get("SLOW_TOKEN");
                  await new Promise((resolve) => setTimeout(resolve, 600));
                  console.log("still holding", token);
                  return new Response("done");
                };""");
        var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> a.get("/v/alice/slowleak"));
        sleep(200);
        assertEquals(204, a.delete("/api/v1/env/SLOW_TOKEN", alice).status());
        assertEquals("done", call.get(30, java.util.concurrent.TimeUnit.SECONDS).body());
        var runs = a.get("/api/v1/vals/alice/slowleak/runs", alice).json().getJsonArray("data");
        assertEquals(1, runs.size());
        assertEquals("[log] still holding [env SLOW_TOKEN]", runs.getJsonObject(0).getString("logs"));
    }

    @Test
    void after_the_listening_connection_breaks_writes_are_seen_again_once_it_is_back() throws Exception {
        assertEquals(204, a.put("/api/v1/env/AFTER_BREAK", alice, "{\"value\": \"one\"}").status());
        a.createVal(alice, "afterbreak", "export default () => Response.json({ v: Deno.env.get('AFTER_BREAK') ?? null })");
        assertEquals("one", a.get("/v/alice/afterbreak").json().getString("v"));
        var flips = new SchemaFlips(a.databaseUrl);
        long listeners = flips.count("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN " + "valence_env'");
        assertEquals(2, listeners, "one listening connection per runtime");
        flips.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN valence_env'");
        // written while nobody listens: the notice is lost, the value must still arrive
        flips.sql(olderBuildWrites("AFTER_BREAK", "two"));
        long lostNs = System.nanoTime();
        while (!"two".equals(a.get("/v/alice/afterbreak").json().getString("v"))) {
            assertTrue(System.nanoTime() - lostNs < 5_000_000_000L, "a write made while the listener was away was never seen");
            sleep(50);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (flips.count("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN valence_env'") < 2) {
            assertTrue(System.nanoTime() < deadline, "the runtimes did not listen again");
            sleep(50);
        }
        assertEquals("two", a.get("/v/alice/afterbreak").json().getString("v"), "read while listening again");
        long writeNs = System.nanoTime();
        flips.sql("UPDATE app.env_vars SET value = 'three' WHERE key = 'AFTER_BREAK'");
        long ms = msUntil("a write after the reconnect", writeNs, () -> a.get("/v/alice/afterbreak").json(), json -> "three".equals(json.getString("v")));
        System.out.printf("env write after the listener reconnected seen after %d ms%n", ms);
    }
}
