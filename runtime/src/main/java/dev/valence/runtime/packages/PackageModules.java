package dev.valence.runtime.packages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a val version's {@link Lock} into the modules its context loads, read from PostgreSQL (file contents
 * cached in memory by content hash; nothing on local disk). A package file is served at
 * {@code /npm/name@version/path} with each of its module specifiers pointed at the locked file it means:
 * relative ones at the package's own file (with Node's extension and index probing), bare ones at the
 * dependency the lock gives this package (its package.json "exports" decide the file), {@code node:} ones
 * at the built-ins vals offer. ESM is served as it is but for those specifiers; CommonJS is wrapped so that
 * {@code import x from} gets {@code module.exports} and named imports get the names its code assigns to
 * {@code exports}, as in Node and Deno; JSON is a module whose default export is the parsed value.
 */
public final class PackageModules {
    /**
     * Package files one val may load: lodash-es's index loads about 650 and date-fns's about 300, so 5 000 leaves
     * room for several large libraries while stopping a runaway graph before it fills the heap.
     */
    public static final int MAX_FILES = 5_000;
    /** Raw package file contents kept in memory by content hash: 128 MB holds the libraries a busy instance serves. */
    static final long CACHE_MAX_BYTES = 128L * 1024 * 1024;
    static final String CJS_RUNTIME = "/npm/.cjs.mjs";
    private static final String PROCESS = "/node/process.mjs";
    /** What Node tries after a relative path, in order. */
    private static final List<String> PROBES = List.of("", ".js", ".mjs", ".cjs", ".json", "/index.js", "/index.mjs", "/index.cjs", "/index.json");
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

    private enum Format { ESM, CJS, JSON, BUILTIN }

    private record FileText(String text, String sha256) {}

    private record Lexed(boolean esm, List<Import> imports) {}

    private record Import(int start, int end, String specifier, boolean dynamic) {}

    private final PackageStore store;
    private final Function<String, String> lexer;
    private final Map<String, PackageStore.StoredPackage> packages = new ConcurrentHashMap<>();
    private final Map<String, SortedMap<String, byte[]>> hashes = new ConcurrentHashMap<>();
    private final ContentCache contents = new ContentCache(CACHE_MAX_BYTES);
    private final Map<String, Lexed> lexed = new ConcurrentHashMap<>();

    /** @param lexer es-module-lexer's answer for a JavaScript file (TsCompiler#lex) */
    public PackageModules(PackageStore store, Function<String, String> lexer) {
        this.store = store;
        this.lexer = lexer;
    }

    /**
     * Adds the modules {@code entry} of {@code lock} needs to {@code sources} (path to JavaScript) and returns
     * the path the val's import is served at.
     *
     * @throws PackageException naming the file and the import that cannot be served
     */
    public String load(Lock lock, Lock.Entry entry, Map<String, String> sources) {
        var load = new Load(lock, sources);
        String path = entry.builtin() != null ? load.builtin(entry.builtin().substring("node:".length()), entry.builtin())
                : load.enqueue(entry.packageKey(), entry.file());
        load.drain();
        return path;
    }

    private final class Load {
        final Lock lock;
        final Map<String, String> sources;
        final ArrayDeque<String[]> queue = new ArrayDeque<>();
        final Set<String> queued = new HashSet<>();
        /** Each path resolved in this load, to its package key and file. */
        final Map<String, String[]> located = new HashMap<>();

        Load(Lock lock, Map<String, String> sources) {
            this.lock = lock;
            this.sources = sources;
        }

        String enqueue(String key, String file) {
            String path = servedPath(key, file);
            located.putIfAbsent(path, new String[] {key, file});
            if (!sources.containsKey(path) && queued.add(path)) {
                queue.add(new String[] {key, file});
            }
            return path;
        }

