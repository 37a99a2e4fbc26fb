package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.snapshot.SnapshotKeeper;
import dev.valence.status.ComponentStatus;
import dev.valence.status.Impact;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.foundation.session.Sessions;
import dev.valence.foundation.audit.AuditEntry;
import dev.valence.foundation.audit.AuditLog;
import dev.valence.status.store.DeployState;
import dev.valence.status.store.StatusStore;
import dev.valence.status.store.TeamTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * For operators and the team, behind a team token: the deploy view ({@code /ops}: live instances,
 * builds, code levels, verdicts, schema version and floor, pending migrations, a mark when instances
 * disagree), a small form for posting incident updates from a phone, and the team tokens (create,
 * rotate, revoke). Browsers sign in once with a team token and get a session ({@link Sessions}): the
 * cookie holds a random session id, never the token. Every form is checked by {@link FormGuard}.
 */
final class OpsRoutes {
    static final String COOKIE = "valence_ops_session";

    private final Vertx vertx;
    private final TeamTokens tokens;
    private final Sessions sessions;
    private final DeployState deploys;
    private final StatusStore store;
    private final SnapshotKeeper keeper;
    private final FormGuard guard;
    private final boolean secureCookie;
    private volatile AuditLog audit;

    /** @param pageUrl the page's public address: its origin is accepted on forms; https there makes the cookie Secure */
    OpsRoutes(Vertx vertx, TeamTokens tokens, Sessions sessions, DeployState deploys, StatusStore store, SnapshotKeeper keeper, String pageUrl) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.sessions = sessions;
        this.deploys = deploys;
        this.store = store;
        this.keeper = keeper;
        this.guard = new FormGuard(pageUrl);
        this.secureCookie = pageUrl.startsWith("https://");
    }

    /** Who is signed in: by a session cookie (then {@code session} is set and forms need its CSRF token) or by a Bearer header. */
    private record SignedIn(TeamTokens.Token token, Sessions.Session session, String sessionId) {}

    void mount(Router router) {
        router.route("/ops*").handler(ctx -> {
            FormGuard.securityHeaders(ctx.response(), CSP);
            ctx.next();
        });
        router.route("/ops*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
        router.get("/ops").handler(ctx -> blocking(ctx, () -> signedIn(ctx).map(who -> opsView(who, null)).orElseGet(() -> login(null))));
        router.get("/ops/deploy.json").handler(ctx -> blocking(ctx, () -> {
            if (signedIn(ctx).isEmpty()) return new Page(401, "application/json", "{\"error\":{\"code\":\"unauthorized\",\"message\":\"This needs a team token.\"}}");
            return new Page(200, "application/json", deployJson(deploys.read()).encode());
        }));
        router.post("/ops/login").handler(ctx -> blocking(ctx, () -> signIn(ctx)));
        form(router, "/ops/logout", this::signOut);
        form(router, "/ops/post", this::post);
        form(router, "/ops/team-tokens", this::createToken);
        form(router, "/ops/team-tokens/:id/rotate", this::rotateToken);
        form(router, "/ops/team-tokens/:id/revoke", this::revokeToken);
    }

    /** A form that changes something: signed in, from this page's origin, with the session's CSRF token. */
    private void form(Router router, String path, java.util.function.BiFunction<RoutingContext, SignedIn, Page> handler) {
        router.post(path).handler(ctx -> blocking(ctx, () -> {
            Optional<String> foreign = guard.foreignOrigin(ctx.request());
            if (foreign.isPresent()) return refused(foreign.get());
            Optional<SignedIn> who = signedIn(ctx);
            if (who.isEmpty()) return login("Sign in again to do that.");
            if (who.get().session() != null) {
                Optional<String> missing = FormGuard.missingCsrf(who.get().session(), ctx.request().getFormAttribute("csrf"));
                if (missing.isPresent()) return refused(missing.get());
            }
            return handler.apply(ctx, who.get());
        }));
    }

    private record Page(int status, String contentType, String body) {}

    private void blocking(RoutingContext ctx, Callable<Page> work) {
        vertx.executeBlocking(work, false).onComplete(done -> {
            if (done.failed()) {
                Page failed = page(503, "Unavailable", "<p>The status data cannot be read or written now ("
                        + HtmlEscape.escape(done.cause().getMessage()) + "). Retry shortly.</p>");
                ctx.response().setStatusCode(failed.status()).putHeader("Content-Type", failed.contentType()).end(failed.body());
                return;
            }
            Page page = done.result();
            if (page.status() == 303) {
                ctx.response().setStatusCode(303).putHeader("Location", page.body()).end();
                return;
            }
            ctx.response().setStatusCode(page.status()).putHeader("Content-Type", page.contentType())
                    .putHeader("Cache-Control", "no-store").end(page.body());
        });
    }

    private Optional<SignedIn> signedIn(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokens.identify(header.substring(7).trim()).map(token -> new SignedIn(token, null, null));
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie == null) return Optional.empty();
        return sessions.find(cookie.getValue()).flatMap(session -> session.subject().kind() != Sessions.SubjectKind.TEAM ? Optional.empty()
                : tokens.active(session.subject().id()).map(token -> new SignedIn(token, session, cookie.getValue())));
    }

    private Page signIn(RoutingContext ctx) {
        Optional<String> foreign = guard.foreignOrigin(ctx.request());
        if (foreign.isPresent()) return refused(foreign.get());
        String secret = ctx.request().getFormAttribute("token");
        Optional<TeamTokens.Token> token = secret == null ? Optional.empty() : tokens.identify(secret.trim());
        if (token.isEmpty()) return login("That is not a valid team token.");
        sessions.purgeEnded();
        String client = ctx.request().remoteAddress() + " " + Optional.ofNullable(ctx.request().getHeader("User-Agent")).orElse("");
        Sessions.Started started = sessions.start(new Sessions.Subject(Sessions.SubjectKind.TEAM, token.get().id()), client);
        ctx.response().addCookie(cookie(started.id(), sessions.lifetime().toSeconds()));
        return redirect("/ops");
    }

    private Page signOut(RoutingContext ctx, SignedIn who) {
        if (who.sessionId() != null) sessions.end(who.sessionId());
        ctx.response().addCookie(cookie("", 0));
        return redirect("/ops");
    }

    private Cookie cookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secureCookie)
                .setPath("/ops").setMaxAge(maxAgeSeconds);
    }

    private Page post(RoutingContext ctx, SignedIn who) {
        var form = ctx.request().formAttributes();
        String body = form.get("body") == null ? "" : form.get("body").trim();
        if (body.isEmpty() || body.length() > 20_000) return opsView(who, "Write what is happening (at most 20,000 characters).");
        String incidentId = form.get("incident");
        try {
            if (incidentId == null || incidentId.isEmpty()) {
                String name = form.get("name") == null ? "" : form.get("name").trim();
                if (name.isEmpty() || name.length() > 300) return opsView(who, "A new incident needs a name (at most 300 characters).");
                String id = store.createIncident(new StatusStore.NewIncident(name, IncidentStatus.fromWire(form.get("status"), IncidentStatus.Kind.INCIDENT),
                        Impact.fromWire(form.get("impact") == null ? "minor" : form.get("impact")), Map.<String, ComponentStatus>of(), body,
                        null, null, null, "team")).orElse(null);
                audited(ctx, who, "incident.create", id);
            } else {
                Incident incident = keeper.reloadNow().snapshot().incidents().stream().filter(i -> i.id().equals(incidentId)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("that incident is no longer open"));
                store.postUpdate(incident.id(), IncidentStatus.fromWire(form.get("status"), incident.kind()), body, Map.of(), "team");
                audited(ctx, who, "incident.update", incident.id());
            }
        } catch (IllegalArgumentException e) {
            return opsView(who, e.getMessage());
        }
        keeper.reloadNow();
        return redirect("/ops");
    }

    private Page createToken(RoutingContext ctx, SignedIn who) {
        String name = Optional.ofNullable(ctx.request().getFormAttribute("name")).map(String::trim).orElse("");
        if (name.isEmpty() || name.length() > 100) return opsView(who, "A new team token needs a name (at most 100 characters).");
        TeamTokens.Created created = tokens.createInfo(name);
        audited(ctx, who, "team-token.create", Long.toString(created.info().id()));
        return newSecret("Team token created", created, false);
    }

    private Page rotateToken(RoutingContext ctx, SignedIn who) {
        long id = tokenId(ctx);
        Optional<TeamTokens.Created> created = id < 0 ? Optional.empty() : tokens.rotate(id);
        if (created.isEmpty()) return opsView(who, "There is no active team token " + ctx.pathParam("id") + " to rotate.", 404);
        audited(ctx, who, "team-token.rotate", Long.toString(id));
        return newSecret("Team token rotated", created.get(), id == who.token().id());
    }

    private Page revokeToken(RoutingContext ctx, SignedIn who) {
        long id = tokenId(ctx);
        return switch (id < 0 ? TeamTokens.Revoked.UNKNOWN : tokens.revoke(id)) {
            case REVOKED -> {
                audited(ctx, who, "team-token.revoke", Long.toString(id));
                yield redirect("/ops");
            }
            case UNKNOWN -> opsView(who, "There is no active team token " + ctx.pathParam("id") + " to revoke.", 404);
            case LAST_ACTIVE -> opsView(who, TeamTokenSection.lastActive(id), 409);
        };
    }

    private static long tokenId(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The one time a token's secret is shown (the page is sent with Cache-Control: no-store). */
    private static Page newSecret(String title, TeamTokens.Created created, boolean ownSessionEnded) {
        return page(200, title, "<p>The secret of team token '" + HtmlEscape.escape(created.info().name()) + "' (id " + created.info().id()
                + "), shown only now:</p><p><code id=\"new-token\">" + created.secret() + "</code></p>"
                + (ownSessionEnded ? "<p>You were signed in with the old secret, so this browser is signed out: sign in again with the new one.</p>" : "")
                + "<p><a href=\"/ops\">Back to the deploy view</a></p>");
    }

    /** Set by the status server when it records writes (see {@link StatusServer#withAudit}). */
    void audit(AuditLog audit) {
        this.audit = audit;
    }

    private void audited(RoutingContext ctx, SignedIn who, String action, String target) {
        if (audit == null) return;
        var remote = ctx.request().remoteAddress();
        audit.record(who.token().name(), AuditEntry.ActorKind.TEAM, action, target, remote == null ? null : remote.hostAddress(), "from /ops");
    }

    private static Page redirect(String to) {
        return new Page(303, "text/plain", to);
    }

    private Page login(String problem) {
        return page(problem == null ? 200 : 401, "Sign in",
                (problem == null ? "" : "<p role=\"alert\" class=\"bad\">" + HtmlEscape.escape(problem) + "</p>")
                        + "<form method=\"post\" action=\"/ops/login\"><label for=\"token\">Team token</label>"
                        + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required>"
                        + "<button type=\"submit\">Sign in</button></form>");
    }

    private Page refused(String sentence) {
        return page(403, "Refused", "<p role=\"alert\" class=\"bad\">" + sentence + "</p><p><a href=\"/ops\">Back to the deploy view</a></p>");
    }

    private Page opsView(SignedIn who, String problem) {
        return opsView(who, problem, problem == null ? 200 : 400);
    }

    private Page opsView(SignedIn who, String problem, int status) {
        DeployState.View view = deploys.read();
        var html = new StringBuilder();
        if (problem != null) html.append("<p role=\"alert\" class=\"bad\">").append(HtmlEscape.escape(problem)).append("</p>");
        if (view.mixed()) {
            html.append("<p class=\"warn\" role=\"status\"><strong>⚠ Instances disagree:</strong> ")
                    .append(view.live().stream().map(i -> i.buildId() + " (level " + i.codeLevel() + ")").distinct().count())
                    .append(" different builds are live.</p>");
        }
        html.append("<h2>Schema</h2><p>app v").append(view.schemaVersion()).append(", floor ").append(view.floor())
                .append(view.floorVersion() > 0 ? " (set by contract migration app v" + view.floorVersion() + ")" : "").append("</p>");
        html.append("<h3>Pending migrations (known to this build)</h3>");
        if (view.pending().isEmpty()) html.append("<p>None.</p>");
        else {
            html.append("<ul>");
            view.pending().forEach(m -> html.append("<li>app v").append(m.version()).append(" — ").append(HtmlEscape.escape(m.description())).append("</li>"));
            html.append("</ul>");
        }
        html.append("<h2>Instances</h2><table><thead><tr><th scope=\"col\">Instance</th><th scope=\"col\">Host</th><th scope=\"col\">Build</th>"
                + "<th scope=\"col\">Code level (min)</th><th scope=\"col\">Verdict</th><th scope=\"col\">Last seen</th></tr></thead><tbody>");
        Instant now = Instant.now();
        for (var i : view.instances()) {
            boolean ok = "compatible".equals(i.verdict());
            html.append("<tr").append(i.live() ? "" : " class=\"gone\"").append("><td>").append(HtmlEscape.escape(i.id())).append("</td><td>")
                    .append(HtmlEscape.escape(i.host())).append("</td><td><code>").append(HtmlEscape.escape(i.buildId())).append("</code></td><td>")
                    .append(i.codeLevel()).append(" (").append(i.codeMinimum()).append(")</td><td class=\"").append(ok ? "good" : "bad").append("\">")
                    .append(ok ? "✔ compatible" : "✖ " + HtmlEscape.escape(i.reason() == null ? i.verdict() : i.reason()))
                    .append("</td><td><time datetime=\"").append(i.lastSeenAt()).append("\">")
                    .append(Duration.between(i.lastSeenAt(), now).toSeconds()).append(" s ago").append(i.live() ? "" : " (not live)")
                    .append("</time></td></tr>");
        }
        html.append("</tbody></table>");
        html.append(postForm(who));
        html.append(TeamTokenSection.render(tokens.list(), who.token().id(), csrfField(who)));
        html.append("<form method=\"post\" action=\"/ops/logout\">").append(csrfField(who)).append("<button type=\"submit\">Sign out</button></form>");
        return page(status, "Deploy view", html.toString());
    }

    private static String csrfField(SignedIn who) {
        return who.session() == null ? "" : FormGuard.csrfField(who.session());
    }

    private String postForm(SignedIn who) {
        var open = keeper.view() == null ? java.util.List.<Incident>of() : keeper.view().snapshot().incidents().stream().filter(Incident::isOpen).toList();
        var form = new StringBuilder("<h2>Post an update</h2><form method=\"post\" action=\"/ops/post\">" + csrfField(who)
                + "<label for=\"incident\">Incident</label><select id=\"incident\" name=\"incident\"><option value=\"\">New incident…</option>");
        for (Incident i : open) {
            form.append("<option value=\"").append(HtmlEscape.escape(i.id())).append("\">").append(HtmlEscape.escape(i.name())).append("</option>");
        }
        form.append("</select><label for=\"name\">Name (new incident)</label><input id=\"name\" name=\"name\" maxlength=\"300\">"
                + "<label for=\"status\">Status</label><select id=\"status\" name=\"status\">");
        for (String s : new String[] {"investigating", "identified", "monitoring", "resolved"}) {
            form.append("<option>").append(s).append("</option>");
        }
        form.append("</select><label for=\"impact\">Impact (new incident)</label><select id=\"impact\" name=\"impact\">"
                + "<option>none</option><option selected>minor</option><option>major</option><option>critical</option></select>"
                + "<label for=\"body\">Update (Markdown)</label><textarea id=\"body\" name=\"body\" rows=\"5\" required></textarea>"
                + "<button type=\"submit\">Post</button></form>");
        return form.toString();
    }

    static JsonObject deployJson(DeployState.View view) {
        var instances = new JsonArray();
        view.instances().forEach(i -> instances.add(new JsonObject().put("instance", i.id()).put("host", i.host()).put("build", i.buildId())
                .put("codeLevel", i.codeLevel()).put("codeMinimum", i.codeMinimum()).put("verdict", i.verdict()).put("reason", i.reason())
                .put("startedAt", i.startedAt().toString()).put("lastSeenAt", i.lastSeenAt().toString()).put("live", i.live())));
        var pending = new JsonArray();
        view.pending().forEach(m -> pending.add(new JsonObject().put("version", m.version()).put("description", m.description())));
        return new JsonObject().put("schemaVersion", view.schemaVersion()).put("floor", view.floor()).put("floorVersion", view.floorVersion())
                .put("mixed", view.mixed()).put("instances", instances).put("pendingMigrations", pending).put("readAt", view.readAt().toString());
    }

    /** The pages' only styling, inline; the CSP allows exactly this text by its hash. */
    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}"
            + "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #d0d7de}"
            + ".good{color:#1a7f37}.bad{color:#cf222e}.warn{background:#fff8c5;padding:.6rem;border-radius:6px}.gone{opacity:.6}"
            + "label{display:block;margin-top:.8rem;font-weight:600}input,select,textarea{width:100%;font:inherit;padding:.4rem}"
            + "button{margin-top:1rem;font:inherit;padding:.5rem 1rem}td form{display:inline}td button{margin:0 .3rem 0 0;padding:.2rem .6rem}"
            + ":focus-visible{outline:3px solid #0969da}"
            + "@media(prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th,td{border-color:#30363d}"
            + ".good{color:#3fb950}.bad{color:#ff7b72}.warn{background:#3b2e00}}";
    private static final String CSP = FormGuard.contentSecurityPolicy(STYLE);

    private static Page page(int status, String title, String body) {
        return new Page(status, "text/html; charset=utf-8", "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + HtmlEscape.escape(title) + " · Valence</title>"
                + "<style>" + STYLE + "</style></head><body><header><h1>"
                + HtmlEscape.escape(title) + "</h1></header><main>" + body + "</main></body></html>");
    }
}
