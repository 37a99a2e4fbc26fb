package dev.valence.runtime.engine.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The save-time compiler on its own: output, imports, error positions, cost. */
class TsCompilerTest {
    static TsCompiler compiler;
    static long coldMs;

    @BeforeAll
    static void start() throws Exception {
        compiler = new TsCompiler();
        long start = System.nanoTime();
        compiler.compile("cold", "export default (req: Request) => new Response('x');");
        coldMs = (System.nanoTime() - start) / 1_000_000;
    }

    @AfterAll
    static void stop() {
        compiler.close();
    }

    @Test
    void types_are_removed_and_lines_stay_where_they_were() throws Exception {
        var compiled = compiler.compile("a/b", """
                import type { T } from "val:a/types";
                interface P { x: number }
                export const f = (p: P): number => p.x as number;""");
        assertEquals("\n\nexport const f = (p) => p.x ;", compiled.code());
        assertEquals(List.of(), compiled.imports(), "type-only imports are gone");
    }

    @Test
    void imports_are_listed_static_re_exports_and_literal_dynamic_ones() throws Exception {
        var compiled = compiler.compile("a/b", """
                import { x } from "val:a/x";
                export { y } from "https://esm.town/v/a/y?v=2";
                import "std/blob";
                const m = await import("val:a/dyn");
                const n = await import(someVariable);
                export default () => x;""");
        assertEquals(List.of("val:a/x", "https://esm.town/v/a/y?v=2", "std/blob", "val:a/dyn"), compiled.imports());
    }

    @Test
    void re_exports_are_imports_too() throws Exception {
        assertEquals(List.of("val:a/x", "std/blob"), compiler.compile("a/b", "export { x } from 'val:a/x';\nexport * from \"std/blob\";").imports());
    }

    @Test
    void errors_carry_the_source_line_and_column() {
        var error = assertThrows(TsCompiler.CompileError.class, () -> compiler.compile("a/b", "let ok = 1;\nlet x: number = foo bar;"));
        assertEquals(2, error.line());
        assertEquals(20, error.column());
        assertEquals("Missing semicolon.", error.getMessage());
    }

    @Test
    void compiling_a_typical_val_is_measured_and_stays_well_under_a_second_once_warm() throws Exception {
        String source = """
                import { blob } from "std/blob";
                interface Visit { path: string; at: number }
                enum Kind { Page, Api }
                export default async (req: Request): Promise<Response> => {
                  const url = new URL(req.url);
                  const kind: Kind = url.pathname.startsWith('/api') ? Kind.Api : Kind.Page;
                  const visits = ((await blob.getJSON('visits')) ?? []) as Visit[];
                  visits.push({ path: url.pathname, at: Date.now() });
                  await blob.setJSON('visits', visits.slice(-100));
                  return Response.json({ kind, count: visits.length });
                };""";
        for (int i = 0; i < 200; i++) compiler.compile("warm", source);
        int runs = 200;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) compiler.compile("measured", source);
        double meanMs = (System.nanoTime() - start) / 1e6 / runs;
        System.out.printf("TsCompiler: first compile %d ms, then %.2f ms per compile (mean of %d, %d-character val)%n",
                coldMs, meanMs, runs, source.length());
        assertTrue(meanMs < 1000, "mean " + meanMs + " ms");
    }

    static final String TSX = """
            /** @jsx h */
            /** @jsxFrag Fragment */
            import { h, Fragment } from "https://esm.town/v/alice/jsx/main.ts";
            const first = <T,>(xs: T[]): T => xs[0];
            export default (req: Request) => new Response(<>
              <h1 class="title">{first(["a"])}</h1>
            </>);""";

    static final String NAMESPACE_AND_DECORATOR = """
            namespace Units {
              export const scale: number = 10;
            }
            function logged(method: any, context: ClassMethodDecoratorContext) {
              return function (this: any, ...args: any[]) { return method.apply(this, args); };
            }
            class Meter {
              @logged
              read(): number { return Units.scale; }
            }
            export default () => new Response(String(new Meter().read()));""";

    @Test
    void code_that_is_not_typescript_but_tsx_is_compiled_as_tsx_and_keeps_its_lines() throws Exception {
        var compiled = compiler.compile("a/b", TSX);
        assertEquals(List.of("https://esm.town/v/alice/jsx/main.ts"), compiled.imports(), "the factory's import is kept");
        String[] lines = compiled.code().split("\n", -1);
        assertEquals(7, lines.length);
        assertTrue(lines[3].startsWith("const first = (xs) => xs[0];"), lines[3]);
        assertTrue(lines[4].contains("h(Fragment, null"), lines[4]);
        assertTrue(lines[5].contains("h('h1', { class: \"title\",}, first([\"a\"]))"), lines[5]);
    }

    @Test
    void namespaces_and_decorators_are_compiled_by_babel_keeping_their_lines() throws Exception {
        String[] lines = compiler.compile("a/b", NAMESPACE_AND_DECORATOR).code().split("\n", -1);
        assertEquals(11, lines.length);
        assertTrue(lines[0].contains("(Units || (Units = {}))") || lines[1].contains("_Units.scale = 10"), String.join("\n", lines));
        assertTrue(lines[8].contains("read() {return Units.scale;}"), lines[8]);
        assertTrue(lines[10].startsWith("export default () => new Response(String(new Meter().read()));"), lines[10]);
    }

    @Test
    void an_automatic_jsx_runtime_import_is_refused_as_an_unsupported_import() {
        var error = assertThrows(TsCompiler.CompileError.class, () -> compiler.compile("a/b",
                "// @jsxImportSource https://cdn.example.com/preact\nexport default () => <p/>;"));
        assertEquals(TsCompiler.Problem.UNSUPPORTED_IMPORT, error.problem());
        assertEquals(1, error.line());
        assertTrue(error.getMessage().contains("import \"https://cdn.example.com/preact/jsx-runtime\" for its JSX"), error.getMessage());
    }

    @Test
    void the_fallback_compiler_is_loaded_on_first_need_only() throws Exception {
        try (var fresh = new TsCompiler()) {
            long start = System.nanoTime();
            fresh.compile("cold", "export default (req: Request) => new Response('x');");
            long sucraseColdMs = (System.nanoTime() - start) / 1_000_000;
            assertFalse(fresh.babelBundleRead(), "a val Sucrase compiles does not load Babel");
            start = System.nanoTime();
            fresh.compile("first-babel", NAMESPACE_AND_DECORATOR);
            long babelFirstMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(fresh.babelBundleRead(), "a runtime namespace with decorators needs Babel, read on that first need");
            // what each costs is for the benchmarks to say (a shared machine makes any bound here a coin toss): printed only
            System.out.printf("TsCompiler: first compile %d ms; first namespace/decorator compile (loads Babel) %d ms%n",
                    sucraseColdMs, babelFirstMs);
        }
    }
}