        void drain() {
            while (!queue.isEmpty()) {
                String[] next = queue.poll();
                String path = servedPath(next[0], next[1]);
                if (sources.containsKey(path)) continue;
                if (sources.size() >= MAX_FILES) {
                    throw new PackageException("The val's packages load more than " + MAX_FILES + " files, the limit; import fewer"
                            + " packages or a narrower subpath of one (for example lodash-es/chunk instead of lodash-es).");
                }
                serve(next[0], next[1], path);
            }
        }

        void serve(String key, String file, String path) {
            FileText text = text(key, file);
            switch (format(key, file, text)) {
                case JSON -> sources.put(path, "export default " + text.text().strip() + ";\n");
                case ESM -> sources.put(path, esm(key, file, text));
                case CJS -> {
                    runtime();
                    sources.put("/cjs" + path, cjsDefine(key, file, path, text));
                    sources.put(path, cjsFacade(path, cjsNames(key, file, text, 0)));
                }
                case BUILTIN -> throw new IllegalStateException("a package file is never a built-in");
            }
        }

        /** The ESM file with every specifier the lexer found pointed at the locked file it means. */
        String esm(String key, String file, FileText text) {
            String source = text.text();
            var out = new StringBuilder(source.length() + 256);
            int last = 0;
            for (Import i : lex(text).imports()) {
                if (i.start() < last || i.end() > source.length()) continue;
                String target;
                try {
                    target = resolve(key, file, i.specifier());
                } catch (PackageException e) {
                    if (i.dynamic()) continue; // it fails when (and only if) it runs, as in Node
                    throw e;
                }
                String written = source.substring(i.start(), i.end());
                boolean quoted = !written.isEmpty() && "\"'`".indexOf(written.charAt(0)) >= 0;
                out.append(source, last, i.start()).append(quoted ? quote(target) : target);
                last = i.end();
            }
            return out.append(source, last, source.length()).toString();
        }

        /** Where {@code specifier}, imported by {@code file} of package {@code key}, is served (queued for serving). */
        String resolve(String key, String file, String specifier) {
            String from = key + "/" + file;
            if (specifier.startsWith("./") || specifier.startsWith("../") || specifier.equals(".") || specifier.equals("..")) {
                String found = probe(key, normalize(directory(file) + specifier));
                if (found == null) {
                    throw new PackageException(from + " imports \"" + specifier + "\", which " + key + " does not contain; the package"
                            + " is incomplete as published, so import another version of it.");
                }
                return enqueue(key, found);
            }
            if (specifier.startsWith("node:")) {
                return builtin(specifier.substring("node:".length()), from);
            }
            if (specifier.startsWith("/") || specifier.contains(":")) {
                throw new PackageException(from + " imports \"" + specifier + "\", which is neither a file of the package, a package"
                        + " nor a node: built-in; vals load only those.");
            }
            int slash = specifier.indexOf('/', specifier.startsWith("@") ? specifier.indexOf('/') + 1 : 0);
            String name = slash < 0 ? specifier : specifier.substring(0, slash);
            String subpath = slash < 0 ? "." : "." + specifier.substring(slash);
            var locked = lock.packages().get(key);
            String dependency = locked == null ? null : locked.dependencies().get(name);
            if (dependency == null && locked != null && locked.name().equals(name)) {
                dependency = key; // a package may import itself by name
            }
            if (dependency == null) {
                if (NodeBuiltins.offers(specifier) || NodeBuiltins.SUPPORTED.contains(name) || NodeBuiltins.refusal(name) != null) {
                    return builtin(specifier, from);
                }
                throw new PackageException(from + " imports \"" + specifier + "\", but " + name + " is not among the dependencies "
                        + key + " declares, so the lock has no version of it; import a version of " + key + " that declares it.");
            }
            String dependencyKey = dependency;
            var target = stored(dependencyKey);
            String found = Exports.resolve(target.manifest(), subpath, target.paths()).orElseThrow(() -> new PackageException(from
                    + " imports \"" + specifier + "\", but " + dependencyKey + " offers nothing at \"" + subpath + "\"."));
            return enqueue(dependencyKey, found);
        }

