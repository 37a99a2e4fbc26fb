package dev.valence.runtime.engine.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
