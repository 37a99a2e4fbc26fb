package dev.valence.runtime.email;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where outbound mail goes, from {@code SMTP_URL}: {@code smtp://user:pass@host:587} speaks plain SMTP
 * and upgrades with STARTTLS, {@code smtps://user:pass@host:465} opens TLS at once. STARTTLS is
 * required (no upgrade, no send) unless the host is the loopback interface, so a password never
 * crosses the network in clear text; {@code ?starttls=optional} relaxes that for a trusted relay.
 *
 * @param implicitTls smtps: TLS from the first byte
 * @param startTlsRequired refuse to send when the server offers no STARTTLS (smtp only)
 */
public record SmtpUrl(String host, int port, Optional<String> user, Optional<String> password, boolean implicitTls,
                      boolean startTlsRequired) {

    /** Parses the URL; throws IllegalArgumentException with a sentence naming SMTP_URL and the rule. */
    public static SmtpUrl parse(String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("SMTP_URL must be a URL like smtp://user:password@host:587, got '" + redacted(raw) + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
            throw new IllegalArgumentException("SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (implicit TLS), got '" + redacted(raw) + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("SMTP_URL needs a host, as in smtp://user:password@host:587, got '" + redacted(raw) + "'");
        }
        boolean implicitTls = scheme.equals("smtps");
        int port = uri.getPort() > 0 ? uri.getPort() : implicitTls ? 465 : 587;
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null && !uri.getRawUserInfo().isEmpty()) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) password = Optional.of(decode(info.substring(colon + 1)));
        }
        String starttls = "";
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("starttls=")) starttls = pair.substring("starttls=".length());
                else if (!pair.isEmpty()) {
                    throw new IllegalArgumentException("SMTP_URL knows one query parameter, starttls=required|optional, got '" + pair + "'");
                }
            }
        }
        boolean required = switch (starttls) {
            case "" -> !isLoopback(uri.getHost());
            case "required" -> true;
            case "optional" -> false;
            default -> throw new IllegalArgumentException("SMTP_URL's starttls must be required or optional, got '" + starttls + "'");
        };
        return new SmtpUrl(uri.getHost(), port, user, password, implicitTls, !implicitTls && required);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    /** The URL with its password replaced, for messages. */
    static String redacted(String raw) {
        return raw.replaceAll("(//[^:/@]*:)[^@/]*@", "$1***@");
    }

    @Override
    public String toString() {
        return (implicitTls ? "smtps://" : "smtp://") + user.map(u -> u + "@").orElse("") + host + ":" + port;
    }
}
