package dev.valence.runtime.http;

/** What an API handler answers: a status and a JSON body (a JsonObject, or null for no body). */
record Reply(int status, Object json) {
    static Reply ok(Object json) {
        return new Reply(200, json);
    }

    static Reply created(Object json) {
        return new Reply(201, json);
    }

    static Reply noContent() {
        return new Reply(204, null);
    }
}
