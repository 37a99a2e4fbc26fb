package dev.valence.runtime.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The HTTP side of the limits: a handler for the authoring API (per client address, then per token) and a
 * check for a val's requests. Runs on the event loop before any body is read or any query made, so a
 * refused request costs no database work. The answer is {@code 429} with {@code Retry-After} (whole
 * seconds, at least 1) and the API's JSON error.
 */
public final class RateLimits {
    private final RateLimiter perToken;
    private final RateLimiter perAddress;
    private final RateLimiter perVal;

    public RateLimits(RateLimitSettings settings, MeterRegistry registry) {
        this.perToken = new RateLimiter("token", settings.apiPerToken(), RateLimitSettings.MAX_KEYS);
        this.perAddress = new RateLimiter("address", settings.apiPerAddress(), RateLimitSettings.MAX_KEYS);
        this.perVal = new RateLimiter("val", settings.valPerMinute(), RateLimitSettings.MAX_KEYS);
        perToken.bindMetrics(registry);
        perAddress.bindMetrics(registry);
        perVal.bindMetrics(registry);
    }

    /** Route handler for {@code /api/*}: passes the request on, or answers 429. */
    public void api(RoutingContext ctx) {
        String address = addressKey(dev.valence.runtime.http.Forwarded.clientAddress(ctx));
        if (address != null) {
            long waitNs = perAddress.acquire(address);
            if (waitNs > 0) {
                refuse(ctx, waitNs, "Too many API requests from " + address + ": the limit is " + perAddress.perMinute()
                        + " a minute per client address (API_RATE_PER_ADDRESS_PER_MINUTE)");
                return;
            }
        }
        String token = bearer(ctx.request().getHeader("Authorization"));
        if (token != null) {
            long waitNs = perToken.acquire(token);
            if (waitNs > 0) {
                refuse(ctx, waitNs, "Too many API requests with this token: the limit is " + perToken.perMinute()
                        + " a minute per token (API_RATE_PER_TOKEN_PER_MINUTE)");
                return;
            }
        }
        ctx.next();
    }

    /** Takes one request from the val's bucket; answers 429 and returns true when it is empty. */
    public boolean refusedVal(RoutingContext ctx, String owner, String val) {
        long waitNs = perVal.acquire(owner + "/" + val);
        if (waitNs <= 0) return false;
        refuse(ctx, waitNs, "Too many requests to " + owner + "/" + val + ": the limit is " + perVal.perMinute()
                + " a minute per val (VAL_RATE_PER_MINUTE)");
        return true;
    }

    private static void refuse(RoutingContext ctx, long waitNs, String why) {
        long seconds = Math.max(1, (waitNs + 999_999_999L) / 1_000_000_000L);
        var error = new JsonObject().put("code", "rate_limited").put("message", why + "; try again in " + seconds + " s.")
                .put("retryAfterSeconds", seconds);
        ctx.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(seconds))
                .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("error", error).encode());
    }

    /**
     * The bucket of a client address: the address itself for IPv4, its /64 for IPv6 (one subscriber
     * usually holds a whole /64, so counting single IPv6 addresses would let one client take 2^64 buckets).
     */
    static String addressKey(String host) {
        // only an IPv6 literal is parsed (a forwarded hop may be anything, and a name must never cause a DNS lookup)
        if (host == null || host.indexOf(':') < 0 || !host.matches("[0-9A-Fa-f:.]+")) return host;
        try {
            byte[] bytes = java.net.InetAddress.getByName(host).getAddress();
            if (bytes.length != 16) return host;
            var prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            return prefix.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return host;
        }
    }

    /** The token's SHA-256, never the token: the limiter's keys are not secrets worth stealing from a heap dump. */
    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String secret = authorization.substring(7).trim();
        if (secret.isEmpty()) return null;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
