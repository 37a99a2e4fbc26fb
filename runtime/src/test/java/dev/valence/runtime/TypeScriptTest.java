package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Vals saved as TypeScript: compiled on save, refused with the source's line and column, run as JavaScript. */
class TypeScriptTest {
    static TestPlatform platform;
    static String token;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("typescript");
        token = platform.adminToken;
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static final String TYPED = """
            import type { Thing } from "val:admin/does-not-exist";
            interface Point { x: number; y: number }
            type Pair<T> = [T, T];
            enum Color { Red, Green = 5, Blue }
            function first<T>(pair: Pair<T>): T { return pair[0]; }
            class Box<T> {
              constructor(private readonly value: T) {}
              get(): T { return this.value; }
            }
            export default async (req: Request): Promise<Response> => {
              const p = { x: 3, y: 4 } as Point;
              const raw: unknown = '{"n": 7}';
              const parsed = JSON.parse(raw as string) as { n: number };
              return Response.json({
                length: Math.hypot(p.x, p.y),
                first: first<string>(['a', 'b']),
                color: Color.Blue,
                name: Color[5],
                boxed: new Box<number>(parsed.n).get(),
                nonNull: parsed!.n,
              });
            };""";

    @Test
    void typescript_with_annotations_interfaces_generics_enums_as_and_type_only_imports_runs() {
        platform.createVal(token, "typed", TYPED);
        var reply = platform.get("/v/admin/typed");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject().put("length", 5).put("first", "a").put("color", 6).put("name", "Green")
                .put("boxed", 7).put("nonNull", 7), reply.json());
    }

    @Test
    void the_api_returns_the_source_as_written_not_the_compiled_javascript() {
        platform.createVal(token, "kept", TYPED);
        assertEquals(TYPED, platform.get("/api/v1/vals/admin/kept", token).json().getString("code"));
        assertEquals(TYPED, platform.get("/api/v1/vals/admin/kept/versions/1", token).json().getString("code"));
    }

    @Test
    void a_typescript_syntax_error_is_refused_at_save_with_its_line_and_column() {
        var reply = platform.post("/api/v1/vals", token, new JsonObject().put("name", "broken-ts").put("code", """
                interface A { x: number }
                export default (req: Request) => {
                  const a: A = { x: 1 ;
                  return new Response('x');
                };""").encode());
        assertEquals(400, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("syntax_error", error.getString("code"));
        assertEquals(3, error.getInteger("line"));
        assertEquals(23, error.getInteger("column"));
        assertEquals("Syntax error at line 3, column 23: Unexpected token, expected \",\"", error.getString("message"));
        assertEquals(404, platform.get("/api/v1/vals/admin/broken-ts", token).status());
    }

    @Test
    void a_javascript_error_the_compiler_lets_through_is_still_refused_with_its_line() {
        var reply = platform.post("/api/v1/vals", token, new JsonObject().put("name", "broken-js").put("code", """
                const ok: number = 1;
                class { }
                export default () => new Response('x');""").encode());
        assertEquals(400, reply.status(), reply.body());
        assertEquals(2, reply.json().getJsonObject("error").getInteger("line"));
    }

    @Test
    void a_runtime_error_points_at_the_line_of_the_typescript_source() {
        platform.createVal(token, "ts-thrower", """
                interface Config {
                  name: string;
                  retries: number;
                }
                type Maybe<T> = T | null;

                export default (req: Request): Response => {
                  const config: Maybe<Config> = null;
                  return new Response((config as any).name);
                };""");
        var reply = platform.get("/v/admin/ts-thrower");
        assertEquals(500, reply.status());
        var error = reply.json().getJsonObject("error");
        assertEquals("TypeError: Cannot read property 'name' of null", error.getString("message"));
        assertEquals(9, error.getInteger("line"));
        var run = platform.get("/api/v1/vals/admin/ts-thrower/runs", token).json().getJsonArray("data").getJsonObject(0);
        assertTrue(run.getString("error").contains("admin/ts-thrower@1.mjs:9"), run.getString("error"));
    }

    @Test
    void plain_javascript_passes_through_unchanged_in_behaviour() {
        platform.createVal(token, "plain-js", """
                const xs = [3, 1, 2];
                export default async function handler(req) {
                  const sorted = [...xs].sort((a, b) => a - b);
                  return Response.json({ sorted, lt: 1 < 2, gt: 3 > 2, regex: /a<b>c/.test('a<b>c') });
                }""");
        assertEquals(new JsonObject().put("sorted", new io.vertx.core.json.JsonArray().add(1).add(2).add(3))
                .put("lt", true).put("gt", true).put("regex", true), platform.get("/v/admin/plain-js").json());
    }
}
