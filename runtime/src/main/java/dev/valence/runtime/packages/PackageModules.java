package dev.valence.runtime.packages;

import dev.valence.runtime.packages.PackageFiles.FileText;
import dev.valence.runtime.packages.PackageFiles.Format;
import dev.valence.runtime.packages.PackageFiles.Import;
import dev.valence.runtime.packages.PackageFiles.PackageFile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a val version's {@link Lock} into the modules its context loads, read from PostgreSQL through
 * {@link PackageFiles} (nothing on local disk). A package file is served at {@code /npm/name@version/path} with
 * each of its module specifiers pointed at the locked file it means: relative ones at the package's own file
 * (with Node's extension and index probing), bare ones at the dependency the lock gives this package (its
 * package.json "exports" decide the file), {@code node:} ones at the built-ins vals offer ({@link NodeBuiltins}).
 * ESM is served as it is but for those specifiers; CommonJS is wrapped ({@link CommonJs}) so that
 * {@code import x from} gets {@code module.exports} and named imports get the names its code assigns to
 * {@code exports}, as in Node and Deno; JSON is a module whose default export is the parsed value.
 */
public final class PackageModules {
    /**
     * Package files one val may load: lodash-es's index loads about 650 and date-fns's about 300, so 5 000 leaves
     * room for several large libraries while stopping a runaway graph before it fills the heap.
     */
    public static final int MAX_FILES = 5_000;
    private static final String PROCESS = "/node/process.mjs";

    private final PackageFiles files;

    /** @param lexer es-module-lexer's answer for a JavaScript file (TsCompiler#lex) */
    public PackageModules(PackageStore store, Function<String, String> lexer) {
        this.files = new PackageFiles(store, lexer);
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
                : load.enqueue(new PackageFile(entry.packageKey(), entry.file()));
        load.drain();
        return path;
    }

    /** One load of a val's package imports into one set of sources: the files still to serve, and where each path came from. */
    private final class Load {
        final Lock lock;
        final Map<String, String> sources;
        final ArrayDeque<PackageFile> queue = new ArrayDeque<>();
        final Set<String> queued = new HashSet<>();
        /** Each path resolved in this load, to its package file. */
        final Map<String, PackageFile> located = new HashMap<>();

        Load(Lock lock, Map<String, String> sources) {
            this.lock = lock;
            this.sources = sources;
        }

        String enqueue(PackageFile f) {
            String path = servedPath(f);
            located.putIfAbsent(path, f);
            if (!sources.containsKey(path) && queued.add(path)) {
                queue.add(f);
            }
            return path;
        }

        void drain() {
            while (!queue.isEmpty()) {
                PackageFile next = queue.poll();
                String path = servedPath(next);
                if (sources.containsKey(path)) continue;
                if (sources.size() >= MAX_FILES) {
                    throw new PackageException("The val's packages load more than " + MAX_FILES + " files, the limit; import fewer"
                            + " packages or a narrower subpath of one (for example lodash-es/chunk instead of lodash-es).");
                }
                serve(next, path);
            }
        }

        void serve(PackageFile f, String path) {
            FileText text = files.text(f);
            switch (files.format(f, text)) {
                case JSON -> sources.put(path, "export default " + text.text().strip() + ";\n");
                case ESM -> sources.put(path, esm(f, text));
                case CJS -> {
                    sources.putIfAbsent(CommonJs.RUNTIME, NodeBuiltins.source("cjs"));
                    sources.putIfAbsent(PROCESS, NodeBuiltins.source("process"));
                    sources.put("/cjs" + path, cjsDefine(f, path, text));
                    sources.put(path, CommonJs.facade(path, cjsNames(f, text, 0)));
                }
                case BUILTIN -> throw new IllegalStateException("a package file is never a built-in");
            }
        }

