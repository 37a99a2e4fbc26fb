package dev.valence.runtime.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host side of the prelude's web APIs ({@code host.web}): loading the streams and URLPattern bundles, digests, compression,
 * fetch and the output of streamed responses. Functions that need the invocation find it through
 * the context's {@link HostScope}; outside of an invocation they answer "unavailable" (false or -1).
 * Only strings, numbers, byte buffers and guest functions cross.
 */
final class WebHost {
    private static final String WEB_BUNDLE = "dev/valence/runtime/js/web.js";
    private static final Source WEB = load(WEB_BUNDLE);
    /** Bundles a context evaluates the first time a val needs them. */
    private static final Map<String, Source> LAZY_BUNDLES = Map.of("urlpattern", load("dev/valence/runtime/js/urlpattern.js"));

    private WebHost() {}

    /** The functions of one context, reaching its invocation through {@code scope}. */
    static ProxyObject functions(HostScope scope) {
        return ProxyObject.fromMap(Map.of(
                "load", (ProxyExecutable) args -> {
                    Context.getCurrent().eval(WEB);
                    return null;
                },
                "bundle", (ProxyExecutable) args -> {
                    Source bundle = LAZY_BUNDLES.get(args[0].asString());
                    if (bundle == null) throw new IllegalArgumentException("no bundle named " + args[0]);
                    return Context.getCurrent().eval(bundle);
                },
                "zip", ZipCodec.OPEN,
                "digest", (ProxyExecutable) args -> digest(args[0].asString(), bytes(args[1])),
                "fetch", (ProxyExecutable) args -> {
                    CallScope call = scope.current();
                    if (call == null) return -1;
                    return call.fetch(args[0].asString(), args[1].asString(), args[2].asString(),
                            args[3].isNull() ? null : bytes(args[3]), args[4].asString(), args[5]);
                },
                "abort", (ProxyExecutable) args -> {
                    CallScope call = scope.current();
                    if (call != null) call.loop.cancel(args[0].asInt());
                    return null;
                },
                // one chunk of a streamed response; false when the stream must stop (over the limit, or the client left)
                "write", (ProxyExecutable) args -> {
                    CallScope call = scope.current();
                    return call != null && call.write(bytes(args[0]));
                }));
    }

    private static ByteBuffer digest(String algorithm, byte[] data) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    /** The bytes of a guest ArrayBuffer (or a host byte buffer). */
    static byte[] bytes(Value value) {
        if (value.isHostObject() && value.asHostObject() instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        byte[] bytes = new byte[Math.toIntExact(value.getBufferSize())];
        value.readBuffer(0, bytes, 0, bytes.length);
        return bytes;
    }

    private static Source load(String resource) {
        try (InputStream in = WebHost.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundle " + resource + " is missing from this build; rebuild with ./valence build");
            }
            String name = "valence:" + resource.substring(resource.lastIndexOf('/') + 1);
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), name).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }
}
