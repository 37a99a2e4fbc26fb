package dev.valence.runtime.triggers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.Map;

/**
 * Reads JSON objects whose strings may be long: an email's attachments travel as base64 strings
 * (40 MB for a 30 MiB file), past Jackson's default limit of 20 million characters per string. Only
 * for inputs whose size is bounded already (the email body limit, held payloads written by us).
 */
public final class LargeJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private LargeJson() {}

    /** The object in {@code json}; throws DecodeException when it is not valid JSON or not an object. */
    public static JsonObject object(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return asObject(JacksonCodec.fromParser(parser, Object.class));
        } catch (IOException e) {
            throw new DecodeException("Failed to decode: " + e.getMessage(), e);
        }
    }

    public static JsonObject object(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return asObject(JacksonCodec.fromParser(parser, Object.class));
        } catch (IOException e) {
            throw new DecodeException("Failed to decode: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonObject asObject(Object value) {
        if (value instanceof JsonObject object) return object;
        if (value instanceof Map<?, ?> map) return new JsonObject((Map<String, Object>) map);
        throw new DecodeException("The JSON is not an object.");
    }
}
