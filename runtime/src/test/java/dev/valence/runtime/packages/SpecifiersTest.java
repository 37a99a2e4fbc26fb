package dev.valence.runtime.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SpecifiersTest {
    private static Specifier.Npm npm(String source, String name, String range, String subpath, Map<String, String> pins) {
        return new Specifier.Npm(source, name, range, subpath, new TreeMap<>(pins));
    }

    private static String refusal(String source) {
        return assertThrows(PackageException.class, () -> Specifiers.parse(source)).getMessage();
    }

    @Test
    void npm_imports_give_name_range_and_subpath_scoped_or_not() {
        assertEquals(Optional.of(npm("npm:hono", "hono", "latest", ".", Map.of())), Specifiers.parse("npm:hono"));
        assertEquals(Optional.of(npm("npm:hono@4", "hono", "4", ".", Map.of())), Specifiers.parse("npm:hono@4"));
        assertEquals(Optional.of(npm("npm:hono@^4.6.1/cors", "hono", "^4.6.1", "./cors", Map.of())), Specifiers.parse("npm:hono@^4.6.1/cors"));
        assertEquals(Optional.of(npm("npm:hono/jsx/dom", "hono", "latest", "./jsx/dom", Map.of())), Specifiers.parse("npm:hono/jsx/dom"));
        assertEquals(Optional.of(npm("npm:@hono/zod-validator", "@hono/zod-validator", "latest", ".", Map.of())),
                Specifiers.parse("npm:@hono/zod-validator"));
        assertEquals(Optional.of(npm("npm:@scope/pkg@~1.2/sub/file.js", "@scope/pkg", "~1.2", "./sub/file.js", Map.of())),
                Specifiers.parse("npm:@scope/pkg@~1.2/sub/file.js"));
        assertEquals(Optional.of(npm("npm:preact@next", "preact", "next", ".", Map.of())), Specifiers.parse("npm:preact@next"));
        assertEquals(Optional.of(npm("npm:preact@>=10 <11", "preact", ">=10 <11", ".", Map.of())), Specifiers.parse("npm:preact@>=10 <11"));
    }

    @Test
    void esm_sh_urls_give_the_same_parts_and_honour_deps_pins() {
        assertEquals(Optional.of(npm("https://esm.sh/preact@10.24.3", "preact", "10.24.3", ".", Map.of())),
                Specifiers.parse("https://esm.sh/preact@10.24.3"));
        assertEquals(Optional.of(npm("https://esm.sh/@preact/signals@1/core", "@preact/signals", "1", "./core", Map.of())),
                Specifiers.parse("https://esm.sh/@preact/signals@1/core"));
        String pinned = "https://esm.sh/preact-render-to-string@6.5.13?deps=preact@10.24.3,@scope/x@%5E2";
        assertEquals(Optional.of(npm(pinned, "preact-render-to-string", "6.5.13", ".", Map.of("preact", "10.24.3", "@scope/x", "^2"))),
                Specifiers.parse(pinned));
    }

    @Test
    void imports_that_name_no_package_are_left_to_the_val_loader() {
        assertEquals(Optional.empty(), Specifiers.parse("./helper.ts"));
        assertEquals(Optional.empty(), Specifiers.parse("https://example.com/mod.js"));
        assertEquals(Optional.empty(), Specifiers.parse("std/blob"));
    }

    @Test
    void node_built_ins_are_classified() {
        assertEquals(Optional.of(new Specifier.NodeBuiltin("node:buffer", "buffer")), Specifiers.parse("node:buffer"));
        assertEquals(Optional.of(new Specifier.NodeBuiltin("node:stream/web", "stream")), Specifiers.parse("node:stream/web"));
        assertEquals("node:fs is refused: vals have no file system; keep data with std/blob instead.", refusal("node:fs"));
        assertEquals("node:fs is refused: vals have no file system; keep data with std/blob instead.", refusal("node:fs/promises"));
        assertEquals("node:child_process is refused: vals cannot start processes.", refusal("node:child_process"));
        assertEquals("node:net is refused: vals cannot open raw sockets; use fetch instead.", refusal("node:net"));
        assertEquals("node:worker_threads is refused: vals cannot start threads; split the work into several vals or runs instead.",
                refusal("node:worker_threads"));
        assertEquals("node:http2 is not a built-in vals can import; they are node:buffer, node:crypto, node:events, node:path,"
                + " node:process, node:stream, node:string_decoder, node:url, node:util.", refusal("node:http2"));
    }

    @Test
    void esm_sh_parameters_other_than_deps_are_refused_with_a_sentence() {
        assertEquals("https://esm.sh/preact@10?target=es2022: esm.sh's ?target parameter is not supported, because packages are resolved"
                + " from the npm registry itself and only ?deps= (pinning dependencies) applies; remove ?target.",
                refusal("https://esm.sh/preact@10?target=es2022"));
        assertEquals("https://esm.sh/preact@10?deps=preact@10&bundle: esm.sh's ?bundle parameter is not supported, because packages are"
                + " resolved from the npm registry itself and only ?deps= (pinning dependencies) applies; remove ?bundle.",
                refusal("https://esm.sh/preact@10?deps=preact@10&bundle"));
        assertEquals("https://esm.sh/x@1?deps=preact: the ?deps= pin \"preact\" names no version; write it as name@version, for example"
                + " preact@1.2.3.", refusal("https://esm.sh/x@1?deps=preact"));
        assertEquals("https://esm.sh/v135/preact@10: esm.sh build prefixes such as /v135/ do not apply, because packages are resolved from"
                + " the npm registry itself; import https://esm.sh/preact@10 instead.", refusal("https://esm.sh/v135/preact@10"));
    }

    @Test
    void bad_names_ranges_and_subpaths_are_refused_with_a_sentence() {
        assertEquals("npm:Preact: \"Preact\" is not an npm package name (lower-case letters, digits and - . _ ~, at most 214 characters,"
                + " optionally after @scope/); check its spelling on the registry.", refusal("npm:Preact"));
        assertEquals("npm:@scope: @scope is a scope without a package name; write @scope/name.", refusal("npm:@scope"));
        assertEquals("npm:preact@^^1: \"^^1\" is neither a version range nor a dist-tag for preact; write a range such as preact@^1.2.0 or"
                + " a tag such as preact@latest.", refusal("npm:preact@^^1"));
        assertEquals("npm:preact@: the version after \"preact@\" is empty; write a range such as preact@^1.2.0, or leave out the @ for"
                + " the latest version.", refusal("npm:preact@"));
        assertEquals("npm:preact@10/../x: \"/../x\" is not a file path inside the package; name a subpath such as preact/jsx.",
                refusal("npm:preact@10/../x"));
    }
}
