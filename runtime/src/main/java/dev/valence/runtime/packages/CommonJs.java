package dev.valence.runtime.packages;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CommonJS files served as ES modules, as Node and Deno load them. Each file becomes two modules: one that
 * imports what the file's literal {@code require}s name and then registers the file's code, wrapped in Node's
 * module function, with the CommonJS runtime (js/node/cjs.js); and a facade whose default export is
 * {@code module.exports} and whose named exports are the names cjs-module-lexer would find in the code.
 */
final class CommonJs {
    /** Where the CommonJS runtime (js/node/cjs.js) is served. */
    static final String RUNTIME = "/npm/.cjs.mjs";
    /** A CommonJS {@code require("literal")} call. */
    private static final Pattern REQUIRE = Pattern.compile("(?<![\\w$.])require\\s*\\(\\s*(['\"])([^'\"\\\\\\n]+)\\1\\s*\\)");
    /** {@code exports.name =} and {@code module.exports.name =}: the names cjs-module-lexer detects first. */
    private static final Pattern EXPORT_ASSIGN = Pattern.compile("(?<![\\w$.])(?:module\\.)?exports\\.([A-Za-z_$][\\w$]*)\\s*=(?!=)");
    private static final Pattern DEFINE_EXPORT = Pattern.compile(
            "Object\\.defineProperty\\(\\s*(?:module\\.)?exports\\s*,\\s*['\"]([A-Za-z_$][\\w$]*)['\"]");
    private static final Pattern REEXPORT = Pattern.compile("module\\.exports\\s*=\\s*require\\s*\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)");
    private static final Pattern OBJECT_EXPORT = Pattern.compile("module\\.exports\\s*=\\s*\\{");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][\\w$]*");
    private static final Set<String> RESERVED = Set.of("default", "break", "case", "catch", "class", "const", "continue", "debugger",
            "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
            "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
            "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected", "public",
            "await", "arguments", "eval", "__esModule");
    /** {@code Buffer} named in code: CommonJS files that do get Node's Buffer global, as npm packages do in Deno. */
    private static final Pattern BUFFER_GLOBAL = Pattern.compile("(?<![\\w$.])Buffer(?![\\w$])");

    /** A literal require of a file, the path its target is served at, and how that target is served. */
    record Required(String specifier, String target, PackageFiles.Format format) {}

    private CommonJs() {}

    /** The distinct specifiers of the file's literal requires, in the order they appear. */
    static Set<String> requires(String source) {
        var specifiers = new LinkedHashSet<String>();
        Matcher require = REQUIRE.matcher(source);
        while (require.find()) specifiers.add(require.group(2));
        return specifiers;
    }

    static boolean usesBuffer(String source) {
        return BUFFER_GLOBAL.matcher(source).find();
    }

    /**
     * The module registering the file's factory (its code, wrapped in Node's function) after importing what its
     * literal requires name, so a require finds them registered. A require that names nothing the lock holds is
     * left out of {@code required} and throws when it runs, as in Node.
     *
     * @param bufferPath where node:buffer is served when the code names Buffer (see {@link #usesBuffer}), else null
     */
    static String define(String path, String source, List<Required> required, String bufferPath) {
        // imported under a name no CommonJS code uses: UMD wrappers test for an AMD "define" and must not find this one
        var header = new StringBuilder("import { define as __valenceDefine } from \"" + RUNTIME + "\";");
        if (bufferPath != null) {
            // Node's Buffer global, as Deno gives npm packages: a module-level let, so the factory's code may declare or assign its own
            header.append(" import { Buffer as __valenceBuffer } from ").append(quote(bufferPath)).append("; let Buffer = __valenceBuffer;");
        }
        var dependencies = new StringBuilder("{");
        int n = 0;
        for (Required r : required) {
            if (r.format() == PackageFiles.Format.CJS) {
                header.append(" import \"/cjs").append(r.target()).append("\";");
                dependencies.append(quote(r.specifier())).append(": ").append(quote(r.target())).append(", ");
            } else {
                header.append(" import * as __valence").append(n).append(" from ").append(quote(r.target())).append(";");
                // ESM is required as its namespace (Node 22's require of ESM); JSON and built-ins as their default
                dependencies.append(quote(r.specifier())).append(": [").append(r.format() == PackageFiles.Format.ESM ? 0 : 1)
                        .append(", __valence").append(n).append("], ");
                n++;
            }
        }
        dependencies.append("}");
        String code = source.startsWith("#!") ? "//" + source : source;
        return header + " __valenceDefine(" + quote(path) + ", " + dependencies + ", function (exports, require, module, __filename,"
                + " __dirname, global, process) {\n" + code + "\n});\n";
    }

    /** The facade importers of a CommonJS file get: module.exports as default, the detected names as named exports. */
    static String facade(String path, Set<String> names) {
        // the runtime's function under a name no detected export can take (names starting __valence are left out)
        var out = new StringBuilder("import \"/cjs" + path + "\"; import { load as __valenceLoad } from \"" + RUNTIME + "\";\n");
        out.append("const __valenceExports = __valenceLoad(").append(quote(path)).append(");\n");
        out.append("export default __valenceExports;\n");
        if (!names.isEmpty()) {
            out.append("const __valenceObject = Object(__valenceExports);\nexport const ");
            out.append(String.join(", ", names.stream().map(name -> name + " = __valenceObject." + name).toList())).append(";\n");
        }
        return out.toString();
    }

    /** The names the file's own code exports: assignments to exports, defineProperty on it, and object literal keys. */
    static Set<String> ownNames(String source) {
        var names = new LinkedHashSet<String>();
        for (Pattern pattern : List.of(EXPORT_ASSIGN, DEFINE_EXPORT)) {
            Matcher m = pattern.matcher(source);
            while (m.find()) names.add(m.group(1));
        }
        Matcher object = OBJECT_EXPORT.matcher(source);
        while (object.find()) names.addAll(objectKeys(source, object.end()));
        return names;
    }

    /** The specifiers of {@code module.exports = require("...")}: files whose names this one exports too. */
    static List<String> reexports(String source) {
        var specifiers = new ArrayList<String>();
        Matcher reexport = REEXPORT.matcher(source);
        while (reexport.find()) specifiers.add(reexport.group(2));
        return specifiers;
    }

    /** The names an ES module can export: no reserved words, none of the facade's own, only identifiers. */
    static Set<String> exportable(Set<String> names) {
        var kept = new LinkedHashSet<>(names);
        kept.removeIf(name -> RESERVED.contains(name) || name.startsWith("__valence") || !IDENTIFIER.matcher(name).matches());
        return kept;
    }

    /** The keys of {@code module.exports = { a, b: 1, c() {} }}, read from just after its brace. */
    static List<String> objectKeys(String source, int from) {
        var keys = new ArrayList<String>();
        int depth = 0;
        boolean expectKey = true;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                int end = source.indexOf(c, i + 1);
                if (end < 0) break;
                if (depth == 0 && expectKey) {
                    String key = source.substring(i + 1, end);
                    if (IDENTIFIER.matcher(key).matches()) keys.add(key);
                    expectKey = false;
                }
                i = end;
            } else if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                if (depth == 0) break;
                depth--;
            } else if (depth == 0 && c == ',') {
                expectKey = true;
            } else if (depth == 0 && expectKey && (Character.isJavaIdentifierStart(c))) {
                int end = i;
                while (end < source.length() && Character.isJavaIdentifierPart(source.charAt(end))) end++;
                String word = source.substring(i, end);
                if (word.equals("get") || word.equals("set") || word.equals("async")) {
                    i = end - 1;
                    continue;
                }
                keys.add(word);
                expectKey = false;
                i = end - 1;
            } else if (depth == 0 && c == '.' && source.startsWith("...", i)) {
                expectKey = false; // a spread adds keys no lexer can know
                i += 2;
            }
        }
        return keys;
    }

    static String quote(String text) {
        return io.vertx.core.json.Json.encode(text);
    }
}
