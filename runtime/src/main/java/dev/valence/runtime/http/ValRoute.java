package dev.valence.runtime.http;

import dev.valence.runtime.engine.Body;
import dev.valence.runtime.engine.Header;
import dev.valence.runtime.engine.Invocation;
import dev.valence.runtime.engine.ResponseSink;
import dev.valence.runtime.engine.ValDirectory;
import dev.valence.runtime.engine.ValRunner;
import dev.valence.runtime.ratelimit.RateLimits;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Serves HTTP vals at {@code /v/{owner}/{val}/...} (and by host name under {@code VALS_DOMAIN}). The
 * event loop only converts the request; finding the val, checking access and running it happen in
 * one task on the JS worker pool, and the event loop writes the answer ({@link ValAnswers}).
 */
final class ValRoute {
    private final ValDirectory directory;
    private final ValRunner runner;
    private final Authenticator auth;
    private final WorkerExecutor jsWorkers;
    private final Optional<String> valsDomain;

    private final Fallback fallback;
    private final RateLimits limits;
    /** VAL_PUBLIC_ERRORS: what strangers see of the errors of vals without a setting of their own. */
    private final Val.ErrorDetail publicErrors;
    /** Set once at wiring: forwarded-header trust and the response head's cap. */
    private EdgeSettings edge = EdgeSettings.defaults();
    private Forwarded forwarded = new Forwarded(TrustedProxies.NONE);

    /** Where a val found (and its access checked) before the body was read is kept for the run. */
    private static final String ADMITTED = "valence.admittedVal";
    /** Set on a request by host name whose val was admitted: its body is read next. */
    static final String HOST_VAL = "valence.hostVal";

    ValRoute(ValDirectory directory, ValRunner runner, Authenticator auth, WorkerExecutor jsWorkers, Optional<String> valsDomain,
             Fallback fallback, RateLimits limits, Val.ErrorDetail publicErrors) {
        this.limits = limits;
        this.fallback = fallback;
        this.publicErrors = publicErrors;
        this.directory = directory;
        this.runner = runner;
        this.auth = auth;
        this.jsWorkers = jsWorkers;
        this.valsDomain = valsDomain.map(d -> "." + d.toLowerCase());
    }

    void edge(EdgeSettings settings) {
        this.edge = settings;
        this.forwarded = new Forwarded(settings.trustedProxies());
    }

    /** Before a path request's body is read: its val exists, answers HTTP and lets this caller in. */
    void admitByPath(RoutingContext ctx) {
        String owner = ctx.pathParam("owner");
        String name = ctx.pathParam("val");
        if (!Names.isValidName(owner) || !Names.isValidName(name)) {
            ctx.next(); // byPath answers the 404
            return;
        }
        admit(ctx, List.of(new ValName(owner, name)));
    }

    /** Before a host request's body is read: the schema check, then as {@link #admitByPath}; other hosts pass on. */
    void admitByHost(RoutingContext ctx) {
        Optional<ValName> val = hostVal(ctx);
        if (val.isEmpty()) {
            ctx.next();
            return;
        }
        if (fallback.answerIfIncompatible(ctx)) return;
        ctx.put(HOST_VAL, true);
        admit(ctx, List.of(val.get()));
    }

