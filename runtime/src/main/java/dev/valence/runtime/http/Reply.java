package dev.valence.runtime.http;

import java.util.Map;

/** What an API handler answers: a status, a JSON body (a JsonObject, or null for no body) and extra headers. */
record Reply(int status, Object json, Map<String, String> headers) {
    Reply(int status, Object json) {
        this(status, json, Map.of());
    }

    static Reply ok(Object json) {
        return new Reply(200, json);
    }

    static Reply created(Object json) {
        return new Reply(201, json);
    }

    static Reply noContent() {
        return new Reply(204, null);
    }

    /** The same answer with one more header. */
    Reply withHeader(String name, String value) {
        var more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, json, Map.copyOf(more));
    }
}
