package dev.valence.runtime.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vals importing npm packages through a real runtime: saves resolve against the test's own registry
 * (TestRegistry: real packuments and the published tarballs), requests load the locked files from
 * PostgreSQL into GraalJS. Each val does real work with its packages and is checked to the byte.
 */
class PackageValsTest {
    static TestRegistry registry;
    static TestPlatform platform;
    static String token;

    @BeforeAll
    static void start() {
        TestTarballs.bytes("ms-2.1.3.tgz"); // a clean build runs npm pack here, once
        registry = new TestRegistry();
        platform = TestPlatform.start("package-vals", Map.of("NPM_REGISTRY_URL", registry.url(), "NPM_REGISTRY_ALLOW", "127.0.0.1"));
        token = platform.createUser("ann");
    }

    @AfterAll
    static void stop() {
        platform.close();
        registry.close();
    }

    private static TestPlatform.Reply save(String name, String code) {
        return platform.post("/api/v1/vals", token, new JsonObject().put("name", name).put("code", code).encode());
    }

    private static void refused(String name, String code, String message) {
        var reply = save(name, code);
        assertEquals(400, reply.status(), reply.body());
        assertEquals("package_unavailable", reply.json().getJsonObject("error").getString("code"));
        assertEquals(message, reply.json().getJsonObject("error").getString("message"));
        assertEquals(404, platform.get("/api/v1/vals/ann/" + name, token).status());
    }

    @Test
    void a_hono_val_routes_runs_middleware_answers_cors_and_renders_jsx() {
        platform.createVal(token, "hono-app", """
                /** @jsxImportSource npm:hono@4.13.23/jsx */
                import { Hono } from "npm:hono@4.13.23";
                import { cors } from "npm:hono@4.13.23/cors";

                const app = new Hono();
                app.use("*", async (c, next) => { await next(); c.header("X-Middleware", "ran"); });
                app.use("/api/*", cors({ origin: "https://example.com" }));
                app.get("/api/users/:id", (c) => c.json({ id: c.req.param("id"), q: c.req.query("q") ?? null }));
                app.get("/page", (c) => c.html(<main><h1 class="title">Hello {c.req.query("name")}</h1><ul>{[1, 2].map((n) => <li>{n}</li>)}</ul></main>));
                export default app.fetch;
                """);

        var api = platform.send("GET", "/v/ann/hono-app/api/users/7?q=x", null, null, Map.of("Origin", "https://example.com"));
        assertEquals(200, api.status(), api.body());
        assertEquals(new JsonObject().put("id", "7").put("q", "x"), api.json());
        assertEquals("https://example.com", api.header("access-control-allow-origin"));
        assertEquals("ran", api.header("x-middleware"));

        var page = platform.get("/v/ann/hono-app/page?name=Ann");
        assertEquals(200, page.status(), page.body());
        assertEquals("<main><h1 class=\"title\">Hello Ann</h1><ul><li>1</li><li>2</li></ul></main>", page.body());
        assertEquals("text/html; charset=UTF-8", page.header("content-type"));

        var missing = platform.get("/v/ann/hono-app/nowhere");
        assertEquals(404, missing.status());
        assertEquals("404 Not Found", missing.body());
    }