    /**
     * A request with a body waits, paused, while its val is found and the caller's access checked on
     * the JS workers; a refusal (404, 401, 403) is answered without reading the body. Requests without
     * a body go straight on: the run does the same checks in the same task.
     */
    private void admit(RoutingContext ctx, List<ValName> candidates) {
        if (!Uploads.hasBody(ctx.request())) {
            ctx.next();
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        ctx.request().pause();
        jsWorkers.<ValStore.Deployed>executeBlocking(() -> admitted(candidates, authorization), false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
            } else {
                ctx.put(ADMITTED, done.result());
                ctx.next();
            }
        });
    }

    /** {@code /v/{owner}/{val}/rest}: the val sees {@code /rest} and the query, unchanged. */
    void byPath(RoutingContext ctx) {
        String owner = ctx.pathParam("owner");
        String name = ctx.pathParam("val");
        if (!Names.isValidName(owner) || !Names.isValidName(name)) {
            ctx.fail(ApiError.notFound("No val named " + owner + "/" + name + "."));
            return;
        }
        String path = ctx.request().path();
        String mount = "/" + owner + "/" + name; // after /v (or the benchmark's unguarded mount)
        String prefix = path.substring(0, path.indexOf(mount) + mount.length());
        String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "/";
        serve(ctx, List.of(new ValName(owner, name)), rest, prefix);
    }

    /** Whether the request's host is a val's own host name ({@code owner--val.VALS_DOMAIN}). */
    boolean isHostRequest(RoutingContext ctx) {
        return hostVal(ctx).isPresent();
    }

    /**
     * The val a host name names: a label under {@code VALS_DOMAIN} split at its one {@code --}. Other
     * labels ({@code www.}, {@code api.}) are not vals' and reach the rest of the route table.
     */
    private Optional<ValName> hostVal(RoutingContext ctx) {
        if (valsDomain.isEmpty() || ctx.request().authority() == null) return Optional.empty();
        String host = ctx.request().authority().host().toLowerCase();
        if (!host.endsWith(valsDomain.get())) return Optional.empty();
        String label = host.substring(0, host.length() - valsDomain.get().length());
        return Names.parseHostLabel(label).map(names -> new ValName(names[0], names[1]));
    }

    /** Whether this request is for a val by host name ({@code owner--val.VALS_DOMAIN}); serves it if so. */
    boolean byHost(RoutingContext ctx) {
        Optional<ValName> val = hostVal(ctx);
        if (val.isEmpty()) return false;
        if (fallback.answerIfIncompatible(ctx)) return true;
        serve(ctx, List.of(val.get()), ctx.request().path(), "");
        return true;
    }

    private record ValName(String owner, String name) {}

    private void serve(RoutingContext ctx, List<ValName> candidates, String rest, String prefix) {
        if (limits.refusedVal(ctx, candidates.getFirst().owner(), candidates.getFirst().name())) return;
        HttpServerRequest request = ctx.request();
        String query = request.query();
        Forwarded.View seen = forwarded.of(request);
        String url = seen.scheme() + "://" + seen.host() + rest + (query == null ? "" : "?" + query);
        var headers = new ArrayList<Header>(request.headers().size() + 4);
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase();
            String value = header.getValue();
            // the platform's credentials stay with the platform; the access check below reads them first
            if (name.equals("authorization") && PlatformCredentials.isValenceToken(value)) continue;
            if (name.equals("cookie") && (value = PlatformCredentials.withoutValenceCookies(value)) == null) continue;
            if (Forwarded.HEADERS.contains(name)) continue;
            headers.add(new Header(name, value));
        }
        // each forwarding header once, as Valence decided it (see Forwarded)
        if (seen.clientAddress() != null) headers.add(new Header("x-forwarded-for", seen.clientAddress()));
        headers.add(new Header("x-forwarded-proto", seen.scheme()));
        headers.add(new Header("x-forwarded-host", seen.host()));
        String fullPrefix = seen.prefix() + prefix;
        if (!fullPrefix.isEmpty()) headers.add(new Header("x-forwarded-prefix", fullPrefix));
        Buffer body = ctx.get(RawBody.KEY);
        if (body == null) body = ctx.body().buffer();
        var call = new ValRunner.HttpCall(request.method().name(), url, headers,
                body == null || body.length() == 0 ? null : body.getBytes());
        String authorization = request.getHeader("Authorization");
        var sink = new ValAnswers.StreamingSink(ctx, edge.maxResponseHeaderBytes(),
                candidates.getFirst().owner() + "/" + candidates.getFirst().name());
        ValStore.Deployed admitted = ctx.get(ADMITTED);

        Callable<Served> work = () -> run(admitted != null ? admitted : admitted(candidates, authorization), call, sink, authorization);
        jsWorkers.executeBlocking(work, false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
            } else if (done.result().invocation().schemaFailure() != null && !(done.result().invocation().body() instanceof Body.Streamed)) {
                // a host function met a schema-class error: answered as the API answers one, whatever the val said
                ctx.fail(done.result().invocation().schemaFailure().error());
            } else {
                Served served = done.result();
                ValAnswers.write(ctx, served.val(), served.invocation(), served.errorDetails(), edge.maxResponseHeaderBytes());
            }
        });
    }

    /** @param errorDetails whether a failure's answer shows the val's own message and stack */
    private record Served(Val val, Invocation invocation, boolean errorDetails) {}

    private Served run(ValStore.Deployed deployed, ValRunner.HttpCall call, ResponseSink sink, String authorization) {
        Invocation invocation = runner.runHttp(deployed.val(), deployed.code(), call, sink);
        return new Served(deployed.val(), invocation, !invocation.succeeded() && showsErrorDetails(deployed.val(), authorization));
    }

    /** The val the candidates name, if it answers HTTP and lets this caller in; else the ApiError to answer. */
    private ValStore.Deployed admitted(List<ValName> candidates, String authorization) {
        ValStore.Deployed deployed = candidates.stream()
                .flatMap(c -> directory.find(c.owner(), c.name()).stream())
                .findFirst()
                .orElseThrow(() -> ApiError.notFound("No val named " + candidates.getFirst().owner() + "/" + candidates.getFirst().name() + "."));
        Val val = deployed.val();
        if (val.type() != Val.Type.HTTP) {
            throw new ApiError(404, "not_an_http_val", val.fullName() + " is a " + val.type().wire()
                    + " val; only http vals answer web requests.");
        }
        if (val.privacy() == Val.Privacy.PRIVATE) {
            User user = auth.optional(authorization).orElseThrow(() -> ApiError.unauthorized(
                    val.fullName() + " is private: send its owner's token as 'Authorization: Bearer <token>'."));
            if (user.id() != val.ownerId()) {
                throw ApiError.forbidden(val.fullName() + " is private to " + val.owner() + ".");
            }
        }
        return deployed;
    }

    /**
     * The val's own error message and stack go to its owner (calling with their token) and, when the val
     * or else the operator says {@code full}, to anyone; the others get the code and the run id.
     */
    private boolean showsErrorDetails(Val val, String authorization) {
        Val.ErrorDetail detail = val.publicErrors() != null ? val.publicErrors() : publicErrors;
        if (detail == Val.ErrorDetail.FULL) return true;
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return false; // a val's own scheme
        try {
            return auth.optional(authorization).map(user -> user.id() == val.ownerId()).orElse(false);
        } catch (RuntimeException notTheOwner) { // a token of no one (or none to be checked now): a stranger
            return false;
        }
    }

}
