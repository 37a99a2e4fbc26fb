package dev.valence.runtime.http;

import dev.valence.runtime.engine.Invocation;
import dev.valence.runtime.engine.RunRecorder;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.email.RawMessage;
import dev.valence.runtime.guard.HeldWork;
import dev.valence.runtime.guard.Reason;
import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.guard.Verdict;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.TriggerResultStore;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.triggers.EmailMessage;
import dev.valence.runtime.triggers.LargeJson;
import dev.valence.runtime.triggers.RunNow;
import dev.valence.runtime.triggers.TriggerRunner;
import dev.valence.runtime.triggers.Triggers;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs by hand ({@code POST /api/v1/vals/{owner}/{val}/run}) and inbound email
 * ({@code POST /api/v1/email/{owner}/{val}}). Both are served whatever the schema: while it is
 * compatible the val runs now and the answer carries its run; while it is not, the request is held
 * (202 with the held item's id) and runs once compatibility returns, exactly once per
 * {@code Idempotency-Key}. Only the val's owner may trigger either, with their API token.
 */
final class TriggerApi {
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7e]{1,200}$");

    private final SchemaGuard guard;
    private final Fallback fallback;
    private final Authenticator auth;
    private final ValStore vals;
    private final RunStore runs;
    private final RunRecorder recorder;
    private final TriggerRunner runner;
    private final HeldWork heldWork;
    private final TriggerResultStore results;
    private final WorkerExecutor jsWorkers;
    private final long emailMaxBytes;
    /** HELD_WORK_MAX_PER_OWNER and HELD_WORK_MAX_BYTES_PER_OWNER: what one owner may have held at once. */
    private final int heldMaxPerOwner;
    private final long heldMaxBytesPerOwner;

    TriggerApi(SchemaGuard guard, Fallback fallback, Authenticator auth, ValStore vals, RunStore runs, RunRecorder recorder, Triggers triggers,
               WorkerExecutor jsWorkers, long emailMaxBytes, int heldMaxPerOwner, long heldMaxBytesPerOwner) {
        this.emailMaxBytes = emailMaxBytes;
        this.heldMaxPerOwner = heldMaxPerOwner;
        this.heldMaxBytesPerOwner = heldMaxBytesPerOwner;
        this.guard = guard;
        this.fallback = fallback;
        this.auth = auth;
        this.vals = vals;
        this.runs = runs;
        this.recorder = recorder;
        this.runner = triggers.runner();
        this.heldWork = triggers.heldWork();
        this.results = triggers.results();
        this.jsWorkers = jsWorkers;
    }

    /** {@code trigger}: the endpoint's, SCRIPT for the run endpoint (the namespace of its idempotency keys). */
    private record Request(Run.Trigger trigger, String owner, String name, String authorization, String clientKey, Object argument) {}

    /**
     * {@code POST /api/v1/vals/{owner}/{val}/run} ("Run now"): a script val with an optional body
     * {@code {"args": [...]}}, a cron val with {@code {}}, an email val with {@code {"message": {...}}}
     * (see {@link RunNow}). Its requests are keyed and held as script requests whatever the val's type.
     */
    void runNow(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        RunNow wanted;
        try {
            wanted = body == null || body.length() == 0 ? new RunNow(null, null) : RunNow.read(jsonObject(body), emailMaxBytes);
        } catch (EmailMessage.TooLarge e) {
            throw new ApiError(413, "payload_too_large", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        dispatch(ctx, new Request(Run.Trigger.SCRIPT, ctx.pathParam("owner"), ctx.pathParam("val"),
                ctx.request().getHeader("Authorization"), idempotencyKey(ctx), wanted));
    }

    /**
     * The body handler of the email endpoint: JSON carries attachments in base64 (a third larger than
     * their bytes) plus its own syntax, so its body may be that much larger than EMAIL_MAX_BYTES; the
     * message's own size is checked once it is read.
     */
    RawBody emailBodies() {
        long limit = emailMaxBytes + emailMaxBytes / 3 + 1024 * 1024;
        return new RawBody(limit, new ApiError(413, "payload_too_large", "An email may be at most " + emailMaxBytes
                + " bytes (EMAIL_MAX_BYTES), and this request's body is larger than the " + limit
                + " bytes that allows even as JSON with base64 attachments."));
    }

    /**
     * {@code POST /api/v1/email/{owner}/{val}}: a parsed message as JSON (see {@link EmailMessage}) or a
     * raw RFC 5322 message with {@code Content-Type: message/rfc822}. Parsing runs on a worker: a
     * message may be tens of megabytes.
     */
    void receiveEmail(RoutingContext ctx) {
        Buffer body = ctx.get(RawBody.KEY);
        String contentType = ctx.request().getHeader("Content-Type");
        boolean raw = contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase("message/rfc822");
        if (body == null || body.length() == 0) {
            throw ApiError.badRequest(raw ? "The request needs a body: the raw message (RFC 5322), headers first."
                    : "The request needs a JSON body: the parsed message {from, to, subject, text, html, headers, attachments},"
                    + " or a raw message sent with Content-Type: message/rfc822.");
        }
        if (raw && body.length() > emailMaxBytes) {
            throw new ApiError(413, "payload_too_large", "An email may be at most " + emailMaxBytes
                    + " bytes (EMAIL_MAX_BYTES); this raw message has " + body.length() + ".");
        }
        String authorization = ctx.request().getHeader("Authorization");
        String clientKey = idempotencyKey(ctx);
        jsWorkers.<JsonObject>executeBlocking(() -> {
            try {
                JsonObject parsed = raw ? RawMessage.parse(body.getBytes(), null, null) : largeJsonObject(body);
                return EmailMessage.read(parsed, emailMaxBytes);
            } catch (EmailMessage.TooLarge e) {
                throw new ApiError(413, "payload_too_large", e.getMessage());
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage());
            }
        }, false).onComplete(read -> {
            if (read.failed()) {
                ctx.fail(read.cause());
                return;
            }
            try {
                dispatch(ctx, new Request(Run.Trigger.EMAIL, ctx.pathParam("owner"), ctx.pathParam("val"), authorization, clientKey, read.result()));
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        });
    }

    private void dispatch(RoutingContext ctx, Request request) {
        if (!Names.isValidName(request.owner()) || !Names.isValidName(request.name())) {
            throw ApiError.notFound("No val named " + request.owner() + "/" + request.name() + ".");
        }
        Verdict verdict = guard.current();
        if (verdict.reason() == Reason.DATABASE_UNREACHABLE) {
            // nothing can be run or held without the database: say so now rather than after the pool's timeout
            fallback.answer(ctx, verdict.code(), verdict.message());
            return;
        }
        jsWorkers.<Answer>executeBlocking(() -> guard.current().compatible() ? runNow(request) : hold(request), false)
                .onComplete(done -> {
                    if (done.failed()) {
                        if (isConnectionLoss(done.cause())) unreachable(ctx, done.cause());
                        else ctx.fail(done.cause());
                        return;
                    }
                    Answer answer = done.result();
                    var response = ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
                            .putHeader("Cache-Control", "no-store");
                    if (answer.retryAfterSeconds() > 0) response.putHeader("Retry-After", String.valueOf(answer.retryAfterSeconds()));
                    response.end(answer.json().encode());
                });
    }

    private record Answer(int status, JsonObject json, int retryAfterSeconds) {}

    /** The database went away under this request (the guard may not know yet): 503 with what is known, and a recheck. */
    private void unreachable(RoutingContext ctx, Throwable cause) {
        guard.recheck();
        Verdict verdict = guard.current();
        if (verdict.compatible()) {
            String error = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().lines().findFirst().orElse("");
            fallback.answer(ctx, Reason.DATABASE_UNREACHABLE.code(), Verdict.cannotBeReached(error));
        } else {
            fallback.answer(ctx, verdict.code(), verdict.message());
        }
    }

    /** A lost or refused connection, or the pool's timeout waiting for one (SQLSTATE class 08). */
    private static boolean isConnectionLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) return true;
            if (t instanceof StoreException store && store.sqlState().startsWith("08")) return true;
        }
        return false;
    }

    private Answer runNow(Request request) throws Exception {
        User user = auth.required(request.authorization());
        var deployed = vals.findDeployed(request.owner(), request.name())
                .orElseThrow(() -> ApiError.notFound("No val named " + request.owner() + "/" + request.name() + "."));
        Val val = deployed.val();
        if (val.ownerId() != user.id()) {
            if (val.privacy() == Val.Privacy.PRIVATE) throw ApiError.notFound("No val named " + request.owner() + "/" + request.name() + ".");
            throw ApiError.forbidden(val.fullName() + " belongs to " + val.owner() + "; only its owner can run it"
                    + " (a run uses the owner's environment variables and storage).");
        }
        Run.Trigger trigger = request.trigger();
        String argsJson;
        if (request.argument() instanceof RunNow wanted) {
            RunNow.Plan plan = plan(val, wanted);
            trigger = plan.trigger();
            argsJson = plan.argsJson();
        } else {
            if (val.type() != Val.Type.EMAIL) {
                throw new ApiError(400, "wrong_val_type", val.fullName() + " is a " + val.type().wire() + " val; only email vals can be sent email.");
            }
            argsJson = new JsonArray().add(request.argument()).encode();
        }
        String key = request.clientKey() == null ? null : fullKey(request, request.clientKey());
        TriggerRunner.Result result = runner.run(val, deployed.code(), trigger, argsJson, key, false);
        return switch (result) {
            case TriggerRunner.Ran ran -> ranAnswer(val, ran.run(), trigger);
            case TriggerRunner.Replayed replayed -> replayAnswer(val, replayed.runId());
            // a host function met a schema-class error part-way: held like work that arrives while incompatible
            case TriggerRunner.SchemaFailed failed -> hold(request, true);
        };
    }

    /** How the val runs for a run request: 409 for an HTTP val, 400 when the body does not fit its type. */
    private RunNow.Plan plan(Val val, RunNow wanted) {
        try {
            return runner.plan(val, wanted);
        } catch (RunNow.NotRunnable e) {
            throw new ApiError(409, "not_runnable", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private Answer ranAnswer(Val val, ValRunner.TriggerRun run, Run.Trigger trigger) {
        var json = new JsonObject().put("runId", String.valueOf(run.runId())).put("val", val.fullName()).put("version", run.version())
                .put("trigger", trigger.wire()).put("outcome", run.outcome().wire())
                .put("result", run.resultJson() == null ? null : io.vertx.core.json.Json.decodeValue(run.resultJson()))
                .put("logs", run.logs()).put("error", errorJson(run.error()))
                .put("startedAt", run.startedAt().toString()).put("durationMs", Math.round(run.durationMs() * 1000) / 1000.0);
        if (run.refusedForConcurrency()) {
            return new Answer(429, new JsonObject().put("error", new JsonObject().put("code", "too_many_runs")
                    .put("message", val.fullName() + ": " + run.error().message() + "; retry in a moment.")
                    .put("runId", String.valueOf(run.runId()))), 1);
        }
        return new Answer(200, json, 0);
    }

    /** The key ran before (or is running): answer with that run as recorded. */
    private Answer replayAnswer(Val val, long runId) {
        recorder.flush();
        Run run = runId == 0 ? null : runs.byId(val.id(), runId).orElse(null);
        if (run == null) {
            throw new ApiError(409, "in_progress", "A run with this Idempotency-Key is still in progress; ask again in a moment.");
        }
        return new Answer(200, AuthorApi.runJson(run).put("runId", String.valueOf(run.id())).put("val", val.fullName()).put("replayed", true), 0);
    }

    private Answer hold(Request request) throws Exception {
        return hold(request, false);
    }

    private Answer hold(Request request, boolean afterSchemaFailure) throws Exception {
        String authorization = request.authorization();
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw ApiError.unauthorized("This needs the val owner's API token: send 'Authorization: Bearer <token>'.");
        }
        if (!afterSchemaFailure) { // after one, runNow checked both already
            Optional<Answer> refused = refuseUnlessOwner(request);
            if (refused.isPresent()) return refused.get();
        }
        String clientKey = request.clientKey() == null ? UUID.randomUUID().toString() : request.clientKey();
        String key = fullKey(request, clientKey);
        String kind = request.trigger() == Run.Trigger.SCRIPT ? TriggerRunner.RUN : TriggerRunner.EMAIL;
        JsonObject payload = TriggerRunner.requestPayload(request.owner(), request.name(),
                TokenStore.hash(authorization.substring(7).trim()), key, request.argument());
        String reason;
        String message;
        HeldWork.Submitted submitted;
        var quota = new HeldWork.OwnerQuota(request.owner(), heldMaxPerOwner, heldMaxBytesPerOwner);
        try {
            if (afterSchemaFailure) {
                reason = heldWork.reasonNow();
                message = HeldWork.QUERY_FAILED.equals(reason) ? QUERY_FAILED_MESSAGE : guard.current().message();
                submitted = heldWork.hold(kind, key, payload.encode(), reason, quota);
            } else {
                Verdict verdict = guard.current();
                reason = verdict.code();
                message = verdict.message();
                submitted = heldWork.submit(kind, key, payload.encode(), quota);
            }
        } catch (HeldWork.OverQuota over) {
            return new Answer(429, new ApiError(429, "held_work_quota", over.quota.owner() + " has " + over.heldItems + " requests ("
                    + over.heldBytes + " bytes) held while the service's database schema is incompatible; this one (" + over.itemBytes
                    + " bytes) would pass the owner's limit of " + over.quota.maxItems() + " requests or " + over.quota.maxBytes()
                    + " bytes (HELD_WORK_MAX_PER_OWNER, HELD_WORK_MAX_BYTES_PER_OWNER), so it was not held. Send it again once the"
                    + " service is back.", new JsonObject().put("bytes", over.itemBytes)).toJson(), 5);
        }
        if (submitted == HeldWork.Submitted.RAN) {
            // compatibility came back between the check and the submission: the item ran at once
            var ran = results.runFor(key).orElseThrow(() -> new ApiError(500, "internal", "The request ran but left no run record."));
            return new Answer(200, new JsonObject().put("runId", String.valueOf(ran.runId())).put("status", "ran"), 0);
        }
        var held = results.heldByKey(key).orElseThrow(() -> new ApiError(500, "internal", "The request was held but cannot be found."));
        String location = "/api/v1/vals/" + request.owner() + "/" + request.name() + "/held/" + held.id();
        return new Answer(202, new JsonObject().put("status", held.done() ? "done" : "held").put("heldId", String.valueOf(held.id()))
                .put("idempotencyKey", clientKey).put("reason", reason).put("message", message)
                .put("location", location), 5);
    }

    /**
     * Held work is only for an authenticated owner of an existing val: the token and the val are read
     * from {@code app} with columns every schema level has. When even that fails (the tables being
     * changed), nothing is held: 503, send it again. Empty when the caller owns the val.
     */
    private Optional<Answer> refuseUnlessOwner(Request request) {
        String who = request.owner() + "/" + request.name();
        try {
            User user = auth.required(request.authorization());
            ValStore.Ownership val = vals.ownership(request.owner(), request.name())
                    .orElseThrow(() -> ApiError.notFound("No val named " + who + "."));
            if (val.ownerId() == user.id()) return Optional.empty();
            if (val.privacy() == Val.Privacy.PRIVATE) throw ApiError.notFound("No val named " + who + ".");
            throw ApiError.forbidden(who + " belongs to " + request.owner() + "; only its owner can run it"
                    + " (a run uses the owner's environment variables and storage).");
        } catch (StoreException e) {
            if (!e.isSchemaOrConnectionProblem()) throw e;
            return Optional.of(new Answer(503, new ApiError(503, "cannot_hold", "The request cannot be held now: the token and the val "
                    + who + " cannot be checked while the service's database schema is being changed (SQLSTATE " + e.sqlState()
                    + "), and only their owner's requests are held. Nothing was held; send it again in a moment.").toJson(), 5));
        }
    }

    private static final String QUERY_FAILED_MESSAGE = "a query failed against the database although its recorded schema is"
            + " compatible with this build; the schema may have changed without a contract declaration";

    /** {@code GET /api/v1/vals/{owner}/{val}/held/{id}}: a held request or tick, and its run once it ran. */
    Reply heldItem(RoutingContext ctx, Val val) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("A held item's id is a whole number, got '" + ctx.pathParam("id") + "'.");
        }
        var held = results.heldById(id).filter(h -> belongsTo(h, val))
                .orElseThrow(() -> ApiError.notFound("No held item " + id + " of " + val.fullName() + "."));
        var json = new JsonObject().put("heldId", String.valueOf(held.id())).put("kind", held.kind());
        var ran = results.runFor(held.idempotencyKey());
        if (ran.isPresent()) {
            recorder.flush();
            json.put("status", "ran").put("runId", String.valueOf(ran.get().runId()));
            runs.byId(val.id(), ran.get().runId()).ifPresent(run -> json.put("run", AuthorApi.runJson(run)));
        } else if (held.done()) {
            json.put("status", "refused").put("message", held.outcome());
        } else {
            json.put("status", "held");
        }
        return Reply.ok(json);
    }

    private static boolean belongsTo(TriggerResultStore.Held held, Val val) {
        JsonObject payload = new JsonObject(held.payloadJson());
        if (payload.containsKey("valId")) return payload.getLong("valId") == val.id();
        return val.owner().equals(payload.getString("owner")) && val.name().equals(payload.getString("val"));
    }

    private static String fullKey(Request request, String clientKey) {
        return request.trigger().wire() + ":" + request.owner() + "/" + request.name() + ":" + clientKey;
    }

    private static String idempotencyKey(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key == null) return null;
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw ApiError.badRequest("The Idempotency-Key header must be 1 to 200 visible ASCII characters.");
        }
        return key;
    }

    /** As {@link #jsonObject}, for email bodies whose base64 strings pass Jackson's default string limit. */
    private static JsonObject largeJsonObject(Buffer body) {
        try {
            return LargeJson.object(body.getBytes());
        } catch (DecodeException e) {
            throw ApiError.badRequest("The body must be a JSON object: " + e.getMessage());
        }
    }

    private static JsonObject jsonObject(Buffer body) {
        try {
            Object value = io.vertx.core.json.Json.decodeValue(body);
            if (value instanceof JsonObject object) return object;
        } catch (DecodeException e) {
            throw ApiError.badRequest("The body is not valid JSON: " + e.getMessage());
        }
        throw ApiError.badRequest("The body must be a JSON object.");
    }

    private static JsonObject errorJson(Invocation.ValError error) {
        if (error == null) return null;
        var json = new JsonObject().put("message", error.message());
        if (error.line() > 0) json.put("line", error.line()).put("column", error.column());
        if (!error.stack().isEmpty()) json.put("stack", error.stack());
        return json;
    }
}
