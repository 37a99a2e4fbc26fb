package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vals saved as TypeScript or TSX: compiled on save, refused with the source's line and column, run as
 * JavaScript. Samples under deno-oracle/typescript are compared with what Deno 2.9 answers for them.
 */
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

    /** A sample of deno-oracle/typescript: the val's code, or (for NAME.deno.txt) what Deno printed for it. */
    static String oracle(String file) {
        try (InputStream in = TypeScriptTest.class.getResourceAsStream("/deno-oracle/typescript/" + file)) {
            if (in == null) throw new IllegalStateException("missing test resource deno-oracle/typescript/" + file);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return file.endsWith(".deno.txt") ? text.stripTrailing() : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Saves a val whose code needs the fallback compiler. The first such save in a runtime loads Babel
     * (seconds on a quiet machine, more while other builds share its two cores), so it may take longer
     * than the usual 30-second client timeout; TsCompilerTest measures that cost.
     */
    static void createValNeedingBabel(String name, String code) {
        var request = HttpRequest.newBuilder(URI.create(platform.baseUrl + "/api/v1/vals")).timeout(Duration.ofMinutes(3))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", name).put("code", code).encode())).build();
        var reply = platform.send(request);
        assertEquals(201, reply.status(), reply.body());
    }

    @Test
    void runtime_namespaces_and_module_blocks_run_as_in_deno() {
        createValNeedingBabel("namespaces", oracle("namespaces.ts"));
        var reply = platform.get("/v/admin/namespaces");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(oracle("namespaces.deno.txt"), reply.body());
    }

    @Test
    void tc39_decorators_on_classes_methods_fields_and_accessors_run_as_in_deno() {
        createValNeedingBabel("decorators", oracle("decorators.ts"));
        var reply = platform.get("/v/admin/decorators");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(oracle("decorators.deno.txt"), reply.body());
    }

    @Test
    void a_tsx_val_with_classic_jsx_pragmas_renders_html_as_in_deno() {
        platform.createVal(token, "jsx-page", oracle("jsx.tsx"));
        var reply = platform.get("/v/admin/jsx-page");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("text/html; charset=utf-8", reply.headers().firstValue("content-type").orElse(""));
        assertEquals(oracle("jsx.deno.txt"), reply.body());
    }

    @Test
    void jsx_uses_a_factory_imported_from_another_val_by_its_per_file_url() {
        platform.createVal(token, "tiny-jsx", """
                export function h(tag: string, props: Record<string, string> | null, ...children: string[]): string {
                  const attrs = Object.entries(props ?? {}).map(([k, v]) => ` ${k}="${v}"`).join("");
                  return `<${tag}${attrs}>${children.join("")}</${tag}>`;
                }
                export const Fragment = "fragment";""");
        platform.createVal(token, "uses-tiny-jsx", """
                /** @jsx h */
                import { h } from "https://esm.town/v/admin/tiny-jsx/main.tsx";
                export default (req: Request) => new Response(<p id="x">hello <b>{"world"}</b></p>);""");
        assertEquals("<p id=\"x\">hello <b>world</b></p>", platform.get("/v/admin/uses-tiny-jsx").body());
    }

    @Test
    void jsx_without_a_pragma_calls_react_create_element_as_deno_does() {
        platform.createVal(token, "react-default", """
                const React = {
                  createElement: (tag: unknown, props: unknown, ...children: unknown[]) => ({ tag: typeof tag === "string" ? tag : "fragment", props, children }),
                  Fragment: Symbol("fragment"),
                };
                export default () => Response.json(<><i a="1">x</i></>);""");
        assertEquals(new JsonObject("""
                {"tag":"fragment","props":null,"children":[{"tag":"i","props":{"a":"1"},"children":["x"]}]}"""),
                platform.get("/v/admin/react-default").json());
    }

    @Test
    void a_runtime_error_in_a_tsx_val_points_at_the_line_of_the_source() {
        platform.createVal(token, "tsx-thrower", """
                /** @jsx h */
                const h = (tag: any, props: any, ...children: any[]) => typeof tag === "function" ? tag(props) : { tag, props, children };
                function Price({ cents }: { cents: number }) {
                  const shown = <span class="price">{(cents / 100).toFixed(2)}</span>;
                  if (cents < 0) {
                    throw new RangeError(`negative price: ${cents}`);
                  }
                  return shown;
                }
                export default (req: Request): Response => Response.json(<Price cents={-5} />);""");
        var reply = platform.get("/v/admin/tsx-thrower");
        assertEquals(500, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("RangeError: negative price: -5", error.getString("message"));
        assertEquals(6, error.getInteger("line"));
        var run = platform.get("/api/v1/vals/admin/tsx-thrower/runs", token).json().getJsonArray("data").getJsonObject(0);
        assertTrue(run.getString("error").contains("admin/tsx-thrower@1.mjs:6"), run.getString("error"));
        assertTrue(run.getString("error").contains("admin/tsx-thrower@1.mjs:10"), run.getString("error"));
    }

    @Test
    void a_runtime_error_in_a_decorated_method_points_at_the_line_of_the_source() {
        createValNeedingBabel("decorated-thrower", """
                function traced(method: any, context: ClassMethodDecoratorContext) {
                  return function (this: any, ...args: any[]) {
                    return method.apply(this, args);
                  };
                }
                class Account {
                  @traced
                  withdraw(amount: number): number {
                    throw new Error(`cannot withdraw ${amount}`);
                  }
                }
                export default () => new Response(String(new Account().withdraw(3)));""");
        var reply = platform.get("/v/admin/decorated-thrower");
        assertEquals(500, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("Error: cannot withdraw 3", error.getString("message"));
        assertEquals(9, error.getInteger("line"));
    }

    @Test
    void an_automatic_jsx_runtime_pragma_is_refused_at_save_naming_the_import_it_needs() {
        var reply = platform.post("/api/v1/vals", token, new JsonObject().put("name", "react-page").put("code", """
                import { renderToString } from "npm:react-dom/server";

                /** @jsxImportSource https://cdn.example.com/react */
                export default () => new Response(renderToString(<h1>hi</h1>));""").encode());
        assertEquals(400, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("unsupported_import", error.getString("code"));
        assertEquals("The @jsxImportSource pragma on line 3 makes this val import \"https://cdn.example.com/react/jsx-runtime\" for its"
                + " JSX, which cannot be imported: a val can import other vals (val:owner/name or https://esm.town/v/owner/name,"
                + " optionally pinned with ?v=N), std/blob and std/email, npm packages (npm:name@range or https://esm.sh/name@range)"
                + " and node: built-ins, nothing else. Name a package (for example npm:preact or npm:hono/jsx), or use the classic"
                + " runtime: put /** @jsx h */ (and /** @jsxFrag Fragment */) at the top, with h and Fragment defined in the val or"
                + " imported.",
                error.getString("message"));
        assertEquals(3, error.getInteger("line"));
        assertEquals(404, platform.get("/api/v1/vals/admin/react-page", token).status());
    }

    @Test
    void generic_arrow_functions_and_angle_bracket_assertions_still_compile_as_typescript() {
        platform.createVal(token, "generics", """
                const identity = <T>(x: T): T => x;
                const pair = <A, B>(a: A, b: B): [A, B] => [a, b];
                const raw: unknown = "text";
                const length = (<string>raw).length;
                export default () => Response.json({ id: identity<number>(4), pair: pair("a", 1), length, less: 1 < 2 });""");
        assertEquals(new JsonObject().put("id", 4).put("pair", new io.vertx.core.json.JsonArray().add("a").add(1))
                .put("length", 4).put("less", true), platform.get("/v/admin/generics").json());
    }

    @Test
    void a_jsx_closing_tag_that_does_not_match_is_refused_with_its_line_and_column() {
        var reply = platform.post("/api/v1/vals", token, new JsonObject().put("name", "bad-jsx").put("code", """
                /** @jsx h */
                const h = (...args: unknown[]) => args;
                export default () => Response.json(<div>
                  text</span>);""").encode());
        assertEquals(400, reply.status(), reply.body());
        var error = reply.json().getJsonObject("error");
        assertEquals("Syntax error at line 4, column 7: Expected corresponding JSX closing tag for <div>.", error.getString("message"));
    }
}
