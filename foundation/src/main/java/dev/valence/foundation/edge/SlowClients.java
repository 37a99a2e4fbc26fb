package dev.valence.foundation.edge;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What every port Valence listens on does about clients that are slow on purpose: a connection silent in
 * both directions for the idle timeout is closed, one that has not sent its first request's whole head
 * within the header timeout too (a client dribbling its headers holds no connection for long), and the
 * port speaks HTTP/1.1 only: with cleartext HTTP/2 on, a connection is not handed over (nor its header
 * deadline started) until its first bytes tell the protocol, which a dribbling client never does.
 * Bodies are the routes' business: each reads its own within {@link HttpTimeouts#bodyMs()}.
 */
public final class SlowClients {
    private final Vertx vertx;
    private final HttpTimeouts timeouts;
    private final Map<HttpConnection, Long> headerDeadlines = new ConcurrentHashMap<>();

    public SlowClients(Vertx vertx, HttpTimeouts timeouts) {
        this.vertx = vertx;
        this.timeouts = timeouts;
    }

    /** {@code options} with the idle timeout set and cleartext HTTP/2 off. */
    public HttpServerOptions apply(HttpServerOptions options) {
        return options.setIdleTimeout(timeouts.idleSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS).setHttp2ClearTextEnabled(false);
    }

    /** The server's connection handler: starts the connection's header deadline. */
    public void connected(HttpConnection connection) {
        long timer = vertx.setTimer(timeouts.headerMs(), id -> {
            if (headerDeadlines.remove(connection) != null) connection.close();
        });
        headerDeadlines.put(connection, timer);
        connection.closeHandler(v -> {
            Long pending = headerDeadlines.remove(connection);
            if (pending != null) vertx.cancelTimer(pending);
        });
    }

    /** Called with every request before it is handled: its connection has sent a whole head in time. */
    public void headed(HttpServerRequest request) {
        Long deadline = headerDeadlines.remove(request.connection());
        if (deadline != null) vertx.cancelTimer(deadline);
    }
}