        /** A node: built-in vals offer, served at /node/name.mjs; the others are refused with the reason. */
        String builtin(String name, String importer) {
            String from = importer.equals("node:" + name) ? "The val" : importer;
            String module = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
            String refusal = NodeBuiltins.refusal(module);
            if (refusal != null) {
                throw new PackageException(from + " needs node:" + module + ", which is refused: " + refusal + ".");
            }
            String resource = NodeBuiltins.resource(name);
            if (resource == null) {
                throw new PackageException(from + " needs node:" + name + ", which vals do not offer yet; the node: built-ins they"
                        + " offer are " + NodeBuiltins.offered() + ". Import a package that does without it.");
            }
            return serveBuiltin(resource);
        }

        /** Serves a built-in's module and the built-ins it imports (theirs are served at /node/name.mjs too). */
        String serveBuiltin(String resource) {
            String path = "/node/" + resource + ".mjs";
            String text = resource(resource);
            if (sources.putIfAbsent(path, text) == null) {
                for (String dependency : NodeBuiltins.imports(text)) serveBuiltin(dependency);
            }
            return path;
        }

        void runtime() {
            sources.putIfAbsent(CJS_RUNTIME, resource("cjs"));
            sources.putIfAbsent(PROCESS, resource("process"));
        }

        /**
         * The module that registers a CommonJS file's factory (its code, wrapped in Node's function) with the
         * CommonJS runtime, after importing what its literal {@code require}s name, so a require finds them
         * registered. A require that names nothing the lock holds throws when it runs, as in Node.
         */
        String cjsDefine(String key, String file, String path, FileText text) {
            // imported under a name no CommonJS code uses: UMD wrappers test for an AMD "define" and must not find this one
            var header = new StringBuilder("import { define as __valenceDefine } from \"" + CJS_RUNTIME + "\";");
            if (BUFFER_GLOBAL.matcher(text.text()).find()) {
                // Node's Buffer global, as Deno gives npm packages: a module-level let, so the factory's code may declare or assign its own
                header.append(" import { Buffer as __valenceBuffer } from ").append(quote(serveBuiltin("buffer")))
                        .append("; let Buffer = __valenceBuffer;");
            }
            var dependencies = new StringBuilder("{");
            var seen = new HashSet<String>();
            int n = 0;
            Matcher require = REQUIRE.matcher(text.text());
            while (require.find()) {
                String specifier = require.group(2);
                if (!seen.add(specifier)) continue;
                String target;
                try {
                    target = resolve(key, file, specifier);
                } catch (PackageException e) {
                    continue;
                }
                Format format = formatOf(target);
                if (format == Format.CJS) {
                    header.append(" import \"/cjs").append(target).append("\";");
                    dependencies.append(quote(specifier)).append(": ").append(quote(target)).append(", ");
                } else {
                    header.append(" import * as __valence").append(n).append(" from ").append(quote(target)).append(";");
                    // ESM is required as its namespace (Node 22's require of ESM); JSON and built-ins as their default
                    dependencies.append(quote(specifier)).append(": [").append(format == Format.ESM ? 0 : 1).append(", __valence")
                            .append(n).append("], ");
                    n++;
                }
            }
            dependencies.append("}");
            String code = text.text().startsWith("#!") ? "//" + text.text() : text.text();
            return header + " __valenceDefine(" + quote(path) + ", " + dependencies + ", function (exports, require, module, __filename,"
                    + " __dirname, global, process) {\n" + code + "\n});\n";
        }

        /** The format of a file already resolved to its served path (queued, so its package and file are known). */
        Format formatOf(String path) {
            if (path.startsWith("/node/")) return Format.BUILTIN;
            String[] file = located.get(path);
            if (file != null) return format(file[0], file[1], text(file[0], file[1]));
            // served by an earlier load of the same graph: a CommonJS file leaves its define module beside it
            return sources.containsKey("/cjs" + path) ? Format.CJS : path.endsWith(".json.mjs") ? Format.JSON : Format.ESM;
        }

