package dev.valence.runtime.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection on a plain socket: the tests need what a real client library will not do
 * (announce a body and send only part of it, stall in the middle of the headers).
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket("localhost", port);
        socket.setSoTimeout(10_000);
    }

    /** Sends the request head; {@code headers} are whole lines without the line break. */
    RawHttp head(String method, String path, String... headers) throws IOException {
        var head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) head.append(header).append("\r\n");
        head.append("\r\n");
        return write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Sends {@code count} bytes of 'a', in 64 KiB writes. */
    RawHttp body(long count) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        for (long sent = 0; sent < count; sent += chunk.length) {
            socket.getOutputStream().write(chunk, 0, (int) Math.min(chunk.length, count - sent));
        }
        socket.getOutputStream().flush();
        return this;
    }

    /** Whatever the server sends until it closes the connection or {@code timeoutMs} pass without a byte. */
    String read(int timeoutMs) throws IOException {
        return new String(readBytes(timeoutMs), StandardCharsets.UTF_8);
    }

    /** Like {@link #read}, as the bytes came. */
    byte[] readBytes(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        var out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                if (complete(out.toString(StandardCharsets.ISO_8859_1))) break;
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived so far is the answer
        }
        return out.toByteArray();
    }

    /** Whether the server closed the connection within {@code timeoutMs} (without sending anything more). */
    boolean closedWithin(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            while (socket.getInputStream().read() >= 0) {
                // drain whatever comes before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the server
        }
    }

    /** A response with a Content-Length whose body has fully arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return false;
        var matcher = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, end));
        if (!matcher.find()) return false;
        return text.length() - end - 4 >= Integer.parseInt(matcher.group(1));
    }

    static int status(String response) {
        if (!response.startsWith("HTTP/1.1 ")) return -1;
        return Integer.parseInt(response.substring(9, 12));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
