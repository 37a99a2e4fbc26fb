package dev.valence.runtime.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL address as operators write it: {@code postgres://user:pass@host:5432/db?sslmode=...}
 * (the Heroku/libpq form) or a JDBC URL ({@code jdbc:postgresql://...}, credentials in its query).
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url) {
        if (url.startsWith("jdbc:postgresql:")) return new DatabaseUrl(url, null, null);
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgres://, postgresql:// or "
                    + "jdbc:postgresql://, got '" + redact(url) + "'");
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("DATABASE_URL has no host: '" + redact(url) + "'");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                if (parts.length == 2) password = decode(parts[1]);
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return new DatabaseUrl(jdbc, user, password);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL: " + e.getReason(), e);
        }
    }

    /** {@code host:port} of the server (port 5432 when the URL names none), for messages. */
    public String hostAndPort() {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int end = rest.indexOf('/');
        String authority = (end < 0 ? rest : rest.substring(0, end)).split("\\?", 2)[0];
        if (authority.isEmpty()) return "localhost:5432";
        return authority.contains(":") && !authority.endsWith("]") ? authority : authority + ":5432";
    }

    /** The address without its password, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl + ", user=" + user + "]";
    }
}