        /** The names a CommonJS file exports, found the way cjs-module-lexer finds them (assignments, reexports, object literals). */
        Set<String> cjsNames(String key, String file, FileText text, int depth) {
            var names = new LinkedHashSet<String>();
            String source = text.text();
            for (Pattern pattern : List.of(EXPORT_ASSIGN, DEFINE_EXPORT)) {
                Matcher m = pattern.matcher(source);
                while (m.find()) names.add(m.group(1));
            }
            Matcher object = OBJECT_EXPORT.matcher(source);
            while (object.find()) names.addAll(objectKeys(source, object.end()));
            Matcher reexport = REEXPORT.matcher(source);
            if (depth < 3) {
                while (reexport.find()) {
                    try {
                        String[] target = located.get(resolve(key, file, reexport.group(2)));
                        if (target != null && format(target[0], target[1], text(target[0], target[1])) == Format.CJS) {
                            names.addAll(cjsNames(target[0], target[1], text(target[0], target[1]), depth + 1));
                        }
                    } catch (PackageException e) {
                        // an unresolvable reexport adds no names; requiring it throws when it runs
                    }
                }
            }
            names.removeIf(name -> RESERVED.contains(name) || name.startsWith("__valence") || !IDENTIFIER.matcher(name).matches());
            return names;
        }
    }

    /** The facade importers of a CommonJS file get: module.exports as default, the detected names as named exports. */
    private static String cjsFacade(String path, Set<String> names) {
        // the runtime's function under a name no detected export can take (names starting __valence are left out)
        var out = new StringBuilder("import \"/cjs" + path + "\"; import { load as __valenceLoad } from \"" + CJS_RUNTIME + "\";\n");
        out.append("const __valenceExports = __valenceLoad(").append(quote(path)).append(");\n");
        out.append("export default __valenceExports;\n");
        if (!names.isEmpty()) {
            out.append("const __valenceObject = Object(__valenceExports);\nexport const ");
            out.append(String.join(", ", names.stream().map(name -> name + " = __valenceObject." + name).toList())).append(";\n");
        }
        return out.toString();
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

    private String servedPath(String key, String file) {
        // GraalJS loads every path as an ES module; .json and .cjs files get .mjs so nothing reads their extension otherwise
        return "/npm/" + key + "/" + file + (file.endsWith(".js") || file.endsWith(".mjs") ? "" : ".mjs");
    }

    private Format format(String key, String file, FileText text) {
        if (file.endsWith(".json")) return Format.JSON;
        if (file.endsWith(".mjs")) return Format.ESM;
        if (file.endsWith(".cjs")) return Format.CJS;
        Object type = nearestType(key, file);
        if ("module".equals(type)) return Format.ESM;
        if ("commonjs".equals(type)) return Format.CJS;
        // no "type": Node would say CommonJS, but the "module" field and bundlers made ESM in .js files common, so the syntax decides
        return lex(text).esm() ? Format.ESM : Format.CJS;
    }

    /** The "type" of the package.json nearest to the file inside its package (Node reads the nearest one). */
    private Object nearestType(String key, String file) {
        var p = stored(key);
        String dir = directory(file);
        while (!dir.isEmpty()) {
            String candidate = dir + "package.json";
            if (p.paths().contains(candidate)) {
                try {
                    return new JsonObject(text(key, candidate).text()).getValue("type");
                } catch (RuntimeException e) {
                    return null;
                }
            }
            int slash = dir.lastIndexOf('/', dir.length() - 2);
            dir = slash < 0 ? "" : dir.substring(0, slash + 1);
        }
        return p.manifest().getValue("type");
    }

    private String probe(String key, String path) {
        if (path == null) return null;
        var files = stored(key).paths();
        for (String suffix : PROBES) {
            String candidate = (path + suffix).startsWith("/") ? (path + suffix).substring(1) : path + suffix;
            if (files.contains(candidate)) return candidate;
        }
        return null;
    }

    private PackageStore.StoredPackage stored(String key) {
        return packages.computeIfAbsent(key, k -> {
            int at = k.lastIndexOf('@');
            return store.find(k.substring(0, at), k.substring(at + 1)).orElseThrow(() -> new PackageException(k
                    + " is in the val's lock but not in the package store; save the val again to fetch it."));
        });
    }

    private FileText text(String key, String file) {
        byte[] sha256 = hashes.computeIfAbsent(key, k -> {
            int at = k.lastIndexOf('@');
            return store.fileHashes(k.substring(0, at), k.substring(at + 1));
        }).get(file);
        if (sha256 == null) {
            throw new PackageException(key + " has no file " + file + " in the package store; save the val again to fetch it.");
        }
        String hex = PackageStore.hex(sha256);
        byte[] bytes = contents.get(hex, () -> store.content(sha256).orElseThrow(() -> new PackageException(
                "The content of " + key + "/" + file + " is missing from the package store; save the val again to fetch it.")));
        return new FileText(new String(bytes, StandardCharsets.UTF_8), hex);
    }

    private Lexed lex(FileText text) {
        Lexed cached = lexed.get(text.sha256());
        if (cached != null) return cached;
        var answer = new JsonObject(lexer.apply(text.text()));
        Lexed result;
        if (!answer.getBoolean("ok", false)) {
            result = new Lexed(false, List.of()); // not module syntax the lexer reads: served as CommonJS, whose errors GraalJS names
        } else {
            var imports = new ArrayList<Import>();
            for (Object item : answer.getJsonArray("imports", new JsonArray())) {
                var i = (JsonObject) item;
                imports.add(new Import(i.getInteger("start"), i.getInteger("end"), i.getString("specifier"), i.getBoolean("dynamic")));
            }
            imports.sort(Comparator.comparingInt(Import::start));
            result = new Lexed(answer.getBoolean("esm", false), List.copyOf(imports));
        }
        if (lexed.size() > 200_000) lexed.clear(); // a bound, not a policy: results are small and cheap to make again
        lexed.put(text.sha256(), result);
        return result;
    }

    private static String directory(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash + 1);
    }

