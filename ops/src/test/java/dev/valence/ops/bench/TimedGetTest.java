package dev.valence.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The cold-start timer's HTTP client against a real HTTP server: lengths, chunks, keep-alive. */
class TimedGetTest {
    @Test
    void reads_sized_and_chunked_bodies_and_keeps_one_connection() throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Set<String> clients = ConcurrentHashMap.newKeySet();
        server.createContext("/", exchange -> {
            clients.add(exchange.getRemoteAddress().toString());
            byte[] body = ("answer to " + exchange.getRequestURI().getPath()).repeat(
                    exchange.getRequestURI().getPath().equals("/big") ? 2000 : 1).getBytes(StandardCharsets.UTF_8);
            boolean chunked = exchange.getRequestURI().getPath().startsWith("/chunked");
            exchange.sendResponseHeaders(chunked ? 404 : 200, chunked ? 0 : body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body, 0, body.length / 2);
                out.flush();
                out.write(body, body.length / 2, body.length - body.length / 2);
            }
        });
        server.start();
        try (var timed = new TimedGet("http://127.0.0.1:" + server.getAddress().getPort())) {
            assertEquals(new TimedGet.Response(200, "answer to /a"), timed.get("/a"));
            assertEquals(new TimedGet.Response(404, "answer to /chunked"), timed.get("/chunked"));
            assertEquals(new TimedGet.Response(200, "answer to /big".repeat(2000)), timed.get("/big"));
            assertEquals(new TimedGet.Response(200, "answer to /b"), timed.get("/b"));
            assertEquals(1, clients.size(), "one keep-alive connection: " + clients);
        } finally {
            server.stop(0);
        }
    }
}
