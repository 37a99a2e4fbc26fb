package dev.valence.runtime.engine;

import dev.valence.foundation.outbound.AllowList;
import dev.valence.foundation.outbound.OutboundGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.graalvm.polyglot.Value;

/**
 * Outbound HTTP for vals' {@code fetch}: Vert.x's client, asynchronous, with every event posted to the
 * invocation's {@link EventLoop}. Before each hop (the first request and every redirect, followed here
 * by hand, at most {@value #MAX_REDIRECTS}) the host is resolved and every address checked by
 * {@link OutboundGuard}; the connection then goes to the checked address itself (the Host header and
 * TLS server name keep the host name), so a second DNS answer cannot point it elsewhere.
 */
public final class Fetcher implements AutoCloseable {
    /** The setting that lets vals reach hosts and networks the guard refuses. */
    public static final String ALLOW_VARIABLE = "VAL_FETCH_ALLOW";
    static final int MAX_REDIRECTS = 20;
    /** Fetches one invocation may have in flight at once (sockets, DNS lookups and traffic stay bounded). */
    static final int MAX_IN_FLIGHT = 64;

    /** Credentials a redirect to another origin must not carry (as the Fetch standard and Deno do). */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private static final Set<String> DROPPED_REQUEST_HEADERS = Set.of("host", "content-length", "connection", "keep-alive",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "expect");

    /** Limits of fetch: who may be reached, how long a connect or a silence may last, how big a response may be. */
    public record Settings(AllowList allow, long timeoutMs, long maxResponseBytes) {}

    private final HttpClient client;
    private final OutboundGuard guard;
    private final Settings settings;
    private final ExecutorService resolvers = Executors.newVirtualThreadPerTaskExecutor();

    private final Vertx vertx;