        /** The ESM file with every specifier the lexer found pointed at the locked file it means. */
        String esm(PackageFile f, FileText text) {
            String source = text.text();
            var out = new StringBuilder(source.length() + 256);
            int last = 0;
            for (Import i : files.lex(text).imports()) {
                if (i.start() < last || i.end() > source.length()) continue;
                String target;
                try {
                    target = resolve(f, i.specifier());
                } catch (PackageException e) {
                    if (i.dynamic()) continue; // it fails when (and only if) it runs, as in Node
                    throw e;
                }
                String written = source.substring(i.start(), i.end());
                boolean quoted = !written.isEmpty() && "\"'`".indexOf(written.charAt(0)) >= 0;
                out.append(source, last, i.start()).append(quoted ? CommonJs.quote(target) : target);
                last = i.end();
            }
            return out.append(source, last, source.length()).toString();
        }

        /** Where {@code specifier}, imported by file {@code f}, is served (queued for serving). */
        String resolve(PackageFile f, String specifier) {
            String key = f.key();
            String from = key + "/" + f.file();
            if (specifier.startsWith("./") || specifier.startsWith("../") || specifier.equals(".") || specifier.equals("..")) {
                String found = files.probe(key, PackageFiles.normalize(PackageFiles.directory(f.file()) + specifier));
                if (found == null) {
                    throw new PackageException(from + " imports \"" + specifier + "\", which " + key + " does not contain; the package"
                            + " is incomplete as published, so import another version of it.");
                }
                return enqueue(new PackageFile(key, found));
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
            var target = files.stored(dependencyKey);
            String found = Exports.resolve(target.manifest(), subpath, target.paths()).orElseThrow(() -> new PackageException(from
                    + " imports \"" + specifier + "\", but " + dependencyKey + " offers nothing at \"" + subpath + "\"."));
            return enqueue(new PackageFile(dependencyKey, found));
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
            String text = NodeBuiltins.source(resource);
            if (sources.putIfAbsent(path, text) == null) {
                for (String dependency : NodeBuiltins.imports(text)) serveBuiltin(dependency);
            }
            return path;
        }

        /** The module registering a CommonJS file, its literal requires resolved (one that cannot be throws when it runs). */
        String cjsDefine(PackageFile f, String path, FileText text) {
            String bufferPath = CommonJs.usesBuffer(text.text()) ? serveBuiltin("buffer") : null;
            var required = new ArrayList<CommonJs.Required>();
            for (String specifier : CommonJs.requires(text.text())) {
                String target;
                try {
                    target = resolve(f, specifier);
                } catch (PackageException e) {
                    continue;
                }
                required.add(new CommonJs.Required(specifier, target, formatOf(target)));
            }
            return CommonJs.define(path, text.text(), required, bufferPath);
        }

        /** The format of a file already resolved to its served path (queued, so its package and file are known). */
        Format formatOf(String path) {
            if (path.startsWith("/node/")) return Format.BUILTIN;
            PackageFile f = located.get(path);
            if (f != null) return files.format(f);
            // served by an earlier load of the same graph: a CommonJS file leaves its define module beside it
            return sources.containsKey("/cjs" + path) ? Format.CJS : path.endsWith(".json.mjs") ? Format.JSON : Format.ESM;
        }

        /** The names a CommonJS file exports, found the way cjs-module-lexer finds them (assignments, reexports, object literals). */
        Set<String> cjsNames(PackageFile f, FileText text, int depth) {
            var names = new LinkedHashSet<>(CommonJs.ownNames(text.text()));
            if (depth < 3) {
                for (String specifier : CommonJs.reexports(text.text())) {
                    try {
                        PackageFile target = located.get(resolve(f, specifier));
                        if (target != null && files.format(target) == Format.CJS) {
                            names.addAll(cjsNames(target, files.text(target), depth + 1));
                        }
                    } catch (PackageException e) {
                        // an unresolvable reexport adds no names; requiring it throws when it runs
                    }
                }
            }
            return CommonJs.exportable(names);
        }
    }

    private static String servedPath(PackageFile f) {
        // GraalJS loads every path as an ES module; .json and .cjs files get .mjs so nothing reads their extension otherwise
        return "/npm/" + f.key() + "/" + f.file() + (f.file().endsWith(".js") || f.file().endsWith(".mjs") ? "" : ".mjs");
    }
}
