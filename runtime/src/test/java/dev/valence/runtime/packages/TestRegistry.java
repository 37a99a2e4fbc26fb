package dev.valence.runtime.packages;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server speaking the npm registry's read API (GET /{name} for a packument,
 * GET /{name}/-/{file}.tgz for a tarball) from the real packuments under
 * src/test/resources/npm-registry (see fetch.sh there) and the tarballs {@link TestTarballs} fetches
 * with npm pack and checks against that directory's tarballs.json. Packuments name registry.npmjs.org in
 * their tarball URLs; this server rewrites them to itself, as a mirror does. It records every
 * request's path so tests can count what the resolver asked for.
 */
final class TestRegistry implements AutoCloseable {
    private static final String PUBLIC_REGISTRY = "https://registry.npmjs.org";

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final Set<String> tampered = ConcurrentHashMap.newKeySet();
    private final Set<String> stalled = ConcurrentHashMap.newKeySet();

    TestRegistry() {
        server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            synchronized (requests) {
                requests.add(path);
            }
            if (stalled.contains(path)) {
                request.response().setChunked(true).write("{"); // headers and a first byte, then nothing more
                return;
            }
            String name = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
            if (name.contains("/-/")) {
                String file = name.substring(name.lastIndexOf('/') + 1);
                byte[] tarball = TestTarballs.bytes(file);
                if (tarball == null) {
                    request.response().setStatusCode(404).end("{\"error\":\"Not found\"}");
                    return;
                }
                if (tampered.contains(file)) {
                    tarball[tarball.length / 2] ^= 1; // one flipped bit, as a bad proxy or disk would
                }
                request.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(tarball));
                return;
            }
            byte[] packument = resource("packuments/" + name.replace("/", "%2f") + ".json");
            if (packument == null) {
                request.response().setStatusCode(404).putHeader("Content-Type", "application/json").end("{\"error\":\"Not found\"}");
                return;
            }
            String json = new String(packument, StandardCharsets.UTF_8).replace(PUBLIC_REGISTRY, url());
            request.response().putHeader("Content-Type", "application/vnd.npm.install-v1+json").end(json);
        }).listen(0, "127.0.0.1").await();
    }

    static byte[] resource(String path) {
        try (InputStream in = TestRegistry.class.getResourceAsStream("/npm-registry/" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Serves this tarball (by file name) with one bit flipped from now on. */
    void tamper(String file) {
        tampered.add(file);
    }

    /** Answers this path with headers and one byte, then never finishes the body. */
    void stall(String path) {
        stalled.add(path);
    }

    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    @Override
    public void close() {
        server.close().await();
        vertx.close().await();
    }
}
