package dev.valence.runtime.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import dev.valence.runtime.engine.modules.TsCompiler;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The one GraalJS engine of the process and the sandbox every val context is built in: no host
 * classes, no files, no threads, no processes, no environment. The only host objects a val can ever
 * hold are byte buffers (request bodies, random bytes), and only their bytes are reachable.
 *
 * <p>Longer than most classes here on purpose: the context builder, the host functions the prelude
 * closes over and the spare contexts' claim are one security boundary, read and reviewed together.
 */
public final class JsEngine implements AutoCloseable {
    private static final String PRELUDE = "dev/valence/runtime/js/prelude.js";
    private static final String URL_BUNDLE = "dev/valence/runtime/js/url.js";
    private static final String OWNER_APIS = "dev/valence/runtime/js/owner-apis.js";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The same for every context of the engine (GraalJS requires it). */
    private static final HostAccess HOST_ACCESS = HostAccess.newBuilder().allowBufferAccess(true).build();

    private final Engine engine;
    private final Source prelude;
    private final Optional<Source> urlBundle;
    private final Source ownerApis;
    private final TsCompiler compiler = new TsCompiler();

    public JsEngine() {
        this.engine = buildEngine();
        this.prelude = Source.newBuilder("js", resource(PRELUDE).orElseThrow(), "valence:prelude.js").buildLiteral();
        this.urlBundle = resource(URL_BUNDLE).map(text -> Source.newBuilder("js", text, "valence:url.js").buildLiteral());
        this.ownerApis = Source.newBuilder("js", resource(OWNER_APIS).orElseThrow(), "valence:owner-apis.js").buildLiteral();
    }

    /**
     * Graal compiler options: recursive guest calls are inlined four levels deep instead of the
     * default two (fib(27) took 0.81x the time, its CPU per request 0.74x: BENCHMARKS.md, engine rebuild).
     */
    private static final Map<String, String> COMPILER_OPTIONS = Map.of("compiler.InliningRecursionDepth", "4");

    private static Engine buildEngine() {
        try {
            return engineBuilder().allowExperimentalOptions(true).options(COMPILER_OPTIONS).build();
        } catch (IllegalArgumentException interpreterOnly) {
            return engineBuilder().build(); // without the Graal JIT its options do not exist
        }
    }

