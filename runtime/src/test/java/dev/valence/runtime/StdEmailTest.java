package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import dev.valence.runtime.email.EmailSettings;
import dev.valence.runtime.email.Outbox;
import dev.valence.runtime.email.SmtpUrl;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** std/email on a real runtime, sending through a real SMTP server (GreenMail) with authentication. */
class StdEmailTest {
    static final String DOMAIN = "valence.test";

    static GreenMail smtp;
    static TestPlatform platform;
    static String admin;

    static GreenMail startSmtp() {
        var server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        server.setUser("relay@" + DOMAIN, "relay", "s3cret/pass");
        return server;
    }

    static Map<String, String> settings(GreenMail server, String... more) {
        var settings = new java.util.HashMap<>(Map.of("SMTP_URL", "smtp://relay:s3cret%2Fpass@127.0.0.1:" + server.getSmtp().getPort(),
                "MAIL_DOMAIN", DOMAIN, "EMAIL_SENDS_PER_MINUTE", "3",
                // a 15 MiB attachment received and sent again allocates more than the default 256 MB budget (see the README)
                "VAL_TIMEOUT_MS", "30000", "VAL_MEMORY_LIMIT_MB", "1024"));
        for (int i = 0; i < more.length; i += 2) settings.put(more[i], more[i + 1]);
        return settings;
    }

    @BeforeAll
    static void start() {
        smtp = startSmtp();
        platform = TestPlatform.start("std_email", settings(smtp));
        admin = platform.adminToken;
        var me = platform.send("PATCH", "/api/v1/me", admin, "{\"email\": \"Admin@Example.com\"}", Map.of("Content-Type", "application/json"));
        assertEquals(200, me.status(), me.body());
    }

    @AfterAll
    static void stop() {
        platform.close();
        smtp.stop();
    }

