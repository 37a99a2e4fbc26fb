package dev.valence.foundation.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** A port for a process a test starts and must tell its port in advance (a runtime, a proxy, PostgreSQL). */
public final class Ports {
    private Ports() {}

    /**
     * A port free on this machine a moment ago (the operating system's pick for port 0). Another process may
     * take it before the test's process binds it: rare, since the pick is spread over the ephemeral range, and
     * loud (that process cannot bind and says so), never silent.
     */
    public static int free() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
