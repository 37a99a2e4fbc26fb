package dev.valence.runtime.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The web editor's page at {@code /} and its bundle at {@code /editor/assets/}, built at build time
 * (runtime/editor: CodeMirror and the editor's own script, bundled by esbuild) and served from the
 * class path: nothing is fetched from anywhere else at run time. Served on the API's origin only:
 * a request by a val's host name never reaches here. The policy allows this origin's script, style and
 * fetches, and frames only from the vals' origins (the preview); nothing may frame the editor.
 */
final class EditorPage {
    static final String ASSETS = "dev/valence/runtime/editor";
    private static final String NONCE_PLACEHOLDER = "{{style-nonce}}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String index;
    private final Supplier<String> frameSources;
    private final java.util.Optional<String> valsDomain;

    /**
     * @param frameSources the CSP source list for the vals' origins, such as {@code http://*.localhost:8080}
     * @param valsDomain VALS_DOMAIN: the editor is never served on a host under it
     */
    EditorPage(Supplier<String> frameSources, java.util.Optional<String> valsDomain) {
        this.frameSources = frameSources;
        this.valsDomain = valsDomain.map(d -> d.toLowerCase(java.util.Locale.ROOT));
        this.index = resource(ASSETS + "/index.html");
    }

    void mount(Router router, EditorSessions sessions, io.vertx.core.Handler<RoutingContext> jsonBodies) {
        router.get("/").handler(this::notUnderValsDomain).handler(this::index);
        router.route("/editor/*").handler(this::notUnderValsDomain);
        router.get("/editor/session").handler(sessions::current);
        router.post("/editor/session").handler(jsonBodies).handler(sessions::signIn);
        router.delete("/editor/session").handler(sessions::signOut);
        router.get("/editor/assets/*").handler(ctx -> {
            headers(ctx.response()).putHeader("Cache-Control", "no-cache");
            ctx.next();
        }).handler(StaticHandler.create(ASSETS).setCachingEnabled(false).setDirectoryListing(false).setIndexPage("-"));
    }

    /**
     * A host under VALS_DOMAIN that names no val ({@code www.}, {@code api.}) is a sibling of every
     * val's origin, the same site as they are: the editor and its cookie stay off it, and such a
     * request goes on to the route table's "nothing here".
     */
    private void notUnderValsDomain(RoutingContext ctx) {
        var authority = ctx.request().authority();
        String host = authority == null ? "" : authority.host().toLowerCase(java.util.Locale.ROOT);
        if (valsDomain.isPresent() && host.endsWith("." + valsDomain.get())) {
            ctx.fail(ApiError.notFound("Nothing at " + ctx.request().path() + ". Vals live at /v/{owner}/{val}, the API at /api/v1."));
        } else {
            ctx.next();
        }
    }

    /**
     * The page, with a fresh nonce for the styles CodeMirror writes into {@code <style>} elements as it
     * mounts (its themes and highlighting): the only inline style the policy lets in.
     */
    private void index(RoutingContext ctx) {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        String nonce = Base64.getEncoder().encodeToString(random);
        headers(ctx.response(), " 'nonce-" + nonce + "'").putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(index.replace(NONCE_PLACEHOLDER, nonce));
    }

    private HttpServerResponse headers(HttpServerResponse response) {
        return headers(response, "");
    }

    private HttpServerResponse headers(HttpServerResponse response, String styleNonce) {
        return response.putHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'" + styleNonce + ";"
                        + " connect-src 'self'; img-src 'self' data:; frame-src " + frameSources.get()
                        + "; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "same-origin");
    }

    private static String resource(String path) {
        try (InputStream in = EditorPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the class path: the build bundles the editor"
                        + " (runtime/editor/bundle.sh); build again with ./valence build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
