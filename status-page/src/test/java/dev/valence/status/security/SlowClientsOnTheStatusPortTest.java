package dev.valence.status.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.edge.HttpTimeouts;
import dev.valence.foundation.outbound.AllowList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The status page must outlive whatever breaks the runtime, so its own port gets the same deadlines as
 * the runtime's: a client that dribbles its head, stalls its body or sits idle does not hold a
 * connection (before, each held one for as long as it liked).
 */
class SlowClientsOnTheStatusPortTest {
    private static RunningStatusPage page;

    @BeforeAll
    static void start() throws Exception {
        page = new RunningStatusPage(AllowList.NONE, new HttpTimeouts(2, 700, 700));
    }

    @AfterAll
    static void stop() throws Exception {
        page.close();
    }

    @Test
    void a_connection_that_never_finishes_its_head_is_closed_after_the_header_timeout() throws Exception {
        try (var socket = new Socket("127.0.0.1", page.port)) {
            socket.getOutputStream().write("GET /api/v2/status.json HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            assertTrue(closedWithin(socket, 5_000), "the server closed the connection");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 500 && ms < 4_000, "closed after " + ms + " ms (header timeout 700 ms)");
        }
    }

    @Test
    void a_write_whose_body_stops_arriving_is_answered_408_and_closed() throws Exception {
        try (var socket = new Socket("127.0.0.1", page.port)) {
            socket.getOutputStream().write(("POST /api/v2/incidents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + page.teamToken
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":").getBytes(StandardCharsets.ISO_8859_1));
            String answer = readUntilClosed(socket, 5_000);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("\"code\":\"request_timeout\""), answer);
            assertTrue(answer.contains("The request body did not arrive within 700 ms (HTTP_BODY_TIMEOUT_MS); send it faster."), answer);
        }
    }

    @Test
    void an_idle_keep_alive_connection_is_closed_after_the_idle_timeout_and_a_prompt_one_is_served() throws Exception {
        try (var socket = new Socket("127.0.0.1", page.port)) {
            socket.getOutputStream().write("GET /api/v2/status.json HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String first = readSome(socket, 5_000);
            assertTrue(first.startsWith("HTTP/1.1 200 ") || first.startsWith("HTTP/1.1 503 "), first); // 503 until the first snapshot
            long start = System.nanoTime();
            assertTrue(closedWithin(socket, 6_000), "the idle connection was closed");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 1_000, "closed after " + ms + " ms (idle timeout 2 s)");
        }
    }

    private static boolean closedWithin(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            while (socket.getInputStream().read() >= 0) {
                // whatever comes before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private static String readUntilClosed(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        var out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what came is the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String readSome(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        byte[] buffer = new byte[16384];
        int n = socket.getInputStream().read(buffer);
        return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
    }
}
