package dev.valence.runtime.http;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A val's version as an HTTP entity tag ({@code "3"}) and the {@code If-Match} header that makes a save
 * conditional on it (RFC 9110 section 13.1.1): {@code *} or a list of tags, compared strongly, so a weak
 * tag ({@code W/"3"}) never matches. A save whose condition is false is answered 412.
 */
final class IfMatch {
    private IfMatch() {}

    /** The entity tag of a val at this version. */
    static String etag(int version) {
        return "\"" + version + "\"";
    }

    /**
     * The versions the header accepts: null when there is no header or it is {@code *} (any current
     * version will do), else the versions of its strong tags (empty when none can match).
     */
    static Set<Integer> versions(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) return null;
        var versions = new LinkedHashSet<Integer>();
        for (String part : header.split(",")) {
            String tag = part.trim();
            if (tag.isEmpty()) continue;
            boolean weak = tag.startsWith("W/");
            String quoted = weak ? tag.substring(2) : tag;
            if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
                throw ApiError.badRequest("If-Match must be * or entity tags in double quotes, such as If-Match: \"3\" (the val's version"
                        + " from its ETag); got '" + (header.length() > 100 ? header.substring(0, 100) + "..." : header) + "'.");
            }
            if (weak) continue; // If-Match compares strongly: a weak tag matches nothing
            try {
                versions.add(Integer.parseInt(quoted.substring(1, quoted.length() - 1)));
            } catch (NumberFormatException e) {
                // a tag this API never gave out matches no version
            }
        }
        return versions;
    }
}