    public Fetcher(Vertx vertx, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.guard = new OutboundGuard(settings.allow(), ALLOW_VARIABLE);
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setDecompressionSupported(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeoutMs()))
                        // a fresh connection per hop, to the address checked for that hop: no pooled connection
                        // outlives its check or is shared between host names
                        .setKeepAlive(false),
                new PoolOptions().setHttp1MaxSize(64));
    }

    /** Starts a fetch; its events reach {@code events} (a guest function) on the guest's thread. Returns its id. */
    int start(EventLoop loop, String method, String url, String rawHeaders, byte[] body, String redirect, Value events) {
        if (loop.pendingOperations() >= MAX_IN_FLIGHT) return -2; // the guest rejects with a sentence naming the cap
        var fetch = new Fetch(loop, method, rawHeaders, body, redirect, events);
        fetch.id = loop.started(fetch);
        resolvers.execute(() -> fetch.hop(url, 0));
        return fetch.id;
    }

    /** Whether {@code next} has the scheme, host and port of {@code from}. */
    static boolean sameOrigin(URI from, String next) {
        try {
            URI to = new URI(next);
            return from.getScheme().equalsIgnoreCase(to.getScheme()) && from.getHost().equalsIgnoreCase(to.getHost())
                    && effectivePort(from) == effectivePort(to);
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The raw header list without the credential headers. */
    static String withoutCredentials(String rawHeaders) {
        String[] parts = rawHeaders.split("\0", -1);
        var kept = new StringBuilder();
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (CREDENTIAL_HEADERS.contains(parts[i].toLowerCase(Locale.ROOT))) continue;
            kept.append(parts[i]).append('\0').append(parts[i + 1]).append('\0');
        }
        return kept.toString();
    }

    private final class Fetch implements EventLoop.Operation {
        private final EventLoop loop;
        private String rawHeaders;
        private final String redirect;
        private final Value events;
        private String method;
        private byte[] body;
        private int id;
        private volatile boolean over;      // the last event was posted
        private volatile boolean cancelled; // aborted by the guest or the end of the invocation
        private volatile HttpClientRequest request;

        Fetch(EventLoop loop, String method, String rawHeaders, byte[] body, String redirect, Value events) {
            this.loop = loop;
            this.method = method;
            this.rawHeaders = rawHeaders;
            this.body = body;
            this.redirect = redirect;
            this.events = events;
        }

        void hop(String url, int redirects) {
            try {
                URI uri;
                try {
                    uri = new URI(url);
                } catch (URISyntaxException e) {
                    fail("fetch: '" + url + "' is not a URL Valence can fetch (" + e.getReason() + ")");
                    return;
                }
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    fail("fetch: the scheme '" + scheme + ":' is not supported; only http: and https: URLs can be fetched");
                    return;
                }
                if (uri.getHost() == null) {
                    fail("fetch: '" + url + "' has no host");
                    return;
                }
                OutboundGuard.Verdict verdict;
                try {
                    verdict = guard.check(uri.getHost());
                } catch (UnknownHostException e) {
                    fail("fetch to " + url + " failed: the host '" + uri.getHost() + "' could not be resolved");
                    return;
                }
                if (verdict.refusal().isPresent()) {
                    fail("fetch to " + url + " " + verdict.refusal().get());
                    return;
                }
                InetAddress address = pick(verdict.addresses());
                boolean ssl = scheme.equals("https");
                int port = uri.getPort() >= 0 ? uri.getPort() : ssl ? 443 : 80;
                String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
                String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                var options = new RequestOptions()
                        .setMethod(HttpMethod.valueOf(method))
                        .setHost(host)
                        .setPort(port)
                        .setSsl(ssl)
                        .setURI(path)
                        .setServer(SocketAddress.inetSocketAddress(new java.net.InetSocketAddress(address, port)))
                        .setConnectTimeout(settings.timeoutMs())
                        .setIdleTimeout(settings.timeoutMs())
                        .setFollowRedirects(false);
                String[] parts = rawHeaders.split("\0", -1);
                for (int i = 0; i + 1 < parts.length; i += 2) {
                    if (!DROPPED_REQUEST_HEADERS.contains(parts[i].toLowerCase(Locale.ROOT))) options.addHeader(parts[i], parts[i + 1]);
                }
                if (cancelled) return;
                // On an event loop, so the response's handlers are set in the tick its head arrives in:
                // from this resolver thread a short response could end before they were, and its end
                // was never seen (the val waited until its time limit).
                vertx.getOrCreateContext().runOnContext(v -> {
                    if (cancelled) return;
                    client.request(options).compose(req -> {
                        request = req;
                        if (cancelled) req.reset();
                        return body == null ? req.send() : req.send(Buffer.buffer(body));
                    }).onSuccess(response -> answered(response, url, uri, redirects)).onFailure(e -> fail(
                            "fetch to " + url + " failed: " + describe(e)));
                });
            } catch (RuntimeException e) {
                fail("fetch to " + url + " failed: " + describe(e));
            }
        }

        private void answered(HttpClientResponse response, String url, URI uri, int redirects) {
            if (cancelled) return;
            int status = response.statusCode();
            String location = response.getHeader("location");
            if (location != null && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && !redirect.equals("manual")) {
                response.exceptionHandler(e -> {}); // the reset below ends this response on purpose
                response.request().reset();
                if (redirect.equals("error")) {
                    fail("fetch to " + url + " was redirected (" + status + ") and the request's redirect mode is 'error'");
                    return;
                }
                if (redirects >= MAX_REDIRECTS) {
                    fail("fetch to " + url + " failed: more than " + MAX_REDIRECTS + " redirects");
                    return;
                }
                String next;
                try {
                    next = uri.resolve(new URI(location.trim())).toString();
                } catch (URISyntaxException | IllegalArgumentException e) {
                    fail("fetch to " + url + " failed: the redirect location '" + location + "' is not a URL");
                    return;
                }
                if (status == 303 && !method.equals("GET") && !method.equals("HEAD")
                        || (status == 301 || status == 302) && method.equals("POST")) {
                    method = "GET";
                    body = null;
                }
                if (!sameOrigin(uri, next)) rawHeaders = withoutCredentials(rawHeaders);
                resolvers.execute(() -> hop(next, redirects + 1));
                return;
            }
            var headers = new StringBuilder();
            for (Map.Entry<String, String> header : response.headers()) {
                headers.append(header.getKey().toLowerCase(Locale.ROOT)).append('\0').append(header.getValue()).append('\0');
            }
            String statusText = response.statusMessage() == null ? "" : response.statusMessage();
            boolean redirected = redirects > 0;
            post(() -> events.execute("head", status, statusText, headers.toString(), url, redirected));
            long[] received = {0};
            response.handler(chunk -> {
                if (over) return;
                received[0] += chunk.length();
                if (received[0] > settings.maxResponseBytes()) {
                    fail("fetch: the response body of " + url + " is larger than " + settings.maxResponseBytes() + " bytes (the limit)");
                    response.request().reset(); // after fail(): the reset's own error is then ignored
                    return;
                }
                byte[] bytes = chunk.getBytes();
                post(() -> events.execute("chunk", ByteBuffer.wrap(bytes)));
            });
            response.exceptionHandler(e -> fail("fetch: reading the response body of " + url + " failed: " + describe(e)));
            response.endHandler(v -> finish(() -> events.execute("end")));
        }

        private void post(Runnable completion) {
            loop.post(() -> {
                if (!cancelled) completion.run();
            });
        }

        private void fail(String message) {
            finish(() -> events.execute("error", message));
        }

        /** Posts the last event: the operation no longer counts as pending. */
        private void finish(Runnable last) {
            if (over) return;
            over = true;
            loop.post(() -> {
                loop.finished(id);
                if (!cancelled) last.run();
            });
        }

        @Override
        public void cancel() {
            over = true;
            cancelled = true;
            HttpClientRequest current = request;
            if (current != null) current.reset();
        }
    }

    private static InetAddress pick(List<InetAddress> addresses) {
        return addresses.stream().filter(a -> a instanceof Inet4Address).findFirst().orElse(addresses.getFirst());
    }

    private static String describe(Throwable e) {
        String name = e.getClass().getSimpleName();
        if (name.contains("Timeout")) return "timed out";
        if (e instanceof java.net.ConnectException || name.contains("Connect")) return "could not connect (" + e.getMessage() + ")";
        return e.getMessage() == null ? name : e.getMessage();
    }

    @Override
    public void close() {
        resolvers.shutdownNow();
        client.close();
    }
}
