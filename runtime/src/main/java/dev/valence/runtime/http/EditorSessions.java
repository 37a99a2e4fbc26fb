package dev.valence.runtime.http;

import dev.valence.runtime.store.User;
import dev.valence.runtime.store.UserStore;
import dev.valence.foundation.session.Sessions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Signing in to the web editor, and the API honouring its session.
 *
 * <p>A browser signs in with an API token once ({@code POST /editor/session}); the token is checked
 * and forgotten, and the browser holds a session id from the shared store ({@link Sessions}, in
 * {@code control.sessions}) in the cookie {@value #COOKIE}: HttpOnly, SameSite=Strict, Secure behind
 * TLS, expiring with the session. Vals never see it (the runtime strips {@code valence_} cookies).
 *
 * <p>The API takes that cookie only for the editor's own calls: a request with the cookie and no
 * {@code Authorization} header must say {@code Sec-Fetch-Site: same-origin}, carry an {@code Origin}
 * of this server if any, and the session's CSRF token in {@value #CSRF_HEADER}; a val's page (another
 * origin of the same site, which SameSite=Strict lets through) has none of these. Then the request
 * goes on as if it carried the session as its credential ({@link #SCHEME}{@code <id>}, which only this
 * class writes: a {@code Session} header from outside is refused).
 */
final class EditorSessions {
    static final String COOKIE = "valence_editor_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SCHEME_NAME = "Session ";
    /**
     * What the bridge writes in front of a checked session id: the scheme and a random mark made when
     * the process starts and never sent anywhere, so a header from outside (to the API or to a
     * private val) can never pass for one.
     */
    static final String SCHEME = SCHEME_NAME + randomMark() + " ";

    private final Sessions sessions;
    private final Authenticator auth;
    private final UserStore users;
    private final WorkerExecutor dbWorkers;
    private final Supplier<String> publicUrl;
    private final Supplier<String> valUrlTemplate;

    EditorSessions(Sessions sessions, Authenticator auth, UserStore users, WorkerExecutor dbWorkers, Supplier<String> publicUrl,
                   Supplier<String> valUrlTemplate) {
        this.sessions = sessions;
        this.auth = auth;
        this.users = users;
        this.dbWorkers = dbWorkers;
        this.publicUrl = publicUrl;
        this.valUrlTemplate = valUrlTemplate;
        auth.acceptSessions(id -> sessions.find(id).filter(s -> s.subject().kind() == Sessions.SubjectKind.USER)
                .flatMap(s -> users.byId(s.subject().id())));
    }

    /** On every /api request: an editor's cookie becomes its credential after the origin and CSRF checks. */
    void bridge(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.startsWith(SCHEME_NAME)) {
            ctx.fail(ApiError.unauthorized("The 'Session' scheme is the web editor's own; scripts send 'Authorization: Bearer <token>'."));
            return;
        }
        Cookie cookie = request.getCookie(COOKIE);
        if (authorization != null || cookie == null) {
            ctx.next();
            return;
        }
        Optional<String> foreign = foreignOrigin(request);
        if (foreign.isPresent()) {
            ctx.fail(new ApiError(403, "cross_origin", foreign.get()));
            return;
        }
        String id = cookie.getValue();
        String presented = request.getHeader(CSRF_HEADER);
        request.pause();
        Callable<Optional<Sessions.Session>> find = () -> sessions.find(id);
        dbWorkers.executeBlocking(find, false).onComplete(done -> {
            request.resume();
            if (done.failed()) {
                ctx.fail(done.cause());
            } else if (done.result().isEmpty()) {
                ctx.fail(new ApiError(401, "session_ended", "Your editor session has ended (signed out, expired or revoked); sign in again at /."));
            } else if (!done.result().get().csrfMatches(presented)) {
                ctx.fail(new ApiError(403, "csrf", "This request has no valid " + CSRF_HEADER + " header for your editor session;"
                        + " the editor sends it by itself: reload / and try again."));
            } else {
                request.headers().set("Authorization", SCHEME + id);
                ctx.next();
            }
        });
    }

    /** {@code GET /editor/session}: who is signed in, with the CSRF token and what the editor needs to know; 401 when nobody. */
    void current(RoutingContext ctx) {
        Optional<String> foreign = foreignOrigin(ctx.request());
        if (foreign.isPresent()) {
            ctx.fail(new ApiError(403, "cross_origin", foreign.get()));
            return;
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie == null) {
            ctx.fail(ApiError.unauthorized("Not signed in: sign in with an API token."));
            return;
        }
        blocking(ctx, () -> {
            var session = sessions.find(cookie.getValue()).filter(s -> s.subject().kind() == Sessions.SubjectKind.USER)
                    .orElseThrow(() -> new ApiError(401, "session_ended", "Your editor session has ended; sign in again."));
            User user = users.byId(session.subject().id()).orElseThrow(() -> new ApiError(401, "session_ended", "Your user no longer exists."));
            return sessionJson(user, session);
        }, 200);
    }

    /** {@code POST /editor/session} with {@code {"token": "vl_..."}}: checks the token and starts a session. */
    void signIn(RoutingContext ctx) {
        Optional<String> foreign = foreignOrigin(ctx.request());
        if (foreign.isPresent()) {
            ctx.fail(new ApiError(403, "cross_origin", foreign.get()));
            return;
        }
        blocking(ctx, () -> {
            String token = JsonBodies.string(JsonBodies.object(ctx), "token", true).strip();
            User user;
            try {
                user = auth.required("Bearer " + token);
            } catch (ApiError e) {
                throw ApiError.unauthorized("That API token is not valid (unknown, deleted or mistyped). Copy it again"
                        + " (the first one is in ~/.valence/bootstrap-token) or ask an admin for a new one.");
            }
            String client = Forwarded.clientAddress(ctx) + " " + Optional.ofNullable(ctx.request().getHeader("User-Agent")).orElse("");
            var started = sessions.start(new Sessions.Subject(Sessions.SubjectKind.USER, user.id()), client);
            ctx.response().addCookie(Cookie.cookie(COOKIE, started.id()).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(secure(ctx.request())).setMaxAge(sessions.lifetime().toSeconds()));
            return sessionJson(user, started.session());
        }, 201);
    }

    /** {@code DELETE /editor/session}: ends the session in the database (a copied cookie stops working too) and clears the cookie. */
    void signOut(RoutingContext ctx) {
        Optional<String> foreign = foreignOrigin(ctx.request());
        if (foreign.isPresent()) {
            ctx.fail(new ApiError(403, "cross_origin", foreign.get()));
            return;
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        String presented = ctx.request().getHeader(CSRF_HEADER);
        blocking(ctx, () -> {
            if (cookie != null) {
                var session = sessions.find(cookie.getValue());
                if (session.isPresent() && !session.get().csrfMatches(presented)) {
                    throw new ApiError(403, "csrf", "Signing out needs the session's " + CSRF_HEADER + " header; use the editor's Sign out button.");
                }
                if (session.isPresent()) sessions.end(cookie.getValue());
                auth.forgetAll();
            }
            ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                    .setSecure(secure(ctx.request())).setMaxAge(0));
            return null;
        }, 204);
    }

    private JsonObject sessionJson(User user, Sessions.Session session) {
        return new JsonObject().put("user", user.name()).put("role", user.role().wire()).put("csrfToken", session.csrfToken())
                .put("expiresAt", session.expiresAt().toString()).put("valUrlTemplate", valUrlTemplate.get());
    }

    private void blocking(RoutingContext ctx, Callable<JsonObject> work, int status) {
        dbWorkers.executeBlocking(work, false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            var response = SecurityHeaders.json(ctx.response()).putHeader("Cache-Control", "no-store").setStatusCode(status);
            if (done.result() == null) response.end();
            else response.putHeader("Content-Type", "application/json").end(done.result().encode());
        });
    }

    private static String randomMark() {
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private boolean secure(HttpServerRequest request) {
        return request.isSSL() || publicUrl.get().startsWith("https://");
    }

    /**
     * The sentence refusing a request from anywhere but the editor's own page, or empty. A browser's
     * fetch always says where it comes from in {@code Sec-Fetch-Site}; a val on another port or
     * subdomain is "same-site", which is not enough.
     */
    Optional<String> foreignOrigin(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (!"same-origin".equals(site)) {
            return Optional.of("The editor's session is accepted only from the editor's own page (Sec-Fetch-Site: same-origin), this request says "
                    + (site == null ? "nothing" : "'" + site + "'") + ". Scripts send 'Authorization: Bearer <token>' instead.");
        }
        String origin = request.getHeader("Origin");
        if (origin == null) return Optional.empty();
        var authority = request.authority();
        String host = authority == null ? "" : authority.host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]"; // an IPv6 literal, as Origin writes it
        String own = (request.isSSL() ? "https://" : "http://") + host + (authority == null || authority.port() < 0 ? "" : ":" + authority.port());
        if (origin.equalsIgnoreCase(own) || origin.equalsIgnoreCase(publicUrl.get())) return Optional.empty();
        return Optional.of("This request came from " + (origin.length() > 200 ? origin.substring(0, 200) + "…" : origin)
                + ", not from the editor's own page; the editor's session is accepted only from " + own + ".");
    }
}
