package dev.valence.runtime.http;

import dev.valence.runtime.store.TokenStore;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps Valence's own credentials away from vals. A request reaching a val loses an
 * {@code Authorization: Bearer vl_...} header (a Valence API token; a val's own schemes pass) and every
 * cookie named {@code valence_...} (the /ops session, the editor's session: the platform's cookies all
 * start so). A val's answer may not set such a cookie, nor give a cookie a {@code Domain}: a cookie
 * stays on the val's own host name, so one val cannot toss a cookie onto another or onto the platform.
 */
final class PlatformCredentials {
    /** The prefix of every cookie Valence sets; {@code __Host-} and {@code __Secure-} forms included. */
    static final String COOKIE_PREFIX = "valence_";
    private static final String BEARER = "bearer ";
    /**
     * The policy of a val's answer by path ({@code /v/owner/val}), where every val shares the API's
     * origin: the page runs in a unique opaque origin, so its script can neither read nor write the
     * platform's cookies, nor read the API's answers. Host names give a val a real origin of its own.
     */
    static final String PATH_MODE_SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"
            + " allow-modals allow-downloads";

    private PlatformCredentials() {}

    /** Whether an Authorization header carries a Valence API token. */
    static boolean isValenceToken(String authorization) {
        String value = authorization.trim();
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && value.substring(BEARER.length()).trim().startsWith(TokenStore.TOKEN_PREFIX);
    }

    /** Whether a cookie name is one of Valence's. */
    static boolean isValenceCookie(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("__host-")) lower = lower.substring("__host-".length());
        else if (lower.startsWith("__secure-")) lower = lower.substring("__secure-".length());
        return lower.startsWith(COOKIE_PREFIX);
    }

    /** A Cookie header without Valence's cookies; null when none is left. */
    static String withoutValenceCookies(String cookieHeader) {
        var kept = new ArrayList<String>();
        for (String pair : cookieHeader.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) continue;
            int equals = trimmed.indexOf('=');
            String name = equals < 0 ? trimmed : trimmed.substring(0, equals);
            if (!isValenceCookie(name)) kept.add(trimmed);
        }
        return kept.isEmpty() ? null : String.join("; ", kept);
    }

    /**
     * A val's response headers as they may leave: Set-Cookie lines naming a Valence cookie are dropped,
     * a Domain attribute is removed (the cookie then belongs to the host that set it), and an answer
     * by path is sandboxed ({@link #PATH_MODE_SANDBOX}).
     */
    static void scrub(MultiMap headers, boolean byPath) {
        if (byPath) headers.add("Content-Security-Policy", PATH_MODE_SANDBOX);
        scrubSetCookies(headers);
    }

    private static void scrubSetCookies(MultiMap headers) {
        List<String> setCookies = headers.getAll("set-cookie");
        if (setCookies.isEmpty()) return;
        headers.remove("set-cookie");
        for (String line : setCookies) {
            int equals = line.indexOf('=');
            String name = equals < 0 ? line : line.substring(0, equals);
            if (isValenceCookie(name)) continue;
            headers.add("set-cookie", withoutDomain(line));
        }
    }

    private static String withoutDomain(String setCookie) {
        String[] parts = setCookie.split(";");
        var kept = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].contains("=") ? parts[i].substring(0, parts[i].indexOf('=')) : parts[i];
            if (attribute.trim().equalsIgnoreCase("domain")) continue;
            kept.append(';').append(parts[i]);
        }
        return kept.toString();
    }
}
