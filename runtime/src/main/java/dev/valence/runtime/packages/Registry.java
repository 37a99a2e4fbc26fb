package dev.valence.runtime.packages;

import dev.valence.foundation.outbound.AllowList;
import dev.valence.foundation.outbound.OutboundGuard;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Reads an npm registry's read API: a package's metadata (its packument) and a version's tarball.
 * Packuments are asked for in npm's abbreviated form, which holds everything resolution reads
 * (versions, dependencies, peer dependencies, dist-tags, dist.integrity and dist.tarball) at a
 * fraction of the size, and are reused while younger than {@link Settings#metadataTtl}. Tarballs
 * are checked against their sha512 {@code dist.integrity} before anything else reads them.
 */
public final class Registry {
    static final String ABBREVIATED = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

    /**
     * @param url               the registry's base URL (NPM_REGISTRY_URL), without a trailing slash
     * @param metadataTtl       how long a packument is reused (NPM_METADATA_TTL_S)
     * @param maxPackumentBytes a packument larger than this is refused: abbreviated packuments of the biggest
     *                          packages (thousands of versions) stay under 16 MB, so more means a broken registry
     * @param maxTarballBytes   a tarball larger than this is refused: 32 MB holds the largest packages vals import
     *                          (typescript's tarball is under 10 MB) while keeping one save's memory bounded
     * @param requestTimeout    one registry request's limit, so an unresponsive registry fails a save instead of hanging it
     * @param allow             what the outbound guard lets the registry fetch reach although reserved (NPM_REGISTRY_ALLOW):
     *                          the fetch is the host's, so a registry on a private address must be opened on purpose
     */
    public record Settings(URI url, Duration metadataTtl, long maxPackumentBytes, long maxTarballBytes, Duration requestTimeout,
                           AllowList allow) {
        public static Settings defaults(URI url, Duration metadataTtl, AllowList allow) {
            return new Settings(url, metadataTtl, 16L * 1024 * 1024, 32L * 1024 * 1024, Duration.ofSeconds(30), allow);
        }
    }

    /** The setting that opens the guard for the registry, named in its refusals. */
    public static final String ALLOW_VARIABLE = "NPM_REGISTRY_ALLOW";

    private record Cached(JsonObject packument, long fetchedAtNanos) {}

    private final Settings settings;
    private final HttpClient client;
    private final LongSupplier nanoTime;
    private final OutboundGuard guard;
    private final Map<String, Cached> packuments = new ConcurrentHashMap<>();

    public Registry(Settings settings) {
        this(settings, System::nanoTime);
    }

    Registry(Settings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.guard = new OutboundGuard(settings.allow(), ALLOW_VARIABLE);
        // HTTP/1.1: for http:// URLs the JDK client otherwise tries a cleartext HTTP/2 upgrade, after which reading the
        // body hung against an ordinary server; every npm registry speaks 1.1, with connections kept alive between requests
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build(); // a redirect would reach a host the guard never checked
    }

    public Settings settings() {
        return settings;
    }

    /** The package's metadata, from the cache while younger than the TTL, else from the registry. */
    public JsonObject packument(String name) {
        var cached = packuments.get(name);
        long now = nanoTime.getAsLong();
        if (cached != null && now - cached.fetchedAtNanos() < settings.metadataTtl().toNanos()) {
            return cached.packument();
        }
        // npm's registry takes a scoped name with its slash encoded: /@scope%2fname
        URI uri = URI.create(settings.url() + "/" + name.replace("/", "%2f"));
        var response = get(uri, ABBREVIATED, settings.maxPackumentBytes(), "the metadata of " + name);
        if (response.status() == 404) {
            throw new PackageException("The package " + name + " does not exist on the npm registry at " + settings.url()
                    + "; check the name in the import.");
        }
        checkOk(response, "the metadata of " + name);
        JsonObject packument;
        try {
            packument = new JsonObject(Buffer.buffer(response.body()));
        } catch (DecodeException e) {
            throw new PackageException("The npm registry at " + settings.url() + " answered the metadata of " + name
                    + " with something that is not JSON; check that NPM_REGISTRY_URL points at an npm registry.", e);
        }
        packuments.put(name, new Cached(packument, now));
        return packument;
    }

    /**
     * The tarball of {@code name@version} from {@code url}, whose sha512 must equal the one in {@code integrity}
     * (Subresource Integrity form, {@code sha512-<base64>}, possibly among other hashes).
     */
    public byte[] tarball(String name, String version, String url, String integrity) {
        String expected = sha512Of(name, version, integrity);
        URI uri = URI.create(url);
        // the registry's packuments may only send this host to the registry's own origin, which is what the
        // operator allowed by setting NPM_REGISTRY_URL
        if (!sameOrigin(uri, settings.url())) {
            throw new PackageException("The npm registry at " + settings.url() + " lists the tarball of " + name + "@" + version + " at "
                    + url + ", another host, which Valence does not fetch from; mirror the tarball on the registry's own host.");
        }
        var response = get(uri, "application/octet-stream", settings.maxTarballBytes(), "the tarball of " + name + "@" + version);
        checkOk(response, "the tarball of " + name + "@" + version);
        String actual = Base64.getEncoder().encodeToString(sha512(response.body()));
        if (!actual.equals(expected)) {
            throw new PackageException("The tarball of " + name + "@" + version + " from " + url + " does not match its published integrity"
                    + " (expected sha512-" + expected + ", got sha512-" + actual + "), so it was not used; the registry or a proxy altered it.");
        }
        return response.body();
    }

    private static String sha512Of(String name, String version, String integrity) {
        if (integrity != null) {
            for (String token : integrity.trim().split("\\s+")) {
                if (token.startsWith("sha512-")) {
                    String hash = token.substring("sha512-".length());
                    int options = hash.indexOf('?'); // SRI allows ?options after the hash
                    return options < 0 ? hash : hash.substring(0, options);
                }
            }
        }
        throw new PackageException(name + "@" + version + " publishes no sha512 integrity (dist.integrity is " + integrity
                + "), so its bytes cannot be checked; import a version published with npm 5 or later.");
    }

    static byte[] sha512(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-512", e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private record Response(int status, byte[] body) {}

    /**
     * One GET, bounded in bytes and in time as a whole: the JDK client's own timeout ends at the response headers,
     * so a registry that sends headers and then stalls is cut off here instead of holding the save forever.
     */
    private Response get(URI uri, String accept, long maxBytes, String what) {
        checkGuard(uri, what);
        var request = HttpRequest.newBuilder(uri).header("Accept", accept).timeout(settings.requestTimeout()).GET().build();
        var future = client.sendAsync(request, info -> new LimitedBody(info.headers().firstValueAsLong("Content-Length").orElse(-1),
                maxBytes, what));
        try {
            var response = future.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PackageException("The npm registry at " + settings.url() + " did not answer " + what + " within "
                    + settings.requestTimeout().toSeconds() + " s; try the save again later, or check NPM_REGISTRY_URL.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PackageException tooLarge) {
                throw tooLarge;
            }
            throw new PackageException("The npm registry at " + settings.url() + " could not be reached for " + what + " (" + e.getCause()
                    + "); check NPM_REGISTRY_URL and that this host can reach it, then save again.", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new PackageException("Fetching " + what + " was interrupted; save again.", e);
        }
    }

    /**
     * The registry fetch goes through the same outbound guard as vals' fetch and webhooks: a registry URL naming
     * a loopback, private or metadata address is refused unless NPM_REGISTRY_ALLOW opens it. Redirects are not
     * followed, so every request goes to a host checked here.
     */
    private void checkGuard(URI uri, String what) {
        java.util.Optional<String> refusal;
        try {
            refusal = guard.refusal(uri);
        } catch (java.net.UnknownHostException e) {
            throw new PackageException("The npm registry at " + settings.url() + " could not be reached for " + what + ": its host "
                    + uri.getHost() + " does not resolve; check NPM_REGISTRY_URL, then save again.", e);
        }
        if (refusal.isPresent()) {
            throw new PackageException("The npm registry at " + settings.url() + " was not asked for " + what + ", because the outbound"
                    + " guard " + refusal.get() + " (a registry on the internal network must be opened on purpose).");
        }
    }

    /** Collects a body up to {@code maxBytes}, failing (and cancelling the transfer) as soon as it would go over. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long declaredBytes;
        private final long maxBytes;
        private final String what;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(long declaredBytes, long maxBytes, String what) {
            this.declaredBytes = declaredBytes;
            this.maxBytes = maxBytes;
            this.what = what;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declaredBytes > maxBytes) {
                subscription.cancel();
                result.completeExceptionally(tooLarge(what, declaredBytes, maxBytes));
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(tooLarge(what, bytes.size() + (long) buffer.remaining(), maxBytes));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    private static PackageException tooLarge(String what, long bytes, long maxBytes) {
        return new PackageException(what.substring(0, 1).toUpperCase() + what.substring(1) + " is larger than the limit of " + maxBytes
                + " bytes (" + bytes + " bytes or more); import a smaller package.");
    }

    private void checkOk(Response response, String what) {
        if (response.status() != 200) {
            throw new PackageException("The npm registry at " + settings.url() + " answered " + response.status() + " for " + what
                    + "; try the save again later, or check NPM_REGISTRY_URL.");
        }
    }
}
