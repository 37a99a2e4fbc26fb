package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.foundation.session.Sessions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * What keeps other pages from acting through a signed-in browser at /ops. SameSite=Strict is not
 * enough: vals are served from the same site (another port or subdomain), and same-site requests
 * carry Strict cookies. So every form that changes something must come from this page's own origin
 * ({@code Origin}, or {@code Sec-Fetch-Site} when a browser sends no Origin) and, when the browser is
 * signed in by cookie, carry the session's CSRF token. Requests with a team token in the
 * Authorization header carry no ambient credential and need no CSRF token.
 */
final class FormGuard {
    private final String pageOrigin;

    /** @param pageUrl the page's public address (STATUS_PAGE_URL): forms from its origin are accepted too */
    FormGuard(String pageUrl) {
        this.pageOrigin = origin(pageUrl);
    }

    /** The sentence refusing a request that came from another origin, or empty when it is this page's own. */
    Optional<String> foreignOrigin(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            String site = request.getHeader("Sec-Fetch-Site");
            if (site == null || site.equals("same-origin") || site.equals("none")) return Optional.empty();
            return Optional.of("This form was sent from another " + ("same-site".equals(site) ? "page of this site" : "site")
                    + ", not from this page; the deploy view accepts forms only from itself. Open /ops and post from there.");
        }
        var authority = request.authority();
        String host = authority == null ? "" : authority.host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]"; // an IPv6 literal, as Origin writes it
        String own = (request.isSSL() ? "https://" : "http://") + host + (authority == null || authority.port() < 0 ? "" : ":" + authority.port());
        if (origin.equalsIgnoreCase(own) || origin.equalsIgnoreCase(pageOrigin)) return Optional.empty();
        return Optional.of("This form was sent from " + HtmlEscape.escape(origin.length() > 200 ? origin.substring(0, 200) + "…" : origin)
                + ", not from this page; the deploy view accepts forms only from itself. Open /ops and post from there.");
    }

    /** The sentence refusing a form without this session's CSRF token, or empty when it carries it. */
    static Optional<String> missingCsrf(Sessions.Session session, String presented) {
        if (session.csrfMatches(presented)) return Optional.empty();
        return Optional.of("This form has no valid security token (it may be older than your sign-in). Reload /ops and post again.");
    }

    /** The hidden field every /ops form carries. */
    static String csrfField(Sessions.Session session) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + HtmlEscape.escape(session.csrfToken()) + "\">";
    }

    /**
     * Headers on every /ops answer: no framing (clickjacking a form), no script at all (the pages need
     * none), only the page's own stylesheet (by hash), forms only to this origin, no referrer leaving for other origins.
     */
    static void securityHeaders(HttpServerResponse response, String contentSecurityPolicy) {
        response.putHeader("Content-Security-Policy", contentSecurityPolicy)
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("X-Content-Type-Options", "nosniff")
                // not no-referrer: under it browsers send "Origin: null" on the page's own form posts
                .putHeader("Referrer-Policy", "same-origin");
    }

    /** The policy for pages whose only styling is one inline {@code <style>} with exactly this text. */
    static String contentSecurityPolicy(String style) {
        return "default-src 'none'; style-src 'sha256-" + sha256(style) + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) return "";
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
