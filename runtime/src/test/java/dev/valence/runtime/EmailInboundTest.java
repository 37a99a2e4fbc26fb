package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inbound email over HTTP on a real runtime: attachments reach the val as web Files, a raw RFC 5322
 * message is parsed (encoded words, charsets, multipart), and EMAIL_MAX_BYTES bounds both forms.
 */
class EmailInboundTest {
    static final int LIMIT = 256 * 1024;
    /** Logs what a val sees of its message, the attachments read through the File API. */
    static final String INBOX = """
            export default async function (email) {
              const files = await Promise.all(email.attachments.map(async (f) => ({
                isFile: f instanceof File, name: f.name, type: f.type, size: f.size,
                text: f.type.startsWith('text/') ? await f.text() : null,
                head: Array.from((await f.bytes()).slice(0, 4)), buffer: (await f.arrayBuffer()).byteLength,
              })));
              console.log(JSON.stringify({ from: email.from, to: email.to, cc: email.cc, subject: email.subject,
                text: email.text, html: email.html, files, messageId: email.headers['Message-ID'] ?? null }));
            }""";

    static TestPlatform platform;
    static String admin;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("email_inbound", Map.of("EMAIL_MAX_BYTES", String.valueOf(LIMIT)));
        admin = platform.adminToken;
        platform.createVal(admin, new JsonObject().put("name", "inbox").put("type", "email").put("code", INBOX));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static JsonObject seen(TestPlatform.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        assertEquals("success", reply.json().getString("outcome"), reply.body());
        return new JsonObject(reply.json().getString("logs").substring("[log] ".length()));
    }

