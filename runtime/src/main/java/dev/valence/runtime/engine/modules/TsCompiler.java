package dev.valence.runtime.engine.modules;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Compiles a val's code from TypeScript (or TSX) to JavaScript when it is saved, with Sucrase run inside
 * GraalJS (bundled at build time from runtime/ts). Every val goes through it: plain JavaScript comes
 * out unchanged but for whitespace. Sucrase keeps every line where it was, so line numbers in syntax
 * errors of the output and in stack traces match the source the author wrote. What Sucrase cannot do
 * (runtime namespaces, decorators) goes to Babel, a second bundle each context loads only when a val
 * first needs it, so start-up and ordinary saves never pay for it. Also lists the module specifiers
 * the output imports. Thread-safe: each call borrows one of a few pooled contexts.
 */
public final class TsCompiler implements AutoCloseable {
    private static final String BUNDLE = "dev/valence/runtime/js/ts.js";
    private static final String BABEL_BUNDLE = "dev/valence/runtime/js/ts-babel.js";

    /** The compiled JavaScript and the specifiers it imports (static and literal dynamic imports, in order). */
    public record Compiled(String code, List<String> imports) {}

    /** Why a val's code was refused, with the stable code the API answers with. */
    public enum Problem {
        SYNTAX("syntax_error"),
        UNSUPPORTED_IMPORT("unsupported_import");

        private final String code;

        Problem(String code) {
            this.code = code;
        }

        /** The stable code the API answers with. */
        public String code() {
            return code;
        }
    }

    /** Code that cannot be saved; line and column are 1-based, in the source as written. */
    public static final class CompileError extends Exception {
        private final Problem problem;
        private final int line;
        private final int column;

        CompileError(String message, int line, int column) {
            this(Problem.SYNTAX, message, line, column);
        }

        CompileError(Problem problem, String message, int line, int column) {
            super(message, null, false, false);
            this.problem = problem;
            this.line = line;
            this.column = column;
        }

        public Problem problem() {
            return problem;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** Compiler contexts at most: saves are rare, and each context costs seconds to load the bundle. */
    private static final int MAX_CONTEXTS = 2;

    private final Engine engine;
    private final Source bundle;
    private volatile Source babelBundle; // read from the class path on first need: a megabyte most runtimes never use
    private final ConcurrentLinkedDeque<Compiler> idle = new ConcurrentLinkedDeque<>();
    private final Semaphore slots = new Semaphore(MAX_CONTEXTS);

    /** One compiler context: Sucrase always, Babel once a val needed it there. */
    private static final class Compiler {
        final Context context;
        final Value compile;
        final Value lex;
        boolean babelLoaded;

        Compiler(Context context, Value compile, Value lex) {
            this.context = context;
            this.compile = compile;
            this.lex = lex;
        }
    }

    public TsCompiler() {
        this.engine = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
        this.bundle = Source.newBuilder("js", resource(BUNDLE), "valence:ts.js").buildLiteral();
    }

    public Compiled compile(String name, String source) throws CompileError {
        JsonObject result;
        slots.acquireUninterruptibly();
        try {
            Compiler compiler = idle.pollFirst();
            if (compiler == null) compiler = newCompiler();
            try {
                result = new JsonObject(compiler.compile.execute(source, name).asString());
                if (result.getBoolean("needsBabel", false) && !compiler.babelLoaded) {
                    compiler.context.eval(babelBundle());
                    compiler.babelLoaded = true;
                    result = new JsonObject(compiler.compile.execute(source, name).asString());
                }
            } finally {
                idle.offerFirst(compiler);
            }
        } finally {
            slots.release();
        }
        if (!result.getBoolean("ok")) {
            throw new CompileError(result.getString("message"), result.getInteger("line"), result.getInteger("column"));
        }
        JsonObject jsxRuntime = result.getJsonObject("jsxRuntime");
        if (jsxRuntime != null) refuseUnloadable(jsxRuntime.getString("specifier"), jsxRuntime.getInteger("line"));
        var imports = new ArrayList<String>();
        result.getJsonArray("imports").forEach(i -> imports.add(((JsonObject) i).getString("specifier")));
        return new Compiled(result.getString("code"), List.copyOf(imports));
    }

    /**
     * Where the module specifiers of a package's JavaScript file sit, as es-module-lexer finds them: JSON
     * {@code {ok, esm, imports: [{start, end, specifier, dynamic}]}} or {@code {ok: false, message}}. Loading a
     * package points each specifier at its locked file; the lexer is the one saves use, so it is already warm.
     */
    public String lex(String source) {
        slots.acquireUninterruptibly();
        try {
            Compiler compiler = idle.pollFirst();
            if (compiler == null) compiler = newCompiler();
            try {
                return compiler.lex.execute(source).asString();
            } finally {
                idle.offerFirst(compiler);
            }
        } finally {
            slots.release();
        }
    }

    /**
     * The automatic JSX runtime imports {@code <import source>/jsx-runtime}, a module the author never
     * wrote an import for: refused at save (not at the first request) when it cannot be loaded.
     */
    private static void refuseUnloadable(String specifier, int pragmaLine) throws CompileError {
        if (!(Specifier.parse(specifier) instanceof Specifier.Unsupported unsupported)) return;
        throw new CompileError(Problem.UNSUPPORTED_IMPORT, "The @jsxImportSource pragma on line " + pragmaLine
                + " makes this val import \"" + specifier + "\" for its JSX, which cannot be imported: " + unsupported.reason()
                + ". Name a package (for example npm:preact or npm:hono/jsx), or use the classic runtime: put /** @jsx h */"
                + " (and /** @jsxFrag Fragment */) at the top, with h and Fragment defined in the val or imported.", pragmaLine, 1);
    }

    /** Whether any val so far needed Babel, so its bundle was read (tests: it is loaded on first need only). */
    boolean babelBundleRead() {
        return babelBundle != null;
    }

    private Source babelBundle() {
        Source loaded = babelBundle;
        if (loaded == null) {
            loaded = Source.newBuilder("js", resource(BABEL_BUNDLE), "valence:ts-babel.js").buildLiteral();
            babelBundle = loaded;
        }
        return loaded;
    }

    /**
     * Compiles a small sample so the first save does not pay for loading the compiler (seconds while
     * the JIT is cold). Called on a background thread at start; a close meanwhile ends it quietly.
     */
    public void warmUp() {
        try {
            // once: loading the bundle is the slow part; more rounds would keep the JIT busy at start for little gain
            compile("valence/warm-up", """
                    import type { T } from "val:valence/types";
                    import { blob } from "std/blob";
                    interface P<T> { x: T }
                    enum E { A, B }
                    export default async (req: Request): Promise<Response> => Response.json({ e: E.B, b: blob, p: { x: 1 } as P<number> });""");
        } catch (CompileError e) {
            throw new IllegalStateException("The TypeScript compiler refused its warm-up sample: " + e.getMessage(), e);
        } catch (PolyglotException | IllegalStateException closed) {
            // the engine was closed during start-up or shutdown: nothing to warm
        }
    }

    private Compiler newCompiler() {
        Context context = Context.newBuilder("js")
                .engine(engine)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .build();
        context.eval(bundle);
        var bindings = context.getBindings("js");
        return new Compiler(context, bindings.getMember("valenceCompile"), bindings.getMember("valenceLex"));
    }

    private static String resource(String path) {
        try (InputStream in = TsCompiler.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The TypeScript compiler is missing from this build (" + path
                        + "); rebuild with ./valence build (it needs Node.js and npm)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + path + " from the class path", e);
        }
    }

    @Override
    public void close() {
        engine.close(true);
    }
}
