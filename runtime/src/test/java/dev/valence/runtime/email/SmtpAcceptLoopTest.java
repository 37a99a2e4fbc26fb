package dev.valence.runtime.email;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP listener's accept loop runs on a thread SubEthaSMTP owns, and an Error on it (here thrown
 * where the server hands a new connection to a session thread, as an OutOfMemoryError does when no
 * thread can be made) ends it for good while the port stays bound. The supervisor sees the thread
 * gone, and a restart serves the same port again: a real SMTP client's message is accepted.
 */
class SmtpAcceptLoopTest {
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    /** A message handler that keeps each message's text. */
    private final MessageHandlerFactory inbox = context -> new MessageHandler() {
        @Override
        public void from(String from) {}

        @Override
        public void recipient(String recipient) {}

        @Override
        public String data(InputStream data) throws IOException {
            received.add(new String(data.readAllBytes(), StandardCharsets.UTF_8));
            return null;
        }

        @Override
        public void done() {}
    };

    /** Session threads, except that handing over the next connection throws an Error while {@link #failing} is set. */
    private ExecutorService sessions() {
        return new ThreadPoolExecutor(0, 64, 60, TimeUnit.SECONDS, new SynchronousQueue<>()) {
            @Override
            public void execute(Runnable session) {
                if (failing.getAndSet(false)) throw new StackOverflowError("thrown by the test"); // an Error, not an exception
                super.execute(session);
            }
        };
    }

    @Test
    void an_error_that_ends_the_accept_thread_is_seen_and_the_restarted_listener_accepts_a_message_on_the_same_port() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (var loop = new SmtpAcceptLoop(port -> SMTPServer.port(port).bindAddress(loopback).hostName("mail.valence.test")
                .messageHandlerFactory(inbox).executorService(sessions()), 0)) {
            int port = loop.port();
            send(port, "before");
            eventually("the first message", 30_000, () -> received.size() == 1);

            failing.set(true);
            try (var doomed = new Socket(loopback, port)) { // its hand-over to a session thread throws
                eventually("the Error ended the accept thread", 30_000, () -> !loop.loopAlive());
            }

            loop.restartLoop();
            assertTrue(loop.loopAlive(), "the listener accepts again");
            assertEquals(port, loop.port(), "on the same port");
            send(port, "after the restart");
            eventually("the message sent after the restart", 30_000, () -> received.size() == 2);
            assertTrue(received.get(1).contains("Subject: after the restart"), received.get(1));
        }
    }

    private static void send(int port, String subject) throws Exception {
        var properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", String.valueOf(port));
        properties.setProperty("mail.smtp.connectiontimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "10000");
        var message = new MimeMessage(Session.getInstance(properties));
        message.setFrom("ann@example.com");
        message.setRecipients(Message.RecipientType.TO, "admin.inbox@mail.valence.test");
        message.setSubject(subject);
        message.setText("hello");
        Transport.send(message);
    }
}
