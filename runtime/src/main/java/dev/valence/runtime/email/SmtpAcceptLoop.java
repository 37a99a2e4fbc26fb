package dev.valence.runtime.email;

import dev.valence.runtime.lifecycle.Supervised;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A SubEthaSMTP server kept accepting connections. Its accept loop runs on a thread the library
 * owns, and an Error there (a stack overflow, an OutOfMemoryError when a session's thread cannot be
 * made) or an exception it did not expect ends that thread for good: the port stays bound, and a
 * sender connects and waits for a greeting that never comes. The library's server cannot be started
 * twice, so this knows the accepting thread (it hands the library the server socket, and that thread
 * calls its {@code accept()}), and a restart opens a new server on the same port; sessions under way
 * on the old one finish.
 */
final class SmtpAcceptLoop implements Supervised, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpAcceptLoop.class);

    /** One server and what this knows of its accept loop. */
    private static final class Generation {
        final SMTPServer server;
        /** The server socket the library accepts on (null until it made it). */
        volatile ServerSocket socket;
        /** The library's accepting thread, known once it first called accept(). */
        volatile Thread acceptor;

        Generation(IntFunction<SMTPServer.Builder> configured, int port) {
            this.server = configured.apply(port).serverSocketFactory(() -> {
                var created = new ServerSocket() {
                    @Override
                    public Socket accept() throws IOException {
                        acceptor = Thread.currentThread();
                        return super.accept();
                    }
                };
                created.setReuseAddress(true); // a restart binds the port its predecessor held a moment ago
                socket = created;
                return created;
            }).build();
        }

        boolean accepting() {
            Thread thread = acceptor;
            return thread == null || thread.isAlive(); // null: its thread has not reached accept() yet
        }
    }

    private final IntFunction<SMTPServer.Builder> configured;
    private volatile Generation current;
    private volatile boolean closed;

    /**
     * Starts a server made by {@code configured} (a builder for the given port, without a server socket
     * factory: this supplies it) on {@code port}, 0 for any free one; it throws as {@link SMTPServer#start} does.
     */
    SmtpAcceptLoop(IntFunction<SMTPServer.Builder> configured, int port) {
        this.configured = configured;
        this.current = open(port);
    }

    private Generation open(int port) {
        var generation = new Generation(configured, port);
        generation.server.start();
        return generation;
    }

    /** The port bound (the same after a restart). */
    int port() {
        return current.server.getPortAllocated();
    }

    @Override
    public boolean loopAlive() {
        return closed || current.accepting();
    }

    @Override
    public synchronized void restartLoop() {
        if (loopAlive()) return;
        Generation dead = current;
        int port = dead.server.getPortAllocated();
        log.error("The SMTP listener on port {} stopped accepting connections (its thread ended); starting a new one on the same port", port);
        closeQuietly(dead.socket); // frees the port at once; its sessions still run
        current = open(port); // a failure leaves the dead one current: the supervisor tries again later
        // the library's stop waits for every session to end: off the supervisor's thread
        Thread.ofPlatform().daemon().name("valence-smtp-retire").start(dead.server::stop);
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Closing a dead SMTP server socket failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        current.server.stop();
    }
}
