package dev.valence.runtime.triggers;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Reads and checks an inbound email as the email endpoint accepts it, parsed already (anchor: Val
 * Town's email vals): {@code from} (required), {@code to} (a string or an array of strings, at least
 * one), {@code cc}, {@code bcc} (optional, same shape), {@code subject}, {@code text}, {@code html}
 * (optional strings) and {@code headers} (an object of string values). The handler gets the same
 * object with {@code to}, {@code cc} and {@code bcc} as arrays and absent strings as null.
 */
public final class EmailMessage {
    /** The largest message accepted, as JSON. */
    public static final int MAX_BYTES = 1024 * 1024;
    private static final int MAX_ADDRESS_CHARS = 998;
    private static final int MAX_RECIPIENTS = 100;
    private static final int MAX_HEADERS = 200;

    private EmailMessage() {}

    /** The message as the val sees it; throws IllegalArgumentException with a sentence naming the field. */
    public static JsonObject read(JsonObject body) {
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
        return message;
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
