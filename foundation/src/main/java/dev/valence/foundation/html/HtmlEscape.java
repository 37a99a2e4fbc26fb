package dev.valence.foundation.html;

/** Escaping for text and double- or single-quoted attribute values: everything shown on a page passes here (the runtime's pages too). */
public final class HtmlEscape {

    private HtmlEscape() {}

    /** {@code null} becomes the empty string, so a missing description renders as nothing rather than "null". */
    public static String escape(String s) {
        if (s == null) return "";
        var out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
