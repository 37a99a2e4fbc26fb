package dev.valence.runtime.triggers;

import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.Val;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * What {@code POST /api/v1/vals/{owner}/{val}/run} asks for (Val Town's "Run now"): arguments for a
 * script val, nothing for a cron val (it is called with its schedule's real {@code { lastRunAt }}),
 * a message for an email val. The body is read before the val is looked up, because a request held
 * during a schema mismatch cannot look it up; it is matched with the val's type when it runs.
 *
 * @param args    the script's arguments, null when not sent
 * @param message the email as the email endpoint reads it ({@link EmailMessage#read}), null when not sent
 */
public record RunNow(JsonArray args, JsonObject message) {

    /** The trigger a run is recorded with and the JSON array its handler is called with. */
    public record Plan(Run.Trigger trigger, String argsJson) {}

    /** The val cannot be run by hand (an HTTP val). */
    public static final class NotRunnable extends RuntimeException {
        NotRunnable(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads {@code {}}, {@code {"args": [...]}} or {@code {"message": {...}}}; throws IllegalArgumentException naming the problem. */
    public static RunNow read(JsonObject body, long emailMaxBytes) {
        Object rawArgs = body.getValue("args");
        Object rawMessage = body.getValue("message");
        if (rawArgs != null && !(rawArgs instanceof JsonArray)) {
            throw new IllegalArgumentException("'args' must be an array of arguments for the val's default export.");
        }
        if (rawArgs != null && rawMessage != null) {
            throw new IllegalArgumentException("Send 'args' (for a script val) or 'message' (for an email val), not both.");
        }
        if (rawMessage == null) return new RunNow((JsonArray) rawArgs, null);
        if (!(rawMessage instanceof JsonObject message)) {
            throw new IllegalArgumentException("'message' must be an object: the email as POST /api/v1/email/{owner}/{val} takes it.");
        }
        try {
            return new RunNow(null, EmailMessage.read(message, emailMaxBytes));
        } catch (EmailMessage.TooLarge e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("In 'message': " + e.getMessage(), e);
        }
    }

    /** The request as a held item keeps it (beside owner, val, token hash and key). */
    public JsonObject into(JsonObject payload) {
        if (args != null) payload.put("args", args);
        if (message != null) payload.put("message", message);
        return payload;
    }

    /** The request a held item kept. */
    public static RunNow from(JsonObject payload) {
        return new RunNow(payload.getJsonArray("args"), payload.getJsonObject("message"));
    }

    /**
     * How {@code val} runs for this request: a script val as a script run with its arguments, a cron
     * or email val as a manual run called like a tick or a delivery. Throws {@link NotRunnable} for
     * an HTTP val and IllegalArgumentException when the body does not fit the val's type.
     *
     * @param lastRunAt the cron schedule's last tick (ISO-8601, null before the first), read only for cron vals
     */
    public Plan plan(Val val, Supplier<String> lastRunAt) {
        return switch (val.type()) {
            case SCRIPT -> {
                if (message != null) {
                    throw new IllegalArgumentException(val.fullName() + " is a script val: send its arguments as {\"args\": [...]}, not a 'message'.");
                }
                yield new Plan(Run.Trigger.SCRIPT, (args == null ? new JsonArray() : args).encode());
            }
            case CRON -> {
                if (args != null || message != null) {
                    throw new IllegalArgumentException(val.fullName() + " is a cron val: run it with an empty body {}; it is called with"
                            + " its schedule's { lastRunAt }, as on a scheduled tick.");
                }
                yield new Plan(Run.Trigger.MANUAL, new JsonArray().add(new JsonObject().put("lastRunAt", lastRunAt.get())).encode());
            }
            case EMAIL -> {
                if (message == null) {
                    throw new IllegalArgumentException(val.fullName() + " is an email val: send the email to run it with as"
                            + " {\"message\": {\"from\": \"...\", \"to\": \"...\", \"subject\": \"...\", \"text\": \"...\"}}"
                            + " (the fields of POST /api/v1/email/{owner}/{val}).");
                }
                yield new Plan(Run.Trigger.MANUAL, new JsonArray().add(message).encode());
            }
            case HTTP -> throw new NotRunnable(val.fullName() + " is an HTTP val: it runs when its URL is requested (/v/"
                    + val.owner() + "/" + val.name() + "). Run now is for script, cron and email vals.");
        };
    }
}
