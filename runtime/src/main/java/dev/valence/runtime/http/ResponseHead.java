package dev.valence.runtime.http;

/**
 * Checks the head of a val's response before it is sent: at most VAL_MAX_RESPONSE_HEADER_BYTES (a
 * head that large breaks proxies and clients, which refuse or cut it), and only characters HTTP
 * can carry. A header value is bytes; a JavaScript string maps onto them one to one up to U+00FF
 * (Latin-1, as the Fetch standard's ByteString does), and a character past that has no byte to
 * become: it would be sent as a different byte (garbled), so the val gets a clear error instead.
 */
final class ResponseHead {
    private ResponseHead() {}

    /**
     * Null when the head may be sent, else the sentence the val's caller (and its owner) read.
     *
     * @param rawHeaders name, NUL, value, NUL, ... as the engine hands them over
     */
    static String problem(String rawHeaders, int maxBytes) {
        String[] parts = rawHeaders.split("\0", -1);
        long bytes = 0;
        for (int i = 0; i + 1 < parts.length; i += 2) {
            bytes += parts[i].length() + 2 + parts[i + 1].length() + 2; // "name: value\r\n"
            for (String text : new String[] {parts[i], parts[i + 1]}) {
                for (int c = 0; c < text.length(); c++) {
                    if (text.charAt(c) > 0xFF) {
                        return "The val's response header '" + parts[i] + "' has the character "
                                + String.format("U+%04X", text.codePointAt(c)) + ", which HTTP headers cannot carry (only Latin-1,"
                                + " U+0000-U+00FF); percent-encode the value (encodeURIComponent) or send it in the body.";
                    }
                }
            }
        }
        if (bytes > maxBytes) {
            return "The val's response headers take " + bytes + " bytes, more than the limit of " + maxBytes
                    + " (VAL_MAX_RESPONSE_HEADER_BYTES); send less in headers (a large value belongs in the body).";
        }
        return null;
    }
}