    private static Engine.Builder engineBuilder() {
        return Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream());
    }

    /** navigator.userAgent: product/version, as Deno's "Deno/2.9.6" (the jar's version; "dev" when run from classes). */
    private static final String USER_AGENT = "Valence/"
            + java.util.Objects.requireNonNullElse(JsEngine.class.getPackage().getImplementationVersion(), "dev");

    /** navigator.platform as Deno gives it for the host's system: "Linux x86_64", "MacIntel", "Win32". */
    static final String PLATFORM = platform(System.getProperty("os.name"), System.getProperty("os.arch"));

    public static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        if (os.startsWith("mac")) return "MacIntel";
        if (os.startsWith("windows")) return "Win32";
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> osArch;
        };
        return osName + " " + arch;
    }

    /**
     * The Java functions the prelude closes over; {@code logs} receives this context's console output.
     * The map stays mutable so a spare context's owner functions can be added when it is claimed.
     */
    private java.util.HashMap<String, Object> hostFunctions(LogBuffer logs, HostScope scope, Map<String, Object> extra) {
        var functions = new java.util.HashMap<String, Object>(extra);
        // performance.now() counts from the context's making, on the monotonic clock; timeOrigin is that
        // moment on the wall clock, in milliseconds with a fraction (as Deno gives it)
        long originNs = System.nanoTime();
        java.time.Instant origin = java.time.Instant.now();
        functions.put("now", (ProxyExecutable) args -> (System.nanoTime() - originNs) / 1e6);
        functions.put("timeOrigin", origin.getEpochSecond() * 1000.0 + origin.getNano() / 1e6);
        functions.put("hardwareConcurrency", Runtime.getRuntime().availableProcessors());
        functions.put("userAgent", USER_AGENT);
        functions.put("platform", PLATFORM);
        functions.put("nodeHashes", dev.valence.runtime.engine.crypto.NodeHashes.FUNCTIONS);
        functions.putAll(Map.of(
                "log", (ProxyExecutable) args -> {
                    logs.append(args[0].asString());
                    return null;
                },
                "randomUUID", (ProxyExecutable) args -> UUID.randomUUID().toString(),
                "randomBytes", (ProxyExecutable) args -> {
                    byte[] bytes = new byte[Math.clamp(args[0].asInt(), 0, 65536)];
                    RANDOM.nextBytes(bytes);
                    return ByteBuffer.wrap(bytes);
                },
                "decodeUtf8", (ProxyExecutable) args -> decodeUtf8(args[0].asHostObject()),
                "web", WebHost.functions(scope),
                "crypto", dev.valence.runtime.engine.crypto.WebCrypto.FUNCTIONS,
                "loadUrl", (ProxyExecutable) args -> {
                    Context.getCurrent().eval(urlBundle.orElseThrow(() -> new IllegalStateException(
                            "URL support is missing from this build (" + URL_BUNDLE + "); rebuild with ./valence build")));
                    return null;
                }));
        return functions;
    }

    /**
     * Makes the engine's first context (GraalJS sets up its built-ins and parses the prelude: seconds
     * on a cold JVM) and loads a module in it, so the first val does not pay for that. It calls
     * nothing: running a warm-up request here (20 calls, which also loaded the URL library) made a
     * restart's first val answer 2 s later, not sooner (BENCHMARKS.md, start-up).
     */
    public void warmUp() {
        var logs = new LogBuffer(1024);
        var created = newContext(logs);
        try (Context context = created.context()) {
            Value exports = context.eval(moduleSource("valence/warm-up", "export default (req) => new Response('ok')"));
            created.internal().invokeMember("handlerOf", exports);
        }
    }

    private volatile boolean closed;

    /**
     * Loads the TypeScript compiler on a background thread of low priority. Saves are rare, so this
     * runs after start-up rather than beside it: on two cores it took the CPU the first requests needed.
     */
    public void warmUpCompilerInBackground() {
        Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("valence-ts-warm-up").start(() -> {
            if (!closed) compiler.warmUp();
        });
    }

    /**
     * Warms the JIT on a background thread ({@link JitWarmUp}); it stops early when the engine closes.
     *
     * @return the thread (already started)
     */
    public Thread warmUpInBackground(int calls) {
        return JitWarmUp.start(this, calls, () -> closed);
    }

    /**
     * A context with the prelude evaluated that belongs to no val yet: it has no owner functions and its
     * file system denies everything until {@link #claim} binds it to its first and only val.
     */
    static final class Spare {
        final LogBuffer logs;
        private final Context context;
        private final Value internal;
        private final LateFileSystem files;
        private final java.util.HashMap<String, Object> functions;
        private final HostScope scope;
        private boolean claimed;

        private Spare(LogBuffer logs, Context context, Value internal, LateFileSystem files, java.util.HashMap<String, Object> functions,
                      HostScope scope) {
            this.scope = scope;
            this.logs = logs;
            this.context = context;
            this.internal = internal;
            this.files = files;
            this.functions = functions;
        }

        void close() {
            context.close(true);
        }
    }

    /** Builds a spare context (off the request path); see {@link Spare}. */
    Spare newSpare(int logLimitBytes) {
        var logs = new LogBuffer(logLimitBytes);
        var files = new LateFileSystem();
        var scope = new HostScope();
        var functions = hostFunctions(logs, scope, Map.of());
        Context context = build(IOAccess.newBuilder().fileSystem(files).build());
        try {
            Value internal = context.eval(prelude).execute(ProxyObject.fromMap(functions));
            return new Spare(logs, context, internal, files, functions, scope);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /**
     * Gives a spare context to its val, once: binds the val's module file system and owner functions
     * (evaluating {@code owner-apis.js} like {@link #newContext(LogBuffer, Sandbox)} does).
     */
    ContextAndInternal claim(Spare spare, Sandbox sandbox) {
        synchronized (spare) {
            if (spare.claimed) throw new IllegalStateException("A spare context is given to one val only.");
            spare.claimed = true;
        }
        try {
            spare.files.bind(sandbox.modules());
            Map<String, Object> owned = sandbox.ownerFunctions().apply(spare.scope);
            owned.forEach(spare.functions::putIfAbsent);
            if (!owned.isEmpty()) spare.context.eval(ownerApis).execute(ProxyObject.fromMap(spare.functions));
            return new ContextAndInternal(spare.context, spare.internal, spare.scope);
        } catch (RuntimeException e) {
            spare.context.close(true);
            throw e;
        }
    }

    /** The TypeScript compiler vals are saved through (its own polyglot engine; warmed up with this one). */
    public TsCompiler compiler() {
        return compiler;
    }

    /** "GraalVM CE" when the Graal JIT compiles guest code, "Interpreted" when it does not. */
    public String implementationName() {
        return engine.getImplementationName();
    }

    public boolean jitEnabled() {
        return !implementationName().toLowerCase().contains("interpreted");
    }

    /** A fresh sandboxed context with the prelude evaluated; returns the prelude's {@code internal} handle. */
    ContextAndInternal newContext(LogBuffer logs) {
        return newContext(logs, Sandbox.CLOSED);
    }

    /**
     * What a val's contexts get beyond the prelude: a read-only module file system serving the val's
     * resolved imports ({@link #NO_MODULES}: no imports at all) and host functions bound to the val's owner (blob,
     * env), which {@code owner-apis.js} turns into {@code Deno.env}, {@code process.env} and std/blob.
     * The owner functions are made per context, from the context's {@link HostScope}, so what they
     * note (a database error) lands on the invocation running in that context.
     */
    public record Sandbox(org.graalvm.polyglot.io.FileSystem modules,
                          java.util.function.Function<HostScope, Map<String, Object>> ownerFunctions) {
        /**
         * The module file system of a context without imports: it denies every access, as
         * {@code IOAccess.NONE} does, so every context is built the same way (a null stands for it).
         */
        public static final org.graalvm.polyglot.io.FileSystem NO_MODULES = org.graalvm.polyglot.io.FileSystem.newDenyIOFileSystem();

        /** No imports, no owner functions. */
        public static final Sandbox CLOSED = new Sandbox(NO_MODULES, Map.of());

        public Sandbox {
            if (modules == null) modules = NO_MODULES;
        }

        /** A sandbox whose owner functions need no invocation. */
        public Sandbox(org.graalvm.polyglot.io.FileSystem modules, Map<String, Object> fixedFunctions) {
            this(modules, scope -> fixedFunctions);
        }
    }

    /** A fresh sandboxed context for one val; see {@link Sandbox}. */
    ContextAndInternal newContext(LogBuffer logs, Sandbox sandbox) {
        Context context = build(IOAccess.newBuilder().fileSystem(sandbox.modules()).build());
        try {
            var scope = new HostScope();
            Map<String, Object> owned = sandbox.ownerFunctions().apply(scope);
            ProxyObject host = ProxyObject.fromMap(hostFunctions(logs, scope, owned));
            Value internal = context.eval(prelude).execute(host);
            if (!owned.isEmpty()) context.eval(ownerApis).execute(host);
            return new ContextAndInternal(context, internal, scope);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** A sandboxed context with {@code io} as its only file access. */
    private Context build(IOAccess io) {
        return Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(name -> false)
                .allowHostClassLoading(false)
                .allowIO(io)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .option("js.esm-eval-returns-exports", "true")
                .option("js.load", "false")
                .option("js.print", "false")
                .build();
    }

    /** A context, the prelude's {@code internal} handle, and the door its host functions reach the invocation through. */
    record ContextAndInternal(Context context, Value internal, HostScope scope) {}

    /** The module source of one val version; its name appears in stack traces. */
    public static Source moduleSource(String name, String code) {
        return Source.newBuilder("js", code, name + ".mjs")
                .mimeType("application/javascript+module")
                .buildLiteral();
    }

    /**
     * Parses {@code code} as a module without running it.
     *
     * @return the syntax error, or empty when it parses
     */
    public Optional<SyntaxProblem> checkSyntax(String name, String code) {
        try (Context context = Context.newBuilder("js").engine(engine).allowHostAccess(HOST_ACCESS)
                .allowIO(IOAccess.NONE).build()) {
            context.parse(moduleSource(name, code));
            return Optional.empty();
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) throw e;
            SourceSection where = e.getSourceLocation();
            int line = where == null ? 0 : where.getStartLine();
            int column = where == null ? 0 : where.getStartColumn();
            return Optional.of(new SyntaxProblem(line, column, stripLocation(e.getMessage())));
        }
    }

    /** A syntax error with its 1-based line and column. */
    public record SyntaxProblem(int line, int column, String message) {}

    private static String stripLocation(String message) {
        // GraalJS prefixes "name.mjs:3:7 " to syntax errors; the line and column are reported separately
        if (message == null) return "syntax error";
        String first = message.lines().findFirst().orElse(message);
        return first.replaceFirst("^SyntaxError: ", "").replaceFirst("^\\S+:\\d+:\\d+\\s+", "");
    }

    private static String decodeUtf8(Object hostBuffer) {
        ByteBuffer buffer = ((ByteBuffer) hostBuffer).duplicate();
        if (buffer.remaining() >= 3 && buffer.get(buffer.position()) == (byte) 0xEF
                && buffer.get(buffer.position() + 1) == (byte) 0xBB && buffer.get(buffer.position() + 2) == (byte) 0xBF) {
            buffer.position(buffer.position() + 3); // UTF-8 decode drops a leading BOM
        }
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    private static Optional<String> resource(String path) {
        try (InputStream in = JsEngine.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + path + " from the class path", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        compiler.close();
        engine.close(true);
    }
}