    @Test
    void a_zod_val_parses_and_reports_each_failing_field() {
        platform.createVal(token, "zod-check", """
                import { z } from "npm:zod@4.6.7";
                const User = z.object({ name: z.string().min(2), age: z.number().int().positive() });
                export default () => {
                  const ok = User.safeParse({ name: "Ann", age: 41 });
                  const bad = User.safeParse({ name: "A", age: -1 });
                  return Response.json({ ok: ok.success, data: ok.data, bad: bad.success,
                    issues: bad.error.issues.map((i) => i.path.join(".") + ":" + i.code) });
                };
                """);

        var reply = platform.get("/v/ann/zod-check");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject().put("ok", true).put("data", new JsonObject().put("name", "Ann").put("age", 41)).put("bad", false)
                .put("issues", new JsonArray().add("name:too_small").add("age:too_small")), reply.json());
    }

    @Test
    void preact_renders_through_preact_render_to_string_with_one_preact_instance_so_hooks_work() {
        platform.createVal(token, "preact-page", """
                /** @jsxImportSource npm:preact@10.29.6 */
                import { render } from "npm:preact-render-to-string@6.5.13";
                import { useState } from "npm:preact@10.29.6/hooks";
                function Counter({ start }) { const [n] = useState(start); return <p class="n">{n}</p>; }
                export default () => new Response(render(<div><Counter start={3} /></div>));
                """);

        var reply = platform.get("/v/ann/preact-page");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("<div><p class=\"n\">3</p></div>", reply.body());
    }

    @Test
    void commonjs_packages_are_wrapped_so_default_imports_get_module_exports_and_requires_resolve_through_the_lock() {
        platform.createVal(token, "cjs-user", """
                import ms from "npm:ms@2.1.3";
                import createDebug from "npm:debug@4.4.3";
                export default () => {
                  const log = createDebug("app:test");
                  return Response.json({ twoHours: ms("2h"), short: ms(90000), long: ms(90000, { long: true }),
                    debug: typeof log, namespace: log.namespace, enabled: createDebug.enabled("app:test"), humanize: createDebug.humanize === ms });
                };
                """);

        var reply = platform.get("/v/ann/cjs-user");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject().put("twoHours", 7_200_000).put("short", "2m").put("long", "2 minutes").put("debug", "function")
                .put("namespace", "app:test").put("enabled", false).put("humanize", true), reply.json());
    }

    @Test
    void a_literal_dynamic_import_of_a_package_loads_it_when_it_runs() {
        platform.createVal(token, "lazy-ids", """
                export default async () => {
                  const { nanoid, customAlphabet } = await import("npm:nanoid@5.1.12");
                  const id = nanoid();
                  const digits = customAlphabet("0123456789", 6)();
                  return Response.json({ length: id.length, urlSafe: /^[A-Za-z0-9_-]+$/.test(id), digits: /^[0-9]{6}$/.test(digits) });
                };
                """);

        var reply = platform.get("/v/ann/lazy-ids");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject().put("length", 21).put("urlSafe", true).put("digits", true), reply.json());
    }

    @Test
    void a_save_whose_package_imports_did_not_change_asks_the_registry_nothing() {
        platform.createVal(token, "warm-save", """
                import ms from "npm:ms@2.1.3";
                export default () => new Response(String(ms("1m")));""");
        assertEquals("60000", platform.get("/v/ann/warm-save").body());
        registry.clearRequests();

        var reply = platform.put("/api/v1/vals/ann/warm-save", token, new JsonObject().put("code", """
                import ms from "npm:ms@2.1.3";
                export default () => new Response(String(ms("1h")));""").encode());

        assertEquals(200, reply.status(), reply.body());
        assertEquals(List.of(), registry.requests());
        assertEquals("3600000", platform.get("/v/ann/warm-save").body());
    }

    /**
     * Another instance learns of a new version when its transaction commits: the version's package lock must be in
     * that same transaction, or a request there in between finds a version "saved without a package lock".
     */
    @Test
    void each_version_and_its_package_lock_are_written_in_one_transaction() throws Exception {
        platform.createVal(token, "one-transaction", """
                import ms from "npm:ms@2.1.3";
                export default () => new Response(String(ms("1m")));""");
        var reply = platform.put("/api/v1/vals/ann/one-transaction", token, new JsonObject().put("code", """
                import ms from "npm:ms@2.1.3";
                export default () => new Response(String(ms("2m")));""").encode());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("120000", platform.get("/v/ann/one-transaction").body());
        try (var connection = dev.valence.runtime.TestDatabase.dataSource(platform.databaseUrl).getConnection();
             var query = connection.createStatement();
             var rows = query.executeQuery("""
                     SELECT vv.version, vv.xmin::text = l.xmin::text AS together
                     FROM app.val_versions vv JOIN app.vals v ON v.id = vv.val_id
                     LEFT JOIN app.val_version_locks l ON l.val_id = vv.val_id AND l.version = vv.version
                     WHERE v.name = 'one-transaction' ORDER BY vv.version""")) {
            var seen = new java.util.ArrayList<String>();
            while (rows.next()) seen.add(rows.getInt(1) + ":" + rows.getBoolean(2));
            assertEquals(List.of("1:true", "2:true"), seen, "version:written in the lock's transaction");
        }
    }

    /**
     * A build from before packages wrote versions and no locks. Such a version, whose imports name a package, is answered
     * with what its author must do (save again, which resolves and pins its packages), and asks no registry anything.
     */
    @Test
    void a_version_saved_without_a_package_lock_asks_its_author_to_save_it_again() throws Exception {
        String code = "import ms from \"npm:ms@2.1.3\";\nexport default () => new Response(String(ms(\"1m\")));";
        try (var connection = dev.valence.runtime.TestDatabase.dataSource(platform.databaseUrl).getConnection();
             var insert = connection.prepareStatement("""
                     WITH val AS (
                         INSERT INTO app.vals (owner_id, name, type, latest_version)
                         SELECT id, 'before-packages', 'http', 1 FROM app.users WHERE name = 'ann' RETURNING id)
                     INSERT INTO app.val_versions (val_id, version, code, compiled, imports)
                     SELECT id, 1, ?, ?, ARRAY['npm:ms@2.1.3'] FROM val""")) {
            insert.setString(1, code);
            insert.setString(2, code); // plain JavaScript compiles to itself
            assertEquals(1, insert.executeUpdate(), "version rows written");
        }
        registry.clearRequests();

        var reply = platform.get("/v/ann/before-packages");

        assertEquals(500, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals(1, reply.json().size(), reply.body());
        assertTrue(error.getString("runId").matches("[0-9]+"), reply.body()); // the run recorded, numbered by the database
        error.remove("runId");
        assertEquals(new JsonObject().put("code", "val_error").put("message", "ann/before-packages@1 imports \"npm:ms@2.1.3\", but that"
                + " version was saved without a package lock for it (saved before packages could be loaded); save the val again to"
                + " resolve its packages.").put("val", "ann/before-packages"), error);
        assertEquals(List.of(), registry.requests());

        var saved = platform.put("/api/v1/vals/ann/before-packages", token, new JsonObject().put("code", code).encode());
        assertEquals(200, saved.status(), saved.body());
        assertEquals("60000", platform.get("/v/ann/before-packages").body());
    }

    @Test
    void a_save_that_cannot_resolve_its_packages_answers_400_naming_the_package_the_range_and_why() {
        refused("no-such-package", "import pad from \"npm:left-padd@1\";\nexport default () => new Response(pad);",
                "npm:left-padd@1: the package left-padd does not exist on the npm registry at " + registry.url()
                        + "; check the name in the import. Nothing was saved.");
        refused("no-such-version", "import ms from \"npm:ms@^9\";\nexport default () => new Response(ms(1));",
                "npm:ms@^9: no version of ms matches ^9, which the import asks for (the newest is 2.1.3, tagged latest 2.1.3);"
                        + " change the range. Nothing was saved.");
        refused("wants-fs", "import fs from \"node:fs\";\nexport default () => new Response(typeof fs);",
                "node:fs is refused: vals have no file system; keep data with std/blob instead. Nothing was saved.");
        refused("wants-web-streams", "import { ReadableStream } from \"node:stream/web\";\nexport default () => new Response(typeof ReadableStream);",
                "node:stream/web is not offered to vals yet; they offer node:buffer, node:crypto, node:events, node:path, node:path/posix,"
                        + " node:process, node:stream, node:string_decoder, node:url, node:util. Import a package that does the same with web APIs"
                        + " instead. Nothing was saved.");
    }

    @Test
    void the_node_built_ins_vals_are_offered_work_as_in_node() {
        platform.createVal(token, "builtins", """
                import { EventEmitter } from "node:events";
                import path from "node:path";
                import { format } from "node:util";
                export default () => {
                  const seen = [];
                  const events = new EventEmitter();
                  events.once("tick", (n) => seen.push(n));
                  events.emit("tick", 1);
                  events.emit("tick", 2);
                  return Response.json({ seen, joined: path.join("/a/b", "../c", "d.txt"), ext: path.extname("x/y.tar.gz"),
                    formatted: format("%s has %d items", "cart", 3) });
                };
                """);

        var reply = platform.get("/v/ann/builtins");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject().put("seen", new JsonArray().add(1)).put("joined", "/a/c/d.txt").put("ext", ".gz")
                .put("formatted", "cart has 3 items"), reply.json());
    }

    @Test
    void uuid_makes_name_based_and_random_ids() {
        platform.createVal(token, "uuids", """
                import { v4, v5, v7, validate, version, NIL } from "npm:uuid@14.0.3";
                export default () => Response.json({ v5: v5("valence", v5.URL), valid: validate(v4()), version: version(v4()), nil: NIL,
                  v7: version(v7()) });
                """);

        assertEquals(new JsonObject().put("v5", "b328d3fd-184e-54ee-aee7-fcab6e579bdf").put("valid", true).put("version", 4)
                .put("nil", "00000000-0000-0000-0000-000000000000").put("v7", 7), answer("uuids"));
    }

    @Test
    void date_fns_formats_and_counts_days() {
        platform.createVal(token, "dates", """
                import { addDays, differenceInCalendarDays, format, formatISO, parseISO } from "npm:date-fns@4.4.0";
                export default () => Response.json({ later: format(addDays(parseISO("2024-02-27"), 3), "yyyy-MM-dd EEEE"),
                  days: differenceInCalendarDays(parseISO("2024-12-25"), parseISO("2024-01-01")),
                  iso: formatISO(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), { representation: "date" }) });
                """);

        assertEquals(new JsonObject().put("later", "2024-03-01 Friday").put("days", 359).put("iso", "2024-01-02"), answer("dates"));
    }

    @Test
    void lodash_es_loads_its_whole_index_of_modules() {
        platform.createVal(token, "lodash", """
                import { chunk, groupBy, kebabCase, sortBy } from "npm:lodash-es@4.18.1";
                export default () => Response.json({ chunks: chunk([1, 2, 3, 4, 5], 2), kebab: kebabCase("Hello World Foo"),
                  sorted: sortBy([{ n: 3 }, { n: 1 }, { n: 2 }], "n").map((x) => x.n), grouped: groupBy(["one", "two", "three"], "length") });
                """);

        assertEquals(new JsonObject("{\"chunks\":[[1,2],[3,4],[5]],\"kebab\":\"hello-world-foo\",\"sorted\":[1,2,3],"
                + "\"grouped\":{\"3\":[\"one\",\"two\"],\"5\":[\"three\"]}}"), answer("lodash"));
    }

    @Test
    void marked_renders_markdown() {
        platform.createVal(token, "markdown", """
                import { marked } from "npm:marked@18.3.0";
                export default () => new Response(marked.parse("# Hi\\n\\nSome *emphasis* and a [link](https://example.com).\\n\\n- a\\n- b\\n"));
                """);

        var reply = platform.get("/v/ann/markdown");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("<h1>Hi</h1>\n<p>Some <em>emphasis</em> and a <a href=\"https://example.com\">link</a>.</p>\n<ul>\n<li>a</li>\n"
                + "<li>b</li>\n</ul>\n", reply.body());
    }

    @Test
    void jose_signs_and_verifies_jwts_with_webcrypto() {
        platform.createVal(token, "jwt", """
                import { SignJWT, generateKeyPair, jwtVerify } from "npm:jose@6.2.19";
                export default async () => {
                  const secret = new TextEncoder().encode("a-string-secret-at-least-256-bits-long");
                  const jwt = await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256" }).setSubject("ann")
                    .setIssuedAt(1700000000).sign(secret);
                  const { payload, protectedHeader } = await jwtVerify(jwt, secret);
                  const { publicKey, privateKey } = await generateKeyPair("ES256");
                  const signed = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setSubject("bo").sign(privateKey);
                  const es256 = await jwtVerify(signed, publicKey);
                  return Response.json({ jwt, payload, protectedHeader, es256: es256.payload.sub });
                };
                """);

        assertEquals(new JsonObject().put("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYWRtaW4iLCJzdWIiOiJhbm4iLCJpYXQiOjE3MDAwMDAwMDB9"
                + "._nrx3d0wJOFaza08TromDJ6NJTwhrCcs6EXQXmBzguc")
                .put("payload", new JsonObject().put("role", "admin").put("sub", "ann").put("iat", 1700000000))
                .put("protectedHeader", new JsonObject().put("alg", "HS256")).put("es256", "bo"), answer("jwt"));
    }

    @Test
    void itty_router_routes_with_params_and_queries() {
        platform.createVal(token, "itty", """
                import { Router, error, json } from "npm:itty-router@5.0.24";
                const router = Router();
                router.get("/todos/:id", ({ params, query }) => json({ id: params.id, q: query.q }));
                router.all("*", () => error(404));
                export default (req) => router.fetch(req);
                """);

        var todo = platform.get("/v/ann/itty/todos/3?q=z");
        assertEquals(200, todo.status(), todo.body());
        assertEquals("{\"id\":\"3\",\"q\":\"z\"}", todo.body());
        assertEquals("application/json; charset=utf-8", todo.header("content-type"));
        var missing = platform.get("/v/ann/itty/nope");
        assertEquals(404, missing.status());
        assertEquals("{\"status\":404,\"error\":\"Not Found\"}", missing.body());
    }

    @Test
    void ulid_encodes_and_decodes_time() {
        platform.createVal(token, "ulids", """
                import { decodeTime, isValid, ulid } from "npm:ulid@3.0.2";
                export default () => {
                  const id = ulid(1700000000000);
                  return Response.json({ length: id.length, time: id.slice(0, 10), decoded: decodeTime(id), valid: isValid(id) });
                };
                """);

        assertEquals(new JsonObject().put("length", 26).put("time", "01HF7YAT00").put("decoded", 1700000000000L).put("valid", true),
                answer("ulids"));
    }

    @Test
    void an_esm_sh_url_and_an_npm_specifier_of_the_same_version_are_one_module_instance() {
        platform.createVal(token, "esm-sh", """
                import ms from "https://esm.sh/ms@2.1.3";
                import again from "npm:ms@2.1.3";
                export default () => Response.json({ day: ms("1d"), same: ms === again });
                """);

        assertEquals(new JsonObject().put("day", 86_400_000).put("same", true), answer("esm-sh"));
    }

    @Test
    void a_val_importing_another_val_gets_the_packages_each_version_locked() {
        String bo = platform.createUser("bo");
        platform.createVal(bo, "duration", """
                import ms from "npm:ms@2.1.3";
                export const minutes = (n: number) => ms(n * 60_000, { long: true });""");
        platform.createVal(token, "uses-duration", """
                import { minutes } from "val:bo/duration";
                import { nanoid } from "npm:nanoid@5.1.12";
                export default () => Response.json({ text: minutes(3), id: nanoid(5).length });
                """);

        assertEquals(new JsonObject().put("text", "3 minutes").put("id", 5), answer("uses-duration"));
    }

    private static JsonObject answer(String val) {
        var reply = platform.get("/v/ann/" + val);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }
}
