package dev.valence.runtime.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * What authoring gained beyond {@link AuthorApi}: the blob and search API routes, the web editor's
 * page and sign-in, and the bridge that lets the editor's session stand in for a token. Mounted into
 * {@link RuntimeServer}'s one route table at the places marked there.
 */
final class AuthoringRoutes {
    /** How the route table registers an API route (authentication and the store run on the database workers). */
    interface ApiTable {
        void add(HttpMethod method, String path, Function<RoutingContext, Reply> handler);
    }

    private final BlobApi blobs;
    private final SearchApi search;
    private final EditorSessions sessions;
    private final EditorPage page;

    AuthoringRoutes(BlobApi blobs, SearchApi search, EditorSessions sessions, EditorPage page) {
        this.blobs = blobs;
        this.search = search;
        this.sessions = sessions;
        this.page = page;
    }

    /** Before any /api route: the editor's cookie, checked, becomes the request's credential. */
    void sessionBridge(RoutingContext ctx) {
        sessions.bridge(ctx);
    }

    void api(ApiTable table) {
        table.add(HttpMethod.GET, BlobApi.PATH, blobs::list);
        table.add(HttpMethod.GET, BlobApi.PATH + "/*", blobs::read);
        table.add(HttpMethod.DELETE, BlobApi.PATH + "/*", blobs::delete);
        table.add(HttpMethod.GET, "/api/v1/search", search::search);
    }

    void pages(Router router, Handler<RoutingContext> jsonBodies) {
        page.mount(router, sessions, jsonBodies);
    }
}