    @BeforeEach
    void emptyMailbox() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    /** Creates a script val and runs it; the run's JSON (result, error, logs). */
    static JsonObject run(TestPlatform platform, String token, String owner, String name, String code) {
        platform.createVal(token, new JsonObject().put("name", name).put("type", "script").put("code", code));
        var reply = platform.post("/api/v1/vals/" + owner + "/" + name + "/run", token, "{}");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    /** The val's error sentence, without the "Error: " the run record puts before an Error's message. */
    static String error(JsonObject run) {
        assertEquals("error", run.getString("outcome"), run.encode());
        String message = run.getJsonObject("error").getString("message");
        assertTrue(message.startsWith("Error: "), message);
        return message.substring("Error: ".length());
    }

    static List<String> strings(Address[] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(Address::toString).toList();
    }

    @Test
    void a_user_sets_their_own_address_and_a_bad_one_is_refused() {
        var me = platform.get("/api/v1/me", admin);
        assertEquals("Admin@Example.com", me.json().getString("email"));
        var bad = platform.send("PATCH", "/api/v1/me", admin, "{\"email\": \"Ann <ann@example.com>\"}", Map.of("Content-Type", "application/json"));
        assertEquals(400, bad.status());
        assertEquals("'email' must be one address such as ann@example.com (at most 254 characters, no display name), got 'Ann <ann@example.com>'.",
                bad.json().getJsonObject("error").getString("message"));
        var other = platform.send("PATCH", "/api/v1/me", admin, "{\"role\": \"admin\"}", Map.of("Content-Type", "application/json"));
        assertEquals("'role' cannot be changed here; PATCH /api/v1/me takes 'email'.", other.json().getJsonObject("error").getString("message"));
        var created = platform.post("/api/v1/users", admin, "{\"name\": \"dora\", \"email\": \"dora@example.com\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("dora@example.com", created.json().getJsonObject("user").getString("email"));
        assertEquals(400, platform.post("/api/v1/users", admin, "{\"name\": \"eve\", \"email\": \"not an address\"}").status());
    }

    @Test
    void a_val_mails_its_owner_with_text_html_and_attachments_as_base64_bytes_and_files() throws Exception {
        var run = run(platform, admin, "admin", "mailer", """
                import { email } from "https://esm.town/v/std/email";
                export default async function () {
                  const file = new File(["a,b\\n1,2\\n"], "data.csv", { type: "text/csv" });
                  return await email({
                    subject: "Weekly report ✓",
                    text: "Plain body",
                    html: "<p>HTML body</p>",
                    replyTo: { email: "replies@example.com", name: "Replies" },
                    from: { name: "Report bot" },
                    attachments: [
                      { filename: "hello.txt", content: btoa("hello"), type: "text/plain" },
                      { filename: "bytes.bin", content: new Uint8Array([0, 1, 2, 255]) },
                      file,
                    ],
                  });
                }""");
        assertEquals("success", run.getString("outcome"), run.encode());
        JsonObject result = run.getJsonObject("result");
        assertEquals(new JsonArray().add("Admin@Example.com"), result.getJsonArray("to"));
        assertTrue(result.getString("messageId").endsWith("@" + DOMAIN + ">"), result.encode());

        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(1, received.length);
        MimeMessage mail = received[0];
        assertEquals(List.of("Report bot <admin.mailer@" + DOMAIN + ">"), strings(mail.getFrom()));
        assertEquals(List.of("Admin@Example.com"), strings(mail.getRecipients(Message.RecipientType.TO)));
        assertEquals(List.of("Replies <replies@example.com>"), strings(mail.getReplyTo()));
        assertEquals("Weekly report ✓", mail.getSubject());
        assertEquals("admin/mailer", mail.getHeader("X-Valence-Val", null));
        assertEquals(result.getString("messageId"), mail.getMessageID());

        var mixed = (MimeMultipart) mail.getContent();
        assertTrue(mixed.getContentType().startsWith("multipart/mixed"), mixed.getContentType());
        assertEquals(4, mixed.getCount());
        var alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"));
        assertEquals("Plain body", alternative.getBodyPart(0).getContent());
        assertTrue(alternative.getBodyPart(0).isMimeType("text/plain"));
        assertEquals("<p>HTML body</p>", alternative.getBodyPart(1).getContent());
        assertTrue(alternative.getBodyPart(1).isMimeType("text/html"));

        assertEquals("hello.txt", mixed.getBodyPart(1).getFileName());
        assertTrue(mixed.getBodyPart(1).isMimeType("text/plain"));
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), mixed.getBodyPart(1).getInputStream().readAllBytes());
        assertEquals("bytes.bin", mixed.getBodyPart(2).getFileName());
        assertTrue(mixed.getBodyPart(2).isMimeType("application/octet-stream"));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, mixed.getBodyPart(2).getInputStream().readAllBytes());
        assertEquals("data.csv", mixed.getBodyPart(3).getFileName());
        assertTrue(mixed.getBodyPart(3).isMimeType("text/csv"));
        // a text part travels with CRLF line ends (MIME's canonical form for text)
        assertArrayEquals("a,b\r\n1,2\r\n".getBytes(StandardCharsets.US_ASCII), mixed.getBodyPart(3).getInputStream().readAllBytes());
    }

    @Test
    void a_15_mib_attachment_received_as_json_is_forwarded_by_std_email_byte_for_byte() throws Exception {
        // its base64 (21 million characters) is past Jackson's default limit of 20 million per string
        platform.createVal(admin, new JsonObject().put("name", "forward").put("type", "email").put("code", """
                import { email } from "std/email";
                export default async function (message) {
                  await email({ subject: "Fwd: " + message.subject, text: "attached", attachments: message.attachments });
                }"""));
        byte[] bytes = new byte[15 * 1024 * 1024];
        new java.util.Random(17).nextBytes(bytes);
        var message = new JsonObject().put("from", "ann@example.com").put("to", "admin.forward@" + DOMAIN).put("subject", "scan")
                .put("attachments", new JsonArray().add(new JsonObject().put("filename", "scan.bin").put("contentType", "image/x-scan")
                        .put("content", java.util.Base64.getEncoder().encodeToString(bytes))));
        var reply = platform.post("/api/v1/email/admin/forward", admin, message.encode());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("success", reply.json().getString("outcome"), reply.body());
        assertTrue(smtp.waitForIncomingEmail(10_000, 1));
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals("Fwd: scan", mail.getSubject());
        var part = ((MimeMultipart) mail.getContent()).getBodyPart(1);
        assertEquals("scan.bin", part.getFileName());
        assertTrue(part.isMimeType("image/x-scan"), part.getContentType());
        assertArrayEquals(bytes, part.getInputStream().readAllBytes());
    }

    @Test
    void mail_to_anyone_but_the_owner_is_refused_with_a_sentence_and_nothing_is_sent() throws Exception {
        var run = run(platform, admin, "admin", "spammer", """
                import { email } from "std/email";
                export default () => email({ to: ["admin@example.com", "stranger@example.org"], text: "hi" });""");
        assertEquals("std/email sends only to the val owner's own address (Admin@Example.com); 'stranger@example.org' is not it."
                + " The operator can allow any recipient with EMAIL_ALLOW_ANY_RECIPIENT=true.", error(run));
        var bad = run(platform, admin, "admin", "typo", """
                import { email } from "std/email";
                export default () => email({ to: "not an address", text: "hi" });""");
        assertEquals("std/email: 'to' has 'not an address', which is not an email address (write ann@example.com,"
                + " \"Ann <ann@example.com>\" or { email, name }).", error(bad));
        var spoof = run(platform, admin, "admin", "spoof", """
                import { email } from "std/email";
                export default () => email({ from: "ceo@bank.example", text: "hi" });""");
        assertEquals("std/email sends from admin.spoof@" + DOMAIN + "; 'from' may set only the display name, as in from: { name: \"Weekly report\" }.", error(spoof));
        Thread.sleep(200);
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void an_owner_without_an_address_is_told_how_to_set_one() {
        String frank = platform.createUser("frank");
        var run = run(platform, frank, "frank", "note", """
                import { email } from "std/email";
                export default () => email({ subject: "note", text: "hi" });""");
        assertEquals("std/email sends only to the val owner's own address, and frank has none yet: set it with PATCH /api/v1/me"
                + " {\"email\": \"you@example.com\"}.", error(run));
    }

    @Test
    void past_the_per_minute_limit_a_send_is_refused_with_the_wait() throws Exception {
        String gina = platform.createUser("gina");
        platform.send("PATCH", "/api/v1/me", gina, "{\"email\": \"gina@example.com\"}", Map.of("Content-Type", "application/json"));
        var run = run(platform, gina, "gina", "burst", """
                import { email } from "std/email";
                export default async function () {
                  for (let i = 1; i <= 4; i++) {
                    try { await email({ subject: "n" + i, text: "hi" }); }
                    catch (e) { return { sent: i - 1, error: e.message }; }
                  }
                  return { sent: 4 };
                }""");
        JsonObject result = run.getJsonObject("result");
        assertEquals(3, result.getInteger("sent"), run.encode());
        assertTrue(result.getString("error").matches("std/email: gina has sent 3 emails in the last minute, the most allowed"
                + " \\(EMAIL_SENDS_PER_MINUTE\\); try again in (60|59|58) s\\."), result.getString("error"));
        assertTrue(smtp.waitForIncomingEmail(5_000, 3));
        assertEquals(3, smtp.getReceivedMessages().length);
    }

    @Test
    void with_any_recipient_allowed_mail_goes_to_others_with_cc_and_bcc_as_envelope_recipients() throws Exception {
        try (var open = TestPlatform.start("std_email_open", settings(smtp, "EMAIL_ALLOW_ANY_RECIPIENT", "true",
                "EMAIL_FROM", "vals@" + DOMAIN))) {
            var run = run(open, open.adminToken, "admin", "newsletter", """
                    import { email } from "https://esm.town/v/std/email";
                    export default () => email({ to: "reader@example.org", cc: ["Copy <copy@example.org>"],
                      bcc: "hidden@example.org", subject: "News", html: "<b>news</b>" });""");
            assertEquals("success", run.getString("outcome"), run.encode());
            assertTrue(smtp.waitForIncomingEmail(5_000, 3));
            MimeMessage[] received = smtp.getReceivedMessages();
            assertEquals(3, received.length, "one delivery per envelope recipient");
            MimeMessage mail = received[0];
            assertEquals(List.of("admin/newsletter <vals@" + DOMAIN + ">"), strings(mail.getFrom()));
            assertEquals(List.of("reader@example.org"), strings(mail.getRecipients(Message.RecipientType.TO)));
            assertEquals(List.of("Copy <copy@example.org>"), strings(mail.getRecipients(Message.RecipientType.CC)));
            assertNull(mail.getHeader("Bcc"), "Bcc is not written into the message");
            assertTrue(mail.isMimeType("text/html"));
            assertEquals("<b>news</b>", mail.getContent());
        }
    }

    @Test
    void with_starttls_required_a_relay_that_cannot_upgrade_gets_no_password_and_nothing_is_sent() throws Exception {
        var settings = new EmailSettings(EmailSettings.OFF, DOMAIN, 1024 * 1024,
                Optional.of(SmtpUrl.parse("smtp://relay:s3cret%2Fpass@127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=required")),
                Optional.empty(), true, 10);
        var outbox = new Outbox(settings, null); // any recipient allowed and one named: no owner lookup
        var refused = assertThrows(Outbox.Refused.class, () -> outbox.send(new Outbox.Sender(1, "admin", "tls"),
                new JsonObject().put("to", new JsonArray().add("reader@example.org")).put("text", "hi")));
        assertEquals("std/email could not send through smtp://relay@127.0.0.1:" + smtp.getSmtp().getPort()
                + ": STARTTLS is required but host does not support STARTTLS", refused.getMessage());
        Thread.sleep(200);
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void without_smtp_url_email_says_the_operator_must_set_it() {
        try (var closed = TestPlatform.start("std_email_off", Map.of())) {
            var run = run(closed, closed.adminToken, "admin", "quiet", """
                    import { email } from "std/email";
                    export default () => email({ text: "hi" });""");
            assertEquals("std/email cannot send: this Valence has no outgoing mail server. The operator sets SMTP_URL"
                    + " (for example smtp://user:password@smtp.example.com:587).", error(run));
        }
    }
}
