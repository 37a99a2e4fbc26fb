package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.valence.foundation.testing.Eventually.eventually;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMTP listener on a real runtime, spoken to by real SMTP clients: Angus Mail's SMTP transport
 * (what a Java mail server's relay does) and a raw socket conversation for the exact reply lines.
 */
class SmtpListenerTest {
    static final int LIMIT = 64 * 1024;
    static final String DOMAIN = "mail.valence.test";

    static TestPlatform platform;
    static String admin;
    static int smtpPort;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("smtp_listener", Map.of("SMTP_PORT", "0", "MAIL_DOMAIN", DOMAIN,
                "EMAIL_MAX_BYTES", String.valueOf(LIMIT)));
        admin = platform.adminToken;
        smtpPort = platform.valence.smtpPort().orElseThrow();
        // private: anyone may still mail it, as anyone may mail a Val Town email val
        platform.createVal(admin, new JsonObject().put("name", "inbox").put("type", "email").put("privacy", "private")
                .put("code", EmailInboundTest.INBOX));
        platform.createVal(admin, new JsonObject().put("name", "site").put("type", "http").put("code", "export default () => new Response('hi')"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static Session session() {
        var properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", String.valueOf(smtpPort));
        properties.setProperty("mail.smtp.localhost", "sender.example.com");
        return Session.getInstance(properties);
    }

    static JsonArray runs() {
        var reply = platform.get("/api/v1/vals/admin/inbox/runs?trigger=email", admin);
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("data");
    }

    /** The logged message of the newest email run once there are {@code count}. */
    static JsonObject newestSeen(int count) throws InterruptedException {
        eventually(count + " email runs", 10_000, () -> runs().size() >= count);
        var run = runs().getJsonObject(0);
        assertEquals("success", run.getString("outcome"), run.encode());
        return new JsonObject(run.getString("logs").substring("[log] ".length()));
    }

    @Test
    void mail_sent_with_angus_mail_runs_the_private_email_val_with_its_attachment() throws Exception {
        int before = runs().size();
        MimeMessage message = new KeepsMessageId();
        message.setFrom(new InternetAddress("ann@example.com", "Ann Example"));
        message.setRecipients(Message.RecipientType.TO, "admin.inbox@" + DOMAIN);
        message.setSubject("Über SMTP", "UTF-8");
        message.setHeader("Message-ID", "<smtp-1@example.com>");
        var text = new MimeBodyPart();
        text.setText("Hallo über SMTP", "UTF-8");
        var file = new MimeBodyPart();
        file.setContent("a,b\n1,2\n", "text/csv; charset=UTF-8");
        file.setFileName("data.csv");
        file.setDisposition(MimeBodyPart.ATTACHMENT);
        message.setContent(new MimeMultipart(text, file));
        Transport.send(message);

        var seen = newestSeen(before + 1);
        assertEquals("Ann Example <ann@example.com>", seen.getString("from"));
        assertEquals(new JsonArray().add("admin.inbox@" + DOMAIN), seen.getJsonArray("to"));
        assertEquals("Über SMTP", seen.getString("subject"));
        assertEquals("Hallo über SMTP", seen.getString("text"));
        assertEquals("<smtp-1@example.com>", seen.getString("messageId"));
        var files = seen.getJsonArray("files");
        assertEquals(1, files.size());
        assertEquals("data.csv", files.getJsonObject(0).getString("name"));
        assertEquals("text/csv", files.getJsonObject(0).getString("type"));
        assertEquals("a,b\r\n1,2\r\n", files.getJsonObject(0).getString("text"));
    }

    @Test
    void the_subdomain_form_reaches_the_same_val_for_names_too_long_for_a_local_part() throws Exception {
        int before = runs().size();
        MimeMessage message = new MimeMessage(session());
        message.setFrom("bob@example.com");
        message.setRecipients(Message.RecipientType.TO, "INBOX@Admin." + DOMAIN.toUpperCase());
        message.setSubject("by subdomain");
        message.setText("hi");
        Transport.send(message);
        assertEquals("by subdomain", newestSeen(before + 1).getString("subject"));
    }

    @Test
    void the_same_message_id_delivered_twice_runs_the_val_once() throws Exception {
        int before = runs().size();
        for (int i = 0; i < 2; i++) {
            MimeMessage message = new KeepsMessageId();
            message.setFrom("retry@example.com");
            message.setRecipients(Message.RecipientType.TO, "admin.inbox@" + DOMAIN);
            message.setSubject("retried");
            message.setHeader("Message-ID", "<retried-once@example.com>");
            message.setText("once");
            Transport.send(message);
        }
        newestSeen(before + 1);
        Thread.sleep(300); // a second run would be recorded by now
        assertEquals(before + 1, runs().size());
    }

    @Test
    void unknown_recipients_are_refused_at_rcpt_with_550_and_a_sentence() throws Exception {
        try (var smtp = new RawSmtp(smtpPort)) {
            assertTrue(smtp.reply().startsWith("220 "));
            List<String> ehlo = smtp.command("EHLO sender.example.com");
            assertTrue(ehlo.contains("250-SIZE " + LIMIT) || ehlo.contains("250 SIZE " + LIMIT), ehlo.toString());
            assertEquals(List.of("250 Ok"), smtp.command("MAIL FROM:<x@example.com>"));
            assertEquals(List.of("550 5.1.1 <nobody.here@" + DOMAIN + ">: there is no val nobody/here."),
                    smtp.command("RCPT TO:<nobody.here@" + DOMAIN + ">"));
            assertEquals(List.of("550 5.1.1 <admin.inbox@elsewhere.example>: no such mailbox here; a val's address is"
                    + " {owner}.{val}@ or {val}@{owner}. followed by this server's mail domain."),
                    smtp.command("RCPT TO:<admin.inbox@elsewhere.example>"));
            assertEquals(List.of("550 5.1.1 <admin.site@" + DOMAIN + ">: admin/site is a http val; only email vals receive mail."),
                    smtp.command("RCPT TO:<admin.site@" + DOMAIN + ">"));
            assertEquals(List.of("250 Ok"), smtp.command("RCPT TO:<admin.inbox@" + DOMAIN + ">"));
        }
    }

    @Test
    void a_message_over_email_max_bytes_is_refused_with_552_at_mail_from_or_after_data() throws Exception {
        int before = runs().size();
        try (var smtp = new RawSmtp(smtpPort)) {
            smtp.reply();
            smtp.command("EHLO sender.example.com");
            assertEquals(List.of("552 5.3.4 Message size exceeds fixed limit"), smtp.command("MAIL FROM:<x@example.com> SIZE=" + (LIMIT + 1)));
            assertEquals(List.of("250 Ok"), smtp.command("MAIL FROM:<x@example.com>"));
            assertEquals(List.of("250 Ok"), smtp.command("RCPT TO:<admin.inbox@" + DOMAIN + ">"));
            assertEquals(List.of("354 End data with <CR><LF>.<CR><LF>"), smtp.command("DATA"));
            smtp.write("From: x@example.com\r\nSubject: big\r\n\r\n" + ("0123456789abcdef".repeat(8) + "\r\n").repeat(LIMIT / 128 + 10));
            assertEquals(List.of("552 5.3.4 A message may be at most " + LIMIT + " bytes here (EMAIL_MAX_BYTES)."), smtp.command("."));
            // the session goes on: the rest of the message was not taken for commands
            assertEquals(List.of("250 Ok"), smtp.command("NOOP"));
        }
        Thread.sleep(200);
        assertEquals(before, runs().size());
    }

    @Test
    void during_a_schema_mismatch_rcpt_answers_451_so_the_sender_retries_and_then_it_is_delivered() throws Exception {
        var flips = new SchemaFlips(platform.databaseUrl);
        int before = runs().size();
        flips.applyTestContractMigration();
        try {
            eventually("the runtime sees the mismatch", 10_000, () -> !platform.valence.guard().current().compatible());
            try (var smtp = new RawSmtp(smtpPort)) {
                smtp.reply();
                smtp.command("HELO sender.example.com");
                smtp.command("MAIL FROM:<x@example.com>");
                assertEquals(List.of("451 4.3.0 Mail for vals is paused (the database schema is changing); try again later."),
                        smtp.command("RCPT TO:<admin.inbox@" + DOMAIN + ">"));
            }
            MimeMessage message = new MimeMessage(session());
            message.setFrom("later@example.com");
            message.setRecipients(Message.RecipientType.TO, "admin.inbox@" + DOMAIN);
            message.setSubject("after the mismatch");
            message.setText("retried");
            try {
                Transport.send(message);
                throw new AssertionError("the send should have been refused for now");
            } catch (SendFailedException e) {
                var failure = (SMTPAddressFailedException) e.getNextException();
                assertEquals(451, failure.getReturnCode(), "a temporary failure, so a real sender retries");
            }
        } finally {
            flips.removeContractRow(900);
        }
        eventually("the runtime is compatible again", 10_000, () -> platform.valence.guard().current().compatible());
        MimeMessage retry = new MimeMessage(session());
        retry.setFrom("later@example.com");
        retry.setRecipients(Message.RecipientType.TO, "admin.inbox@" + DOMAIN);
        retry.setSubject("after the mismatch");
        retry.setText("retried");
        Transport.send(retry);
        assertEquals("after the mismatch", newestSeen(before + 1).getString("subject"));
    }

    /** Angus Mail writes a fresh Message-ID when sending; a relay passes the original on, as this does. */
    static final class KeepsMessageId extends MimeMessage {
        KeepsMessageId() {
            super(session());
        }

        @Override
        protected void updateMessageID() {}
    }

    /** A plain SMTP conversation over a socket: each command's reply lines, exactly as sent. */
    static final class RawSmtp implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        RawSmtp(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        String reply() throws Exception {
            return in.readLine();
        }

        void write(String text) throws Exception {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        List<String> command(String line) throws Exception {
            write(line + "\r\n");
            var lines = new ArrayList<String>();
            String reply;
            do {
                reply = in.readLine();
                lines.add(reply);
            } while (reply != null && reply.length() > 3 && reply.charAt(3) == '-');
            return lines;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
