package dev.valence.runtime.packages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the package store holds for locked packages, read from PostgreSQL once and kept in memory: each
 * package's manifest and file list, file texts by content hash, and what each JavaScript file is (ES
 * module or CommonJS, and where its import specifiers are).
 */
final class PackageFiles {
    /** Raw package file contents kept in memory by content hash: 128 MB holds the libraries a busy instance serves. */
    static final long CACHE_MAX_BYTES = 128L * 1024 * 1024;
    /** What Node tries after a relative path, in order. */
    private static final List<String> PROBES = List.of("", ".js", ".mjs", ".cjs", ".json", "/index.js", "/index.mjs", "/index.cjs", "/index.json");

    /** How a file is served: as it is (ESM), wrapped (CommonJS), as a default export (JSON), or from js/node/ (a built-in). */
    enum Format { ESM, CJS, JSON, BUILTIN }

    /** A file of a locked package: its package key (name@version) and its path inside the package. */
    record PackageFile(String key, String file) {}

    record FileText(String text, String sha256) {}

    /** es-module-lexer's reading of a file: whether it is module syntax, and its import specifiers in source order. */
    record Lexed(boolean esm, List<Import> imports) {}

    record Import(int start, int end, String specifier, boolean dynamic) {}

    private final PackageStore store;
    private final Function<String, String> lexer;
    private final Map<String, PackageStore.StoredPackage> packages = new ConcurrentHashMap<>();
    private final Map<String, SortedMap<String, byte[]>> hashes = new ConcurrentHashMap<>();
    private final ContentCache contents = new ContentCache(CACHE_MAX_BYTES);
    private final Map<String, Lexed> lexed = new ConcurrentHashMap<>();

    /** @param lexer es-module-lexer's answer for a JavaScript file (TsCompiler#lex) */
    PackageFiles(PackageStore store, Function<String, String> lexer) {
        this.store = store;
        this.lexer = lexer;
    }

    PackageStore.StoredPackage stored(String key) {
        return packages.computeIfAbsent(key, k -> {
            int at = k.lastIndexOf('@');
            return store.find(k.substring(0, at), k.substring(at + 1)).orElseThrow(() -> new PackageException(k
                    + " is in the val's lock but not in the package store; save the val again to fetch it."));
        });
    }

    FileText text(PackageFile f) {
        byte[] sha256 = hashes.computeIfAbsent(f.key(), k -> {
            int at = k.lastIndexOf('@');
            return store.fileHashes(k.substring(0, at), k.substring(at + 1));
        }).get(f.file());
        if (sha256 == null) {
            throw new PackageException(f.key() + " has no file " + f.file() + " in the package store; save the val again to fetch it.");
        }
        String hex = PackageStore.hex(sha256);
        byte[] bytes = contents.get(hex, () -> store.content(sha256).orElseThrow(() -> new PackageException(
                "The content of " + f.key() + "/" + f.file() + " is missing from the package store; save the val again to fetch it.")));
        return new FileText(new String(bytes, StandardCharsets.UTF_8), hex);
    }

    Format format(PackageFile f, FileText text) {
        String file = f.file();
        if (file.endsWith(".json")) return Format.JSON;
        if (file.endsWith(".mjs")) return Format.ESM;
        if (file.endsWith(".cjs")) return Format.CJS;
        Object type = nearestType(f);
        if ("module".equals(type)) return Format.ESM;
        if ("commonjs".equals(type)) return Format.CJS;
        // no "type": Node would say CommonJS, but the "module" field and bundlers made ESM in .js files common, so the syntax decides
        return lex(text).esm() ? Format.ESM : Format.CJS;
    }

    Format format(PackageFile f) {
        return format(f, text(f));
    }

    /** The "type" of the package.json nearest to the file inside its package (Node reads the nearest one). */
    private Object nearestType(PackageFile f) {
        var p = stored(f.key());
        String dir = directory(f.file());
        while (!dir.isEmpty()) {
            String candidate = dir + "package.json";
            if (p.paths().contains(candidate)) {
                try {
                    return new JsonObject(text(new PackageFile(f.key(), candidate)).text()).getValue("type");
                } catch (RuntimeException e) {
                    return null;
                }
            }
            int slash = dir.lastIndexOf('/', dir.length() - 2);
            dir = slash < 0 ? "" : dir.substring(0, slash + 1);
        }
        return p.manifest().getValue("type");
    }

    /** The file of package {@code key} that {@code path} means with Node's extension and index probing, or null. */
    String probe(String key, String path) {
        if (path == null) return null;
        var files = stored(key).paths();
        for (String suffix : PROBES) {
            String candidate = (path + suffix).startsWith("/") ? (path + suffix).substring(1) : path + suffix;
            if (files.contains(candidate)) return candidate;
        }
        return null;
    }

    Lexed lex(FileText text) {
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

    static String directory(String file) {
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
}
