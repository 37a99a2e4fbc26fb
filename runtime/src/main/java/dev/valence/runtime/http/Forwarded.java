package dev.valence.runtime.http;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;

/**
 * What a request's forwarding headers may be believed to say. X-Forwarded-For, -Proto, -Host and
 * -Prefix count only when the connection comes from TRUSTED_PROXIES; from anyone else they are
 * ignored, since a client can write anything there. Either way a val sees each of them once, as
 * Valence decided it, never a client's value with Valence's appended ({@code Forwarded}, RFC 7239,
 * is dropped: the X- headers carry the same).
 */
public final class Forwarded {
    /** Request headers a val never gets as the client sent them. */
    static final Set<String> HEADERS = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "x-forwarded-prefix", "x-forwarded-port", "x-real-ip");

    /** The request as the visitor made it: scheme, host (with port), the visitor's address and a path prefix (may be empty). */
    public record View(String scheme, String host, String clientAddress, String prefix) {}

    /** Where {@link #remember} keeps the visitor's address on a request's context. */
    private static final String CLIENT_ADDRESS = "valence.clientAddress";

    private final TrustedProxies proxies;

    public Forwarded(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    /** Route handler: keeps the visitor's address for what counts or records by address (rate limits, the audit log). */
    public void remember(io.vertx.ext.web.RoutingContext ctx) {
        ctx.put(CLIENT_ADDRESS, of(ctx.request()).clientAddress());
        ctx.next();
    }

    /** The visitor's address: from TRUSTED_PROXIES' X-Forwarded-For when the connection comes from one, else the peer's. */
    public static String clientAddress(io.vertx.ext.web.RoutingContext ctx) {
        String remembered = ctx.get(CLIENT_ADDRESS);
        if (remembered != null) return remembered;
        var remote = ctx.request().remoteAddress();
        if (remote == null) return null;
        return remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    }

    public View of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String scheme = request.scheme() == null ? "http" : request.scheme();
        String host = request.authority() == null ? "localhost" : request.authority().toString();
        if (!proxies.trusts(peer)) return new View(scheme, host, peer, "");
        String proto = first(request.getHeader("X-Forwarded-Proto"));
        if (proto != null) proto = proto.toLowerCase(Locale.ROOT);
        if ("http".equals(proto) || "https".equals(proto)) scheme = proto;
        String forwardedHost = first(request.getHeader("X-Forwarded-Host"));
        if (forwardedHost != null && forwardedHost.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) host = forwardedHost;
        String prefix = first(request.getHeader("X-Forwarded-Prefix"));
        prefix = prefix != null && prefix.startsWith("/") && prefix.matches("[^\\s?#]*") ? stripSlash(prefix) : "";
        return new View(scheme, host, client(request.headers().getAll("X-Forwarded-For"), peer), prefix);
    }

    /** The visitor: walking X-Forwarded-For from the right (the hops nearest to us), the first address no trusted proxy has. */
    private String client(java.util.List<String> headers, String peer) {
        String client = peer;
        var hops = new java.util.ArrayList<String>();
        for (String header : headers) for (String hop : header.split(",")) if (!hop.isBlank()) hops.add(hop.trim());
        for (int i = hops.size() - 1; i >= 0; i--) {
            client = hops.get(i);
            if (!proxies.trusts(client)) return client;
        }
        return client;
    }

    private static String first(String value) {
        if (value == null) return null;
        String first = value.split(",", 2)[0].trim();
        return first.isEmpty() ? null : first;
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