    static TestPlatform.Reply sendRaw(String path, String message) {
        return platform.send(HttpRequest.newBuilder(URI.create(platform.baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "message/rfc822")
                .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.ISO_8859_1)).build());
    }

    @Test
    void json_attachments_reach_the_val_as_files_with_name_type_size_and_contents() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        var message = new JsonObject().put("from", "ann@example.com").put("to", "inbox@valence.test").put("subject", "Files")
                .put("attachments", new JsonArray()
                        .add(new JsonObject().put("filename", "notes.txt").put("contentType", "text/plain")
                                .put("content", Base64.getEncoder().encodeToString("héllo notes".getBytes(StandardCharsets.UTF_8))))
                        .add(new JsonObject().put("filename", "dot.png").put("contentType", "image/png")
                                .put("content", Base64.getMimeEncoder().encodeToString(png))));
        var seen = seen(platform.post("/api/v1/email/admin/inbox", admin, message.encode()));
        assertEquals(new JsonArray()
                .add(new JsonObject().put("isFile", true).put("name", "notes.txt").put("type", "text/plain").put("size", 12)
                        .put("text", "héllo notes").put("head", new JsonArray().add(104).add(195).add(169).add(108)).put("buffer", 12))
                .add(new JsonObject().put("isFile", true).put("name", "dot.png").put("type", "image/png").put("size", 10)
                        .putNull("text").put("head", new JsonArray().add(137).add(80).add(78).add(71)).put("buffer", 10)),
                seen.getJsonArray("files"));
    }

    @Test
    void a_message_without_attachments_gives_the_val_an_empty_list() {
        var message = new JsonObject().put("from", "ann@example.com").put("to", "inbox@valence.test").put("text", "hi");
        assertEquals(new JsonArray(), seen(platform.post("/api/v1/email/admin/inbox", admin, message.encode())).getJsonArray("files"));
    }

    @Test
    void bad_attachments_are_refused_with_a_sentence_naming_the_field() {
        Map<String, String> cases = Map.of(
                "{\"attachments\": {}}", "'attachments' must be an array of {filename, contentType, content} objects, the content in base64.",
                "{\"attachments\": [7]}", "attachments[0] must be an object {filename, contentType, content}.",
                "{\"attachments\": [{\"content\": \"aGk=\"}]}", "attachments[0].filename must be a name of 1 to 255 characters.",
                "{\"attachments\": [{\"filename\": \"a\"}]}", "attachments[0].content is required: the file's bytes in base64.",
                "{\"attachments\": [{\"filename\": \"a\", \"content\": \"not base64!\"}]}",
                "attachments[0].content is not valid base64: Illegal base64 character 21.");
        cases.forEach((fields, expected) -> {
            var body = new JsonObject(fields).put("from", "a@b").put("to", "c@d");
            var reply = platform.post("/api/v1/email/admin/inbox", admin, body.encode());
            assertEquals(400, reply.status(), fields);
            assertEquals(expected, reply.json().getJsonObject("error").getString("message"), fields);
        });
    }

    @Test
    void a_raw_message_is_parsed_with_encoded_words_charsets_html_and_attachments() {
        String raw = String.join("\r\n",
                "From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <jurgen@example.de>",
                "To: Inbox <admin.inbox@localhost>, other@example.com",
                "Cc: =?ISO-8859-1?Q?Ren=E9e?= <renee@example.fr>",
                "Subject: =?UTF-8?Q?Caf=C3=A9_men=C3=BC?= for =?UTF-8?B?8J+Ngg==?=",
                "Message-ID: <raw-1@example.de>",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"outer\"",
                "",
                "--outer",
                "Content-Type: multipart/alternative; boundary=\"inner\"",
                "",
                "--inner",
                "Content-Type: text/plain; charset=ISO-8859-1",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Gr=FC=DFe aus K=F6ln",
                "--inner",
                "Content-Type: text/html; charset=UTF-8",
                "Content-Transfer-Encoding: base64",
                "",
                Base64.getEncoder().encodeToString("<p>Grüße aus Köln</p>".getBytes(StandardCharsets.UTF_8)),
                "--inner--",
                "--outer",
                "Content-Type: text/csv; name=\"prices.csv\"",
                "Content-Disposition: attachment; filename=\"=?UTF-8?Q?pr=C3=A9ces.csv?=\"",
                "",
                "item,price",
                "café,3",
                "--outer",
                "Content-Type: application/pdf",
                "Content-Disposition: attachment; filename=\"menu.pdf\"",
                "Content-Transfer-Encoding: base64",
                "",
                Base64.getEncoder().encodeToString("%PDF-1.4 fake".getBytes(StandardCharsets.US_ASCII)),
                "--outer--",
                "");
        var seen = seen(sendRaw("/api/v1/email/admin/inbox", new String(raw.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
        assertEquals("Jürgen Müller <jurgen@example.de>", seen.getString("from"));
        assertEquals(new JsonArray().add("Inbox <admin.inbox@localhost>").add("other@example.com"), seen.getJsonArray("to"));
        assertEquals(new JsonArray().add("Renée <renee@example.fr>"), seen.getJsonArray("cc"));
        assertEquals("Café menü for 🍂", seen.getString("subject"));
        assertEquals("Grüße aus Köln", seen.getString("text"));
        assertEquals("<p>Grüße aus Köln</p>", seen.getString("html"));
        assertEquals("<raw-1@example.de>", seen.getString("messageId"));
        assertEquals(new JsonArray()
                .add(new JsonObject().put("isFile", true).put("name", "préces.csv").put("type", "text/csv").put("size", 19)
                        .put("text", "item,price\r\ncafé,3").put("head", new JsonArray().add(105).add(116).add(101).add(109)).put("buffer", 19))
                .add(new JsonObject().put("isFile", true).put("name", "menu.pdf").put("type", "application/pdf").put("size", 13)
                        .putNull("text").put("head", new JsonArray().add(37).add(80).add(68).add(70)).put("buffer", 13)),
                seen.getJsonArray("files"));
    }

    @Test
    void a_raw_message_is_recorded_as_an_email_run() {
        var reply = sendRaw("/api/v1/email/admin/inbox", "From: a@example.com\r\nTo: admin.inbox@localhost\r\nSubject: run\r\n\r\nbody\r\n");
        seen(reply);
        var run = platform.get("/api/v1/vals/admin/inbox/runs/" + reply.json().getString("runId"), admin);
        assertEquals(200, run.status(), run.body());
        assertEquals("email", run.json().getString("trigger"));
        assertEquals("success", run.json().getString("outcome"));
    }

    @Test
    void attachments_count_at_their_decoded_size_so_base64_does_not_shrink_the_limit() {
        // 180 KiB of bytes is 240 KiB of base64: under the 256 KiB limit as bytes, the JSON body is near it
        byte[] bytes = new byte[180 * 1024];
        var message = new JsonObject().put("from", "a@b").put("to", "c@d").put("attachments", new JsonArray()
                .add(new JsonObject().put("filename", "big.bin").put("content", Base64.getEncoder().encodeToString(bytes))));
        var files = seen(platform.post("/api/v1/email/admin/inbox", admin, message.encode())).getJsonArray("files");
        assertEquals(180 * 1024, files.getJsonObject(0).getInteger("size"));
        assertEquals("application/octet-stream", files.getJsonObject(0).getString("type"));
    }

    @Test
    void a_message_over_email_max_bytes_is_refused_with_413_in_both_forms() {
        var json = new JsonObject().put("from", "a@b").put("to", "c@d").put("text", "x".repeat(200 * 1024)).put("attachments", new JsonArray()
                .add(new JsonObject().put("filename", "a.bin").put("content", Base64.getEncoder().encodeToString(new byte[60 * 1024]))));
        var tooBig = platform.post("/api/v1/email/admin/inbox", admin, json.encode());
        assertEquals(413, tooBig.status());
        assertEquals("An email may be at most 262144 bytes (text, html, headers and decoded attachments; EMAIL_MAX_BYTES sets the limit);"
                + " this one has 266243.", tooBig.json().getJsonObject("error").getString("message"));

        var raw = sendRaw("/api/v1/email/admin/inbox", "From: a@b\r\nTo: c@d\r\n\r\n" + "y".repeat(LIMIT));
        assertEquals(413, raw.status());
        assertEquals("An email may be at most 262144 bytes (EMAIL_MAX_BYTES); this raw message has 262166.",
                raw.json().getJsonObject("error").getString("message"));

        var body = platform.post("/api/v1/email/admin/inbox", admin, "\"" + "z".repeat(LIMIT + LIMIT / 3 + 1024 * 1024) + "\"");
        assertEquals(413, body.status());
        assertEquals("An email may be at most 262144 bytes (EMAIL_MAX_BYTES), and this request's body is larger than the 1398101"
                + " bytes that allows even as JSON with base64 attachments.", body.json().getJsonObject("error").getString("message"));
    }
}
