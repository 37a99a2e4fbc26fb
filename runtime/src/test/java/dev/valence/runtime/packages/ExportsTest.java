package dev.valence.runtime.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportsTest {
    private static final Set<String> FILES = Set.of("package.json", "index.js", "lib/main.cjs", "esm/index.mjs", "esm/a.mjs",
            "esm/deep/b.mjs", "deno.js", "browser.js", "src/ms.js", "legacy/index.js", "data.json");

    private static Optional<String> resolve(String manifest, String subpath) {
        return Exports.resolve(new JsonObject(manifest), subpath, FILES);
    }

    @Test
    void conditions_are_taken_in_the_packages_own_order_among_the_engines_conditions() {
        assertEquals(Optional.of("deno.js"), resolve("{\"exports\":{\"types\":\"./x.d.ts\",\"deno\":\"./deno.js\",\"browser\":\"./browser.js\"}}", "."));
        assertEquals(Optional.of("browser.js"), resolve("{\"exports\":{\"node\":\"./lib/main.cjs\",\"browser\":\"./browser.js\",\"deno\":\"./deno.js\"}}", "."));
        assertEquals(Optional.of("esm/index.mjs"),
                resolve("{\"exports\":{\".\":{\"require\":\"./lib/main.cjs\",\"import\":{\"types\":\"./x.d.ts\",\"default\":\"./esm/index.mjs\"}}}}", "."));
    }

    @Test
    void a_commonjs_only_package_gets_its_require_file_and_a_string_exports_is_the_package_itself() {
        assertEquals(Optional.of("lib/main.cjs"), resolve("{\"exports\":{\"require\":\"./lib/main.cjs\"}}", "."));
        assertEquals(Optional.of("esm/index.mjs"), resolve("{\"exports\":\"./esm/index.mjs\"}", "."));
        assertEquals(Optional.empty(), resolve("{\"exports\":\"./esm/index.mjs\"}", "./other"));
    }

    @Test
    void star_patterns_substitute_and_the_longest_prefix_wins_and_null_excludes() {
        String manifest = "{\"exports\":{\"./*\":\"./esm/*.mjs\",\"./deep/*\":\"./esm/deep/*.mjs\",\"./a\":null}}";
        assertEquals(Optional.of("esm/index.mjs"), resolve(manifest, "./index"));
        assertEquals(Optional.of("esm/deep/b.mjs"), resolve(manifest, "./deep/b"));
        assertEquals(Optional.empty(), resolve(manifest, "./a"));
        assertEquals(Optional.empty(), resolve(manifest, "./missing"));
    }

    @Test
    void without_exports_module_then_main_then_index_and_subpaths_are_probed_like_node() {
        assertEquals(Optional.of("esm/index.mjs"), resolve("{\"module\":\"./esm/index.mjs\",\"main\":\"./lib/main.cjs\"}", "."));
        assertEquals(Optional.of("src/ms.js"), resolve("{\"main\":\"./src/ms\"}", "."));
        assertEquals(Optional.of("index.js"), resolve("{\"main\":\"./gone.js\"}", "."));
        assertEquals(Optional.of("legacy/index.js"), resolve("{}", "./legacy"));
        assertEquals(Optional.of("data.json"), resolve("{}", "./data"));
        assertEquals(Optional.empty(), resolve("{}", "./nothing"));
    }
}
