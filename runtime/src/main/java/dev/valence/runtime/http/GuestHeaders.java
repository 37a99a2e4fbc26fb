package dev.valence.runtime.http;

import dev.valence.runtime.engine.RequestHeaders;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;

/**
 * The headers a val sees of a request, made only when it reads them: the client's headers without
 * the platform's credentials and without forwarding headers, then each forwarding header once, as
 * {@link Forwarded} decided it. Reads the request's header map, which nothing changes once the
 * request was received, so it gives the same answer on any thread at any time.
 *
 * @param mount the path in front of what the val sees ({@code /owner/val} by path, empty by host name),
 *              after the forwarded prefix
 */
record GuestHeaders(MultiMap received, Forwarded.View seen, String mount) implements RequestHeaders {
    @Override
    public String wire() {
        var joined = new StringBuilder(64 * (received.size() + 4));
        for (Map.Entry<String, String> header : received) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            String value = header.getValue();
            // the platform's credentials stay with the platform; the access check read them first
            if (name.equals("authorization") && PlatformCredentials.isValenceToken(value)) continue;
            if (name.equals("cookie") && (value = PlatformCredentials.withoutValenceCookies(value)) == null) continue;
            if (Forwarded.HEADERS.contains(name)) continue;
            add(joined, name, value);
        }
        if (seen.clientAddress() != null) add(joined, "x-forwarded-for", seen.clientAddress());
        add(joined, "x-forwarded-proto", seen.scheme());
        add(joined, "x-forwarded-host", seen.host());
        String prefix = seen.prefix() + mount;
        if (!prefix.isEmpty()) add(joined, "x-forwarded-prefix", prefix);
        return joined.toString();
    }

    private static void add(StringBuilder joined, String name, String value) {
        joined.append(name).append('\0').append(value).append('\0');
    }
}
