package dev.valence.runtime.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/** Reads and checks JSON request bodies: a clear 400 for anything that is not the expected object. */
final class JsonBodies {
    private JsonBodies() {}

    static JsonObject object(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw new ApiError(400, "invalid_json", "The request needs a JSON object body.");
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new ApiError(400, "invalid_json", "The request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (parsed instanceof JsonObject object) return object;
        if (parsed instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            var fields = (Map<String, Object>) map;
            return new JsonObject(fields);
        }
        throw new ApiError(400, "invalid_json", "The request body must be a JSON object.");
    }

    static String string(JsonObject body, String field, boolean required) {
        Object value = body.getValue(field);
        if (value == null) {
            if (required) throw ApiError.badRequest("'" + field + "' is required.");
            return null;
        }
        if (!(value instanceof String s)) throw ApiError.badRequest("'" + field + "' must be a string.");
        if (s.indexOf('\0') >= 0) {
            throw ApiError.badRequest("'" + field + "' contains the NUL character (U+0000), which cannot be stored; remove it.");
        }
        return s;
    }

    static String oneOf(JsonObject body, String field, Set<String> allowed, String fallback) {
        String value = string(body, field, fallback == null);
        if (value == null) return fallback;
        if (!allowed.contains(value)) {
            throw ApiError.badRequest("'" + field + "' must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ", got '" + value + "'.");
        }
        return value;
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
