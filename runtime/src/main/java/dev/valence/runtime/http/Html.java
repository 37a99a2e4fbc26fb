package dev.valence.runtime.http;

import dev.valence.foundation.html.HtmlEscape;
import io.vertx.core.http.HttpServerRequest;

/** The few HTML bits the runtime writes itself (error pages): always escaped, no scripts. */
final class Html {
    private Html() {}

    static boolean prefersHtml(HttpServerRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    static String escape(String text) {
        return HtmlEscape.escape(text);
    }

    static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title>"
                + "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:3rem auto;padding:0 1rem}"
                + "pre{background:#f3f3f3;padding:1rem;overflow:auto}@media(prefers-color-scheme:dark){body{background:#111;color:#eee}pre{background:#222}}</style>"
                + "</head><body><main>" + body + "</main></body></html>";
    }
}
