package dev.valence.runtime.http;

import dev.valence.runtime.email.Addresses;
import dev.valence.runtime.engine.JsEngine;
import dev.valence.runtime.engine.RunRecorder;
import dev.valence.runtime.engine.ValDirectory;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.engine.modules.TsCompiler;
import dev.valence.runtime.packages.PackageException;
import dev.valence.runtime.packages.PackageLocks;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.RunStore;
import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.store.ValVersion;
import dev.valence.runtime.triggers.Schedule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The authoring API (anchor: Val Town's REST API). Each method runs on the database worker pool,
 * checks who is asking, calls the store and returns a {@link Reply}; errors are {@link ApiError}s.
 * Vals of others: public and unlisted ones can be read; private ones look like they do not exist.
 */
final class AuthorApi {
    static final int MAX_CODE_BYTES = 1024 * 1024;
    private static final Set<String> TYPES = Set.of("http", "cron", "script", "email");
    private static final Set<String> PRIVACY = Set.of("public", "unlisted", "private");

    private final Authenticator auth;
    private final UserStore users;
    private final TokenStore tokens;
    private final ValStore vals;
    private final RunStore runs;
    private final EnvStore env;
    private final JsEngine engine;
    private final ValDirectory directory;
    private final ValRunner runner;
    private final RunRecorder recorder;
    private final Supplier<String> publicUrl;
    private final Duration minimumCronInterval;
    private final AuditApi audit;
    private final PackageLocks packages;

    AuthorApi(Authenticator auth, UserStore users, TokenStore tokens, ValStore vals, RunStore runs, EnvStore env,
              JsEngine engine, ValDirectory directory, ValRunner runner, RunRecorder recorder, Supplier<String> publicUrl,
              Duration minimumCronInterval, AuditApi audit, PackageLocks packages) {
        this.packages = packages;
        this.audit = audit;
        this.minimumCronInterval = minimumCronInterval;
        this.auth = auth;
        this.users = users;
        this.tokens = tokens;
        this.vals = vals;
        this.runs = runs;
        this.env = env;
        this.engine = engine;
        this.directory = directory;
        this.runner = runner;
        this.recorder = recorder;
        this.publicUrl = publicUrl;
    }

    private User caller(RoutingContext ctx) {
        return auth.required(ctx.request().getHeader("Authorization"));
    }

    // ------------------------------------------------------------------ me, users, tokens

    Reply me(RoutingContext ctx) {
        User user = caller(ctx);
        return Reply.ok(userJson(user));
    }

    /** {@code PATCH /api/v1/me} with {@code {"email": "..."}} (null clears it): the caller's own address, where std/email sends. */
    Reply updateMe(RoutingContext ctx) {
        User user = caller(ctx);
        JsonObject body = JsonBodies.object(ctx);
        for (String field : body.fieldNames()) {
            if (!field.equals("email")) throw ApiError.badRequest("'" + field + "' cannot be changed here; PATCH /api/v1/me takes 'email'.");
        }
        if (!body.containsKey("email")) throw ApiError.badRequest("Send {\"email\": \"you@example.com\"} to set your address, or {\"email\": null} to clear it.");
        User updated = users.setEmail(user.id(), emailAddress(body)).orElseThrow(() -> ApiError.notFound("Your user no longer exists."));
        auth.forgetAll(); // the cached user behind each token still has the old address
        audit.record(ctx, user, "user.update", user.name(), updated.email() == null ? "email cleared" : "email set");
        return Reply.ok(userJson(updated));
    }

    /** The optional 'email' field: one bare address, checked with the RFC 822 parser. */
    private static String emailAddress(JsonObject body) {
        String email = JsonBodies.string(body, "email", false);
        if (email == null) return null;
        if (!Addresses.isMailbox(email.trim())) {
            throw ApiError.badRequest("'email' must be one address such as ann@example.com (at most 254 characters, no display name), got '"
                    + (email.length() > 100 ? email.substring(0, 100) + "..." : email) + "'.");
        }
        return email.trim();
    }

    Reply createUser(RoutingContext ctx) {
        User admin = requireAdmin(caller(ctx));
        JsonObject body = JsonBodies.object(ctx);
        String name = Names.requireNewUserName(JsonBodies.string(body, "name", true));
        User.Role role = User.Role.fromWire(JsonBodies.oneOf(body, "role", Set.of("admin", "user"), "user"));
        String email = emailAddress(body);
        User created = users.create(name, role, email)
                .orElseThrow(() -> new ApiError(409, "conflict", "A user named '" + name + "' already exists."));
        var token = tokens.create(created.id(), "created by " + admin.name());
        audit.record(ctx, admin, "user.create", created.name(), "role " + created.role().wire() + ", token " + token.info().id());
        return Reply.created(new JsonObject().put("user", userJson(created)).put("token", token.secret()));
    }

    Reply listUsers(RoutingContext ctx) {
        requireAdmin(caller(ctx));
        var data = new JsonArray();
        users.list().forEach(u -> data.add(userJson(u)));
        return Reply.ok(new JsonObject().put("data", data));
    }

    Reply createToken(RoutingContext ctx) {
        User user = caller(ctx);
        JsonObject body = ctx.body().buffer() == null || ctx.body().buffer().length() == 0 ? new JsonObject() : JsonBodies.object(ctx);
        String name = JsonBodies.string(body, "name", false);
        if (name != null && name.length() > 200) throw ApiError.badRequest("'name' may be at most 200 characters.");
        String forUser = JsonBodies.string(body, "user", false);
        User owner = user;
        if (forUser != null && !forUser.equals(user.name())) {
            requireAdmin(user);
            owner = users.byName(forUser).orElseThrow(() -> ApiError.notFound("No user named '" + forUser + "'."));
        }
        var token = tokens.create(owner.id(), name == null ? "" : name);
        audit.record(ctx, user, "token.create", String.valueOf(token.info().id()), "for " + owner.name() + (name == null ? "" : ", named " + name));
        return Reply.created(tokenJson(token.info(), owner.name()).put("token", token.secret()));
    }

    Reply listTokens(RoutingContext ctx) {
        User user = caller(ctx);
        var data = new JsonArray();
        tokens.listFor(user.id()).forEach(t -> data.add(tokenJson(t, user.name())));
        return Reply.ok(new JsonObject().put("data", data));
    }

    Reply deleteToken(RoutingContext ctx) {
        User user = caller(ctx);
        long id = parseId(ctx.pathParam("id"));
        var token = tokens.byId(id).filter(t -> t.userId() == user.id() || user.isAdmin())
                .orElseThrow(() -> ApiError.notFound("No token " + id + " of yours."));
        // a user's own last token is their only way in; an admin revoking someone else's can issue them a new one
        if (token.userId() == user.id() && tokens.listFor(user.id()).size() <= 1) {
            throw new ApiError(409, "last_token", "Token " + id + " is your last API token; deleting it would lock you out."
                    + " Create another first (POST /api/v1/tokens), then delete this one.");
        }
        tokens.delete(token.id());
        auth.forgetAll();
        audit.record(ctx, user, "token.delete", String.valueOf(token.id()), null);
        return Reply.noContent();
    }

    // ------------------------------------------------------------------ vals

    Reply createVal(RoutingContext ctx) {
        User user = caller(ctx);
        JsonObject body = JsonBodies.object(ctx);
        String name = Names.requireNewValName(user.name(), JsonBodies.string(body, "name", true));
        Val.Type type = Val.Type.fromWire(JsonBodies.oneOf(body, "type", TYPES, "http"));
        Val.Privacy privacy = Val.Privacy.fromWire(JsonBodies.oneOf(body, "privacy", PRIVACY, "public"));
        String schedule = schedule(type, JsonBodies.string(body, "schedule", false));
        ValStore.Code code = checkedCode(user.name() + "/" + name, JsonBodies.string(body, "code", true));
        String publicErrors = JsonBodies.oneOf(body, "publicErrors", PUBLIC_ERRORS, ""); // "": keep
        var lock = lockPackages(null, code);
        Val val = vals.create(user.id(), name, type, privacy, schedule, code, lockWrites(lock))
                .orElseThrow(() -> new ApiError(409, "conflict", "You already have a val named '" + name + "'."));
        if (!publicErrors.isEmpty()) val = vals.setPublicErrors(val.id(), errorDetail(publicErrors)).orElse(val);
        directory.invalidate(val.owner(), val.name());
        audit.record(ctx, user, "val.create", val.fullName(), val.type().wire() + ", " + val.privacy().wire() + ", version " + val.latestVersion());
        prepare(val);
        return Reply.created(valJson(val));
    }

    Reply listVals(RoutingContext ctx) {
        User user = caller(ctx);
        var data = new JsonArray();
        vals.listByOwner(user.id()).forEach(v -> data.add(valJson(v)));
        return Reply.ok(new JsonObject().put("data", data));
    }

    Reply getVal(RoutingContext ctx) {
        Val val = visibleVal(ctx);
        String code = vals.version(val.id(), val.latestVersion()).map(ValVersion::code).orElse("");
        return Reply.ok(valJson(val).put("code", code)).withHeader("ETag", IfMatch.etag(val.latestVersion()));
    }

    Reply updateVal(RoutingContext ctx) {
        Val val = ownVal(ctx);
        JsonObject body = JsonBodies.object(ctx);
        ValStore.Code code = checkedCode(val.fullName(), JsonBodies.string(body, "code", true));
        String privacyWire = JsonBodies.oneOf(body, "privacy", PRIVACY, val.privacy().wire());
        Val.Type type = Val.Type.fromWire(JsonBodies.oneOf(body, "type", TYPES, val.type().wire()));
        String schedule = updatedSchedule(val, type, body);
        // without a 'type' the store keeps the row's, so a save does not undo a type change it never saw
        Val.Type newType = body.containsKey("type") ? type : null;
        String publicErrors = JsonBodies.oneOf(body, "publicErrors", PUBLIC_ERRORS, ""); // "": keep
        var expected = IfMatch.versions(ctx.request().getHeader("If-Match"));
        var lock = lockPackages(val.id(), code);
        Val saved = switch (vals.saveVersionIf(val.id(), code, Val.Privacy.fromWire(privacyWire), newType, schedule, expected, lockWrites(lock))) {
            case ValStore.Conditional.Saved done -> done.val();
            case ValStore.Conditional.Missing gone -> throw ApiError.notFound("The val " + val.fullName() + " was deleted meanwhile.");
            case ValStore.Conditional.Unscheduled unscheduled -> throw new ApiError(409, "conflict", val.fullName()
                    + " stopped being a cron val since you read it, so it has no schedule to keep. Nothing was saved."
                    + " Send a 'schedule' with \"type\": \"cron\".");
            case ValStore.Conditional.Stale stale -> throw new ApiError(412, "stale_version", val.fullName() + " is at version "
                    + stale.currentVersion() + ", not what If-Match: " + ctx.request().getHeader("If-Match").trim()
                    + " expected: someone saved it since you read it. Nothing was saved. Read version "
                    + stale.currentVersion() + ", merge your change and save with If-Match: \"" + stale.currentVersion()
                    + "\", or save without If-Match to overwrite it.", new JsonObject().put("currentVersion", stale.currentVersion()));
        };
        if (!publicErrors.isEmpty()) saved = vals.setPublicErrors(val.id(), errorDetail(publicErrors)).orElse(saved);
        directory.invalidate(saved.owner(), saved.name());
        // the warm contexts of an HTTP val serve no one once it is another type
        if (val.type() == Val.Type.HTTP && saved.type() != Val.Type.HTTP) runner.forget(saved.id());
        String typeChange = saved.type() == val.type() ? "" : "type " + val.type().wire() + " to " + saved.type().wire() + ", ";
        audit.record(ctx, caller(ctx), "val.update", saved.fullName(), typeChange + saved.privacy().wire() + ", version " + saved.latestVersion());
        prepare(saved);
        return Reply.ok(valJson(saved)).withHeader("ETag", IfMatch.etag(saved.latestVersion()));
    }

    /**
     * Loads a saved HTTP val's new version into a context before the save is answered, so its first
     * request does not wait for the module to load (the cold start, BENCHMARKS.md).
     */
    private void prepare(Val val) {
        if (val.type() != Val.Type.HTTP) return;
        directory.find(val.owner(), val.name()).ifPresent(deployed -> runner.prepare(deployed.val(), deployed.code()));
    }

    Reply deleteVal(RoutingContext ctx) {
        Val val = ownVal(ctx);
        vals.delete(val.id());
        directory.invalidate(val.owner(), val.name());
        runner.forget(val.id());
        audit.record(ctx, caller(ctx), "val.delete", val.fullName(), null);
        return Reply.noContent();
    }

    Reply listVersions(RoutingContext ctx) {
        Val val = visibleVal(ctx);
        var data = new JsonArray();
        vals.versions(val.id()).forEach(v -> data.add(new JsonObject().put("version", v.version())
                .put("createdAt", v.createdAt().toString())));
        return Reply.ok(new JsonObject().put("data", data));
    }

    Reply getVersion(RoutingContext ctx) {
        Val val = visibleVal(ctx);
        int number;
        try {
            number = Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("A version is a positive whole number, got '" + ctx.pathParam("version") + "'.");
        }
        ValVersion version = vals.version(val.id(), number)
                .orElseThrow(() -> ApiError.notFound(val.fullName() + " has no version " + number + " (latest is " + val.latestVersion() + ")."));
        return Reply.ok(new JsonObject().put("version", version.version()).put("createdAt", version.createdAt().toString())
                .put("code", version.code()));
    }

    static final int MAX_RUNS_PAGE = 1000;

    /**
     * {@code GET .../runs}: newest first, filtered by {@code trigger}, {@code outcome}, {@code since}
     * and {@code before} (ISO-8601 instants), at most {@code limit} (default 50, at most 1000) per
     * page; {@code nextCursor} continues after the last run of the page.
     */
    Reply listRuns(RoutingContext ctx) {
        Val val = ownVal(ctx);
        var query = ctx.queryParams();
        int limit = 50;
        String raw = query.get("limit");
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_RUNS_PAGE) {
                throw ApiError.badRequest("'limit' must be a whole number from 1 to " + MAX_RUNS_PAGE + ", got '" + raw + "'.");
            }
        }
        Run.Trigger trigger = null;
        if (query.get("trigger") != null) {
            trigger = Run.Trigger.fromWire(query.get("trigger"));
            if (trigger == null) throw ApiError.badRequest("'trigger' must be one of http, cron, script, email, manual; got '" + query.get("trigger") + "'.");
        }
        Run.Outcome outcome = null;
        if (query.get("outcome") != null) {
            outcome = Run.Outcome.fromWire(query.get("outcome"));
            if (outcome == null) {
                throw ApiError.badRequest("'outcome' must be one of success, error, timeout, cancelled, limit, schema; got '" + query.get("outcome") + "'.");
            }
        }
        var filter = new RunStore.Filter(trigger, outcome, InstantParameter.parse(query.get("since"), "since"), InstantParameter.parse(query.get("before"), "before"),
                cursor(query.get("cursor")), limit + 1);
        recorder.flush(); // read your own runs
        var page = runs.list(val.id(), filter);
        var data = new JsonArray();
        for (int i = 0; i < Math.min(limit, page.size()); i++) data.add(runJson(page.get(i)));
        String next = null;
        if (page.size() > limit) {
            Run last = page.get(limit - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.startedAt().toString() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return Reply.ok(new JsonObject().put("data", data).put("nextCursor", next));
    }

    /** {@code GET .../runs/{id}}: one run with its logs. */
    Reply getRun(RoutingContext ctx) {
        Val val = ownVal(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("A run id is a whole number, got '" + ctx.pathParam("id") + "'.");
        }
        recorder.flush();
        Run run = runs.byId(val.id(), id).orElseThrow(() -> ApiError.notFound("No run " + id + " of " + val.fullName() + "."));
        return Reply.ok(runJson(run));
    }

    /** The val in the path if the caller owns it (for routes served outside this class). */
    Val ownedVal(RoutingContext ctx) {
        return ownVal(ctx);
    }



    private static RunStore.Cursor cursor(String raw) {
        if (raw == null) return null;
        try {
            String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            Instant at = Instant.parse(text.substring(0, bar));
            if (!InstantParameter.inRange(at)) throw new IllegalArgumentException("out of range");
            return new RunStore.Cursor(at, Long.parseLong(text.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw ApiError.badRequest("'cursor' is not a cursor this API gave out; pass the 'nextCursor' of the previous page.");
        }
    }

    // ------------------------------------------------------------------ env

    Reply putEnv(RoutingContext ctx) {
        User user = caller(ctx);
        String key = Names.requireEnvKey(ctx.pathParam("key"));
        String value = JsonBodies.string(JsonBodies.object(ctx), "value", true);
        if (value.length() > 65536) throw new ApiError(413, "payload_too_large", "An environment value may be at most 65536 characters.");
        env.put(user.id(), key, value);
        audit.record(ctx, user, "env.set", key, null); // never the value
        return Reply.noContent();
    }

    Reply deleteEnv(RoutingContext ctx) {
        User user = caller(ctx);
        String key = Names.requireEnvKey(ctx.pathParam("key"));
        if (!env.delete(user.id(), key)) throw ApiError.notFound("You have no environment variable named " + key + ".");
        audit.record(ctx, user, "env.delete", key, null);
        return Reply.noContent();
    }

    Reply listEnv(RoutingContext ctx) {
        User user = caller(ctx);
        var data = new JsonArray();
        env.keys(user.id()).forEach(e -> data.add(new JsonObject().put("key", e.key()).put("updatedAt", e.updatedAt().toString())));
        return Reply.ok(new JsonObject().put("data", data));
    }

    /** {@code GET /api/v1/audit}: admins only. */
    Reply listAudit(RoutingContext ctx) {
        return audit.list(ctx, caller(ctx));
    }

    // ------------------------------------------------------------------ helpers

    /** The val in the path if the caller may read it; others' private vals are reported as missing. */
    private Val visibleVal(RoutingContext ctx) {
        User user = caller(ctx);
        Val val = pathVal(ctx);
        if (val.ownerId() != user.id() && val.privacy() == Val.Privacy.PRIVATE) throw noSuchVal(ctx);
        return val;
    }

    /** The val in the path if the caller owns it. */
    private Val ownVal(RoutingContext ctx) {
        User user = caller(ctx);
        Val val = pathVal(ctx);
        if (val.ownerId() != user.id()) {
            if (val.privacy() == Val.Privacy.PRIVATE) throw noSuchVal(ctx);
            throw ApiError.forbidden(val.fullName() + " belongs to " + val.owner() + "; only its owner can do this.");
        }
        return val;
    }

    private Val pathVal(RoutingContext ctx) {
        String owner = ctx.pathParam("owner");
        String name = ctx.pathParam("val");
        if (!Names.isValidName(owner) || !Names.isValidName(name)) throw noSuchVal(ctx);
        return vals.find(owner, name).orElseThrow(() -> noSuchVal(ctx));
    }

    private static ApiError noSuchVal(RoutingContext ctx) {
        return ApiError.notFound("No val named " + ctx.pathParam("owner") + "/" + ctx.pathParam("val") + ".");
    }

    private static User requireAdmin(User user) {
        if (!user.isAdmin()) throw ApiError.forbidden("Only an admin can do this; " + user.name() + " is not one.");
        return user;
    }

    /**
     * Compiles the code as TypeScript (plain JavaScript passes through) and checks that the result
     * parses; the version keeps the source as written, the compiled JavaScript and its imports.
     */
    private ValStore.Code checkedCode(String name, String code) {
        if (code.getBytes(StandardCharsets.UTF_8).length > MAX_CODE_BYTES) {
            throw new ApiError(413, "payload_too_large", "A val's code may be at most " + MAX_CODE_BYTES + " bytes.");
        }
        TsCompiler.Compiled compiled;
        try {
            compiled = engine.compiler().compile(name, code);
        } catch (TsCompiler.CompileError e) {
            if (e.problem() != TsCompiler.Problem.SYNTAX) {
                throw new ApiError(400, e.problem().code(), e.getMessage(), new JsonObject().put("line", e.line()).put("column", e.column()));
            }
            throw syntaxError(e.line(), e.column(), e.getMessage());
        }
        engine.checkSyntax(name, compiled.code()).ifPresent(problem -> {
            throw syntaxError(problem.line(), problem.column(), problem.message());
        });
        return new ValStore.Code(code, compiled.code(), compiled.imports());
    }

    /**
     * The package lock of the code's imports, resolved (or reused) before the version is written, so a save whose
     * packages cannot be resolved writes nothing and answers 400 naming the package, its range and why.
     */
    private java.util.Optional<PackageLocks.Prepared> lockPackages(Long valId, ValStore.Code code) {
        try {
            return packages.prepare(valId, code.imports());
        } catch (PackageException e) {
            throw new ApiError(400, "package_unavailable", e.getMessage() + " Nothing was saved.");
        }
    }

    /** The lock written in the version's own transaction, so no instance ever loads the version without it. */
    private ValStore.VersionWrites lockWrites(java.util.Optional<PackageLocks.Prepared> lock) {
        return lock.<ValStore.VersionWrites>map(l -> (connection, valId, version) -> packages.save(connection, valId, version, l))
                .orElse(ValStore.VersionWrites.NONE);
    }

    private static ApiError syntaxError(int line, int column, String message) {
        return new ApiError(400, "syntax_error", "Syntax error at line " + line + ", column " + column + ": " + message,
                new JsonObject().put("line", line).put("column", column));
    }

    private String schedule(Val.Type type, String schedule) {
        if (type == Val.Type.CRON) {
            if (schedule == null || schedule.isBlank()) {
                throw ApiError.badRequest("A cron val needs a 'schedule' (a cron expression such as '*/5 * * * *', or an interval such as 'every 5m').");
            }
            try {
                Schedule.parseForSave(schedule, minimumCronInterval, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "invalid_schedule", e.getMessage());
            }
            return schedule.trim();
        }
        if (schedule != null) throw ApiError.badRequest("Only cron vals take a 'schedule'.");
        return null;
    }

    /**
     * The schedule a save stores (null: keep the val's). A val turned into a cron val needs one, checked
     * as at create; a cron val keeps its own when none is sent; other types take none (the store clears it).
     */
    private String updatedSchedule(Val val, Val.Type type, JsonObject body) {
        if (body.containsKey("schedule")) return schedule(type, JsonBodies.string(body, "schedule", false));
        if (type == Val.Type.CRON && val.type() != Val.Type.CRON) return schedule(type, null);
        return null;
    }

    private static long parseId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("A token id is a whole number, got '" + raw + "'.");
        }
    }

    private static final Set<String> PUBLIC_ERRORS = Set.of("default", "brief", "full");

    /** A val's {@code publicErrors} as stored: null for {@code default}, the operator's VAL_PUBLIC_ERRORS. */
    private static Val.ErrorDetail errorDetail(String wire) {
        return wire.equals("default") ? null : Val.ErrorDetail.fromWire(wire);
    }

    JsonObject valJson(Val val) {
        var json = new JsonObject()
                .put("id", String.valueOf(val.id()))
                .put("owner", val.owner())
                .put("name", val.name())
                .put("type", val.type().wire())
                .put("privacy", val.privacy().wire())
                .put("publicErrors", val.publicErrors() == null ? "default" : val.publicErrors().wire())
                .put("version", val.latestVersion())
                .put("createdAt", val.createdAt().toString())
                .put("updatedAt", val.updatedAt().toString());
        if (val.schedule() != null) json.put("schedule", val.schedule());
        if (val.type() == Val.Type.HTTP) json.put("url", publicUrl.get() + "/v/" + val.owner() + "/" + val.name());
        return json;
    }

    private static JsonObject userJson(User user) {
        return new JsonObject().put("id", String.valueOf(user.id())).put("name", user.name()).put("role", user.role().wire())
                .put("createdAt", user.createdAt().toString()).put("email", user.email());
    }

    private static JsonObject tokenJson(TokenStore.TokenInfo token, String user) {
        return new JsonObject().put("id", String.valueOf(token.id())).put("name", token.name()).put("user", user)
                .put("prefix", token.prefix()).put("createdAt", token.createdAt().toString())
                .put("lastUsedAt", token.lastUsedAt() == null ? null : token.lastUsedAt().toString());
    }

    static JsonObject runJson(Run run) {
        return new JsonObject()
                .put("id", String.valueOf(run.id()))
                .put("version", run.version())
                .put("trigger", run.trigger().wire())
                .put("outcome", run.outcome().wire())
                .put("status", run.httpStatus())
                .put("startedAt", run.startedAt().toString())
                .put("durationMs", Math.round(run.durationMs() * 1000) / 1000.0)
                .put("logs", run.logs())
                .put("error", run.error());
    }
}
