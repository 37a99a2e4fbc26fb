package dev.valence.runtime.http;

import io.vertx.core.json.JsonObject;

/** An error answered as {@code {"error": {"code", "message"}}} with its HTTP status. */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final JsonObject details;

    public ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiError(int status, String code, String message, JsonObject details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public JsonObject toJson() {
        var error = new JsonObject().put("code", code).put("message", getMessage());
        if (details != null) error.mergeIn(details);
        return new JsonObject().put("error", error);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }
}
