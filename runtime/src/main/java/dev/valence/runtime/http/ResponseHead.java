package dev.valence.runtime.http;

import dev.valence.runtime.engine.Header;
import java.util.List;

/**
 * Checks the head of a val's response before it is sent: at most VAL_MAX_RESPONSE_HEADER_BYTES (a
 * head that large breaks proxies and clients, which refuse or cut it), and only characters HTTP
 * can carry. A header value is bytes; a JavaScript string maps onto them one to one up to U+00FF
 * (Latin-1, as the Fetch standard's ByteString does), and a character past that has no byte to
 * become: it would be sent as a different byte (garbled), so the val gets a clear error instead.
 */
final class ResponseHead {
    private ResponseHead() {}

    /** Null when the head may be sent, else the sentence the val's caller (and its owner) read. */
    static String problem(List<Header> headers, int maxBytes) {
        long bytes = 0;
        for (Header header : headers) {
            bytes += header.name().length() + 2 + header.value().length() + 2; // "name: value\r\n"
            for (String text : new String[] {header.name(), header.value()}) {
                for (int c = 0; c < text.length(); c++) {
                    if (text.charAt(c) > 0xFF) {
                        return "The val's response header '" + header.name() + "' has the character "
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
