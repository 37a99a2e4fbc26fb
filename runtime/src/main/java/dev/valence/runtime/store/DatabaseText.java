package dev.valence.runtime.store;

/**
 * Text as PostgreSQL can store it. A {@code text} value cannot hold U+0000 and a {@code jsonb} value
 * cannot hold the escape {@code \u0000}: one such character in a val's log line, an error message or an
 * email subject made PostgreSQL refuse the whole statement, and with it every other run of the batch.
 * Both become U+FFFD (the replacement character), as a decoder shows bytes it cannot represent.
 */
public final class DatabaseText {
    static final char REPLACEMENT = '\uFFFD';

    private DatabaseText() {}

    /** {@code text} without U+0000; null stays null. */
    public static String text(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', REPLACEMENT);
    }

    /**
     * JSON text whose strings hold no U+0000, escaped ({@code \u0000}) or raw: each becomes {@code \ufffd}.
     * Escapes are read as JSON reads them, so an escaped backslash followed by {@code u0000} stays text.
     */
    public static String json(String json) {
        if (json == null || (json.indexOf('\0') < 0 && !json.contains("\\u0000"))) return json;
        var out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\0') {
                out.append("\\ufffd");
            } else if (c == '\\' && i + 1 < json.length()) {
                if (json.startsWith("u0000", i + 1)) {
                    out.append("\\ufffd");
                    i += 5;
                } else {
                    out.append(c).append(json.charAt(i + 1)); // any other escape, an escaped backslash included
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
