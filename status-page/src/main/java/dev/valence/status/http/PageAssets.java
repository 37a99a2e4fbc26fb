package dev.valence.status.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The page's inline style sheet and script, read once from the class path, and a Content-Security-Policy that
 * allows exactly these two by hash: even if some text slipped past escaping, no other script could run.
 */
final class PageAssets {

    static final String CSS = load("status-page.css");
    static final String SCRIPT = load("status-page.js");

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(CSS) + "'; script-src '"
            + sha256(SCRIPT) + "'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private PageAssets() {}

    private static String load(String name) {
        try (InputStream in = PageAssets.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the status page asset " + name + " is missing from the class path next to "
                    + PageAssets.class.getName() + "; rebuild the status-page module");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the status page asset " + name, e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