    /** {@code a/./b/../c} as {@code a/c}; null when it climbs out of the package. */
    static String normalize(String path) {
        var parts = new ArrayDeque<String>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (parts.isEmpty()) return null;
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private static String quote(String text) {
        return io.vertx.core.json.Json.encode(text);
    }

    private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();

    private static String resource(String name) {
        return RESOURCES.computeIfAbsent(name, n -> {
            String path = "dev/valence/runtime/js/node/" + n + ".js";
            try (InputStream in = PackageModules.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) throw new IllegalStateException(path + " is missing from the class path");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + path, e);
            }
        });
    }

    /** Byte-bounded cache of file contents by content hash, least recently used evicted first. */
    private static final class ContentCache {
        private final long maxBytes;
        private final java.util.LinkedHashMap<String, byte[]> entries = new java.util.LinkedHashMap<>(256, 0.75f, true);
        private long bytes;

        ContentCache(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        byte[] get(String hex, java.util.function.Supplier<byte[]> load) {
            synchronized (this) {
                byte[] cached = entries.get(hex);
                if (cached != null) return cached;
            }
            byte[] loaded = load.get(); // outside the lock: a database read must not hold up other loads
            synchronized (this) {
                if (entries.put(hex, loaded) == null) bytes += loaded.length;
                var eldest = entries.entrySet().iterator();
                while (bytes > maxBytes && eldest.hasNext()) {
                    var entry = eldest.next();
                    if (entry.getKey().equals(hex)) continue;
                    bytes -= entry.getValue().length;
                    eldest.remove();
                }
            }
            return loaded;
        }
    }
}
