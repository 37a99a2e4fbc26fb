package dev.valence.runtime.triggers;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads and checks an inbound email as the email endpoint accepts it, parsed already (anchor: Val
 * Town's email vals): {@code from} (required), {@code to} (a string or an array of strings, at least
 * one), {@code cc}, {@code bcc} (optional, same shape), {@code subject}, {@code text}, {@code html}
 * (optional strings), {@code headers} (an object of string values) and {@code attachments} (an
 * array of {@code {filename, contentType, content}}, the content in base64). The handler gets the
 * same object with {@code to}, {@code cc} and {@code bcc} as arrays, absent strings as null, and the
 * attachments as web {@code File}s (the prelude makes them from the base64 content).
 *
 * <p>The size that counts against {@code EMAIL_MAX_BYTES} is the message's own: its text, html,
 * subject and headers in UTF-8 plus the attachments' decoded bytes, so the same mail fits whether it
 * comes as JSON (where base64 makes attachments a third larger), as a raw message or over SMTP.
 */
public final class EmailMessage {
    private static final int MAX_ADDRESS_CHARS = 998;
    private static final int MAX_ATTACHMENTS = 100;
    private static final int MAX_FILENAME_CHARS = 255;
    private static final int MAX_RECIPIENTS = 100;
    private static final int MAX_HEADERS = 200;

    private EmailMessage() {}

    /** The message is larger than the limit; the message says by how much and what sets the limit. */
    public static final class TooLarge extends IllegalArgumentException {
        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * The message as the val sees it; throws IllegalArgumentException with a sentence naming the
     * field, or {@link TooLarge} when it is over {@code maxBytes}.
     */
    public static JsonObject read(JsonObject body, long maxBytes) {
        var message = new JsonObject();
        Object from = body.getValue("from");
        if (!(from instanceof String f) || f.isBlank()) throw new IllegalArgumentException("'from' is required: the sender's address as a string.");
        if (f.length() > MAX_ADDRESS_CHARS) throw new IllegalArgumentException("'from' is longer than " + MAX_ADDRESS_CHARS + " characters.");
        message.put("from", f);
        message.put("to", addresses(body, "to", true));
        message.put("cc", addresses(body, "cc", false));
        message.put("bcc", addresses(body, "bcc", false));
        for (String field : new String[] {"subject", "text", "html"}) {
            Object value = body.getValue(field);
            if (value != null && !(value instanceof String)) throw new IllegalArgumentException("'" + field + "' must be a string.");
            message.put(field, value);
        }
        var headers = new JsonObject();
        Object rawHeaders = body.getValue("headers");
        if (rawHeaders != null) {
            if (!(rawHeaders instanceof JsonObject h)) throw new IllegalArgumentException("'headers' must be an object of header names to string values.");
            if (h.size() > MAX_HEADERS) throw new IllegalArgumentException("'headers' has " + h.size() + " entries; at most " + MAX_HEADERS + " are accepted.");
            for (Map.Entry<String, Object> header : h) {
                if (!(header.getValue() instanceof String)) {
                    throw new IllegalArgumentException("The header '" + header.getKey() + "' must have a string value.");
                }
                headers.put(header.getKey(), header.getValue());
            }
        }
        message.put("headers", headers);
        JsonArray attachments = attachments(body.getValue("attachments"));
        message.put("attachments", attachments);
        long size = sizeOf(message);
        if (size > maxBytes) {
            throw new TooLarge("An email may be at most " + maxBytes + " bytes (text, html, headers and decoded attachments;"
                    + " EMAIL_MAX_BYTES sets the limit); this one has " + size + ".");
        }
        return message;
    }

    /** The size that counts against the limit: text fields in UTF-8 and attachments decoded. */
    static long sizeOf(JsonObject message) {
        long size = 0;
        for (String field : new String[] {"from", "subject", "text", "html"}) {
            String value = message.getString(field);
            if (value != null) size += utf8Length(value);
        }
        for (Map.Entry<String, Object> header : message.getJsonObject("headers")) {
            size += utf8Length(header.getKey()) + utf8Length((String) header.getValue()) + 4;
        }
        for (Object item : message.getJsonArray("attachments")) {
            size += ((JsonObject) item).getLong("size");
        }
        return size;
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static JsonArray attachments(Object value) {
        var list = new JsonArray();
        if (value == null) return list;
        if (!(value instanceof JsonArray many)) {
            throw new IllegalArgumentException("'attachments' must be an array of {filename, contentType, content} objects, the content in base64.");
        }
        if (many.size() > MAX_ATTACHMENTS) {
            throw new IllegalArgumentException("'attachments' has " + many.size() + " entries; at most " + MAX_ATTACHMENTS + " are accepted.");
        }
        for (int i = 0; i < many.size(); i++) {
            if (!(many.getValue(i) instanceof JsonObject item)) {
                throw new IllegalArgumentException("attachments[" + i + "] must be an object {filename, contentType, content}.");
            }
            Object filename = item.getValue("filename");
            if (!(filename instanceof String name) || name.isEmpty() || name.length() > MAX_FILENAME_CHARS) {
                throw new IllegalArgumentException("attachments[" + i + "].filename must be a name of 1 to " + MAX_FILENAME_CHARS + " characters.");
            }
            Object type = item.getValue("contentType", "application/octet-stream");
            if (!(type instanceof String contentType) || contentType.length() > 255 || !contentType.matches("[\\x20-\\x7e]*")) {
                throw new IllegalArgumentException("attachments[" + i + "].contentType must be a MIME type such as text/plain (printable ASCII, at most 255 characters).");
            }
            if (!(item.getValue("content") instanceof String content)) {
                throw new IllegalArgumentException("attachments[" + i + "].content is required: the file's bytes in base64.");
            }
            String base64 = content.replaceAll("[\\s]", "");
            int size;
            try {
                size = Base64.getDecoder().decode(base64).length;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("attachments[" + i + "].content is not valid base64: " + e.getMessage() + ".");
            }
            list.add(new JsonObject().put("filename", name).put("contentType", contentType).put("content", base64).put("size", size));
        }
        return list;
    }

    private static JsonArray addresses(JsonObject body, String field, boolean required) {
        Object value = body.getValue(field);
        var list = new JsonArray();
        if (value == null) {
            if (required) throw new IllegalArgumentException("'" + field + "' is required: an address or an array of addresses.");
            return list;
        }
        if (value instanceof String single) {
            list.add(single);
        } else if (value instanceof JsonArray many) {
            for (Object item : many) {
                if (!(item instanceof String)) throw new IllegalArgumentException("Every address in '" + field + "' must be a string.");
                list.add(item);
            }
        } else {
            throw new IllegalArgumentException("'" + field + "' must be an address or an array of addresses.");
        }
        if (required && list.isEmpty()) throw new IllegalArgumentException("'" + field + "' needs at least one address.");
        if (list.size() > MAX_RECIPIENTS) throw new IllegalArgumentException("'" + field + "' has " + list.size() + " addresses; at most " + MAX_RECIPIENTS + " are accepted.");
        for (Object address : list) {
            String a = (String) address;
            if (a.isBlank() || a.length() > MAX_ADDRESS_CHARS) {
                throw new IllegalArgumentException("An address in '" + field + "' is empty or longer than " + MAX_ADDRESS_CHARS + " characters.");
            }
        }
        return list;
    }
}
