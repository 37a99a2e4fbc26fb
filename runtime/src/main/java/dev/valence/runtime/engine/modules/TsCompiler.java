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
 * Compiles a val's code from TypeScript to JavaScript when it is saved, with Sucrase run inside
 * GraalJS (bundled at build time from runtime/ts). Every val goes through it: plain JavaScript comes
 * out unchanged but for whitespace. Sucrase keeps every line where it was, so line numbers in syntax
 * errors of the output and in stack traces match the source the author wrote. Also lists the module
 * specifiers the output imports. Thread-safe: each call borrows one of a few pooled contexts.
 */
public final class TsCompiler implements AutoCloseable {
    private static final String BUNDLE = "dev/valence/runtime/js/ts.js";

    /** The compiled JavaScript and the specifiers it imports (static and literal dynamic imports, in order). */
    public record Compiled(String code, List<String> imports) {}

    /** Code that does not parse as TypeScript; line and column are 1-based, in the source as written. */
    public static final class CompileError extends Exception {
        private final int line;
        private final int column;

        CompileError(String message, int line, int column) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
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
    private final ConcurrentLinkedDeque<Value> idle = new ConcurrentLinkedDeque<>();
    private final Semaphore slots = new Semaphore(MAX_CONTEXTS);

    public TsCompiler() {
        this.engine = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
        this.bundle = Source.newBuilder("js", resource(), "valence:ts.js").buildLiteral();
    }

    public Compiled compile(String name, String source) throws CompileError {
        JsonObject result;
        slots.acquireUninterruptibly();
        try {
            Value compile = idle.pollFirst();
            if (compile == null) compile = newCompiler();
            try {
                result = new JsonObject(compile.execute(source, name).asString());
            } finally {
                idle.offerFirst(compile);
            }
        } finally {
            slots.release();
        }
        if (!result.getBoolean("ok")) {
            throw new CompileError(result.getString("message"), result.getInteger("line"), result.getInteger("column"));
        }
        var imports = new ArrayList<String>();
        result.getJsonArray("imports").forEach(i -> imports.add(((JsonObject) i).getString("specifier")));
        return new Compiled(result.getString("code"), List.copyOf(imports));
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

    private Value newCompiler() {
        Context context = Context.newBuilder("js")
                .engine(engine)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .build();
        context.eval(bundle);
        return context.getBindings("js").getMember("valenceCompile");
    }

    private static String resource() {
        try (InputStream in = TsCompiler.class.getClassLoader().getResourceAsStream(BUNDLE)) {
            if (in == null) {
                throw new IllegalStateException("The TypeScript compiler is missing from this build (" + BUNDLE
                        + "); rebuild with ./valence build (it needs Node.js and npm)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + BUNDLE + " from the class path", e);
        }
    }

    @Override
    public void close() {
        engine.close(true);
    }
}
