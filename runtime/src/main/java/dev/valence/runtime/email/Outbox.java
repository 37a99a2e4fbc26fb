package dev.valence.runtime.email;

import dev.valence.runtime.store.UserStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * Sends the mail of {@code std/email} through {@code SMTP_URL} with Angus Mail's SMTP transport.
 * Val Town's rules: unless EMAIL_ALLOW_ANY_RECIPIENT is on, mail goes only to the val owner's own
 * address (and to it when no recipient is named); at most EMAIL_SENDS_PER_MINUTE messages per owner
 * a minute. The sender is EMAIL_FROM, or the val's own address {@code {owner}.{val}@{MAIL_DOMAIN}},
 * with the val's name as display name; a val may choose only the display name. Every refusal is a
 * {@link Refused} with a sentence the val sees as its error.
 */
public final class Outbox {
    static final int CONNECT_TIMEOUT_MS = 10_000;
    static final int IO_TIMEOUT_MS = 20_000;

    private final EmailSettings settings;
    private final UserStore users;
    private final SendLimiter limiter;

    public Outbox(EmailSettings settings, UserStore users) {
        this.settings = settings;
        this.users = users;
        this.limiter = new SendLimiter(settings.sendsPerMinute());
    }

    /** Who sends: the val and its owner. */
    public record Sender(long ownerId, String owner, String val) {}

    /** A send that is refused or failed; the message is a sentence for the val author. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Sends the message described by {@code request} (as std-email.js builds it: {@code to, cc, bcc,
     * replyTo} as arrays of strings or {@code {email, name}}, {@code subject, text, html, fromName},
     * {@code attachments} as {@code {filename, type, content}} with base64 content) and answers
     * {@code {messageId, to, cc, bcc}}. Blocks while the SMTP server is spoken to.
     */
    public JsonObject send(Sender sender, JsonObject request) {
        SmtpUrl smtp = settings.smtpUrl().orElseThrow(() -> new Refused("std/email cannot send: this Valence has no outgoing mail"
                + " server. The operator sets SMTP_URL (for example smtp://user:password@smtp.example.com:587)."));
        List<InternetAddress> to = addresses(request, "to");
        List<InternetAddress> cc = addresses(request, "cc");
        List<InternetAddress> bcc = addresses(request, "bcc");
        List<InternetAddress> replyTo = addresses(request, "replyTo");
        checkRecipients(sender, to, cc, bcc);
        Session session = Session.getInstance(properties(smtp, settings.mailDomain()));
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from(sender, request));
            message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
            if (!cc.isEmpty()) message.setRecipients(Message.RecipientType.CC, cc.toArray(InternetAddress[]::new));
            if (!bcc.isEmpty()) message.setRecipients(Message.RecipientType.BCC, bcc.toArray(InternetAddress[]::new));
            if (!replyTo.isEmpty()) message.setReplyTo(replyTo.toArray(InternetAddress[]::new));
            String subject = string(request, "subject");
            if (subject != null) message.setSubject(subject, "UTF-8");
            message.setHeader("X-Valence-Val", sender.owner() + "/" + sender.val());
            long size = body(message, request);
            if (size > settings.maxBytes()) {
                throw new Refused("std/email: the message has " + size + " bytes of text, html and attachments; at most "
                        + settings.maxBytes() + " are sent (EMAIL_MAX_BYTES).");
            }
            message.saveChanges();
            long waitMs = limiter.tryTake(sender.ownerId());
            if (waitMs > 0) {
                throw new Refused("std/email: " + sender.owner() + " has sent " + limiter.perMinute() + " emails in the last minute, the most"
                        + " allowed (EMAIL_SENDS_PER_MINUTE); try again in " + Math.max(1, (waitMs + 999) / 1000) + " s.");
            }
            if (smtp.user().isPresent()) Transport.send(message, smtp.user().get(), smtp.password().orElse(""));
            else Transport.send(message);
            return new JsonObject().put("messageId", message.getMessageID()).put("to", strings(to)).put("cc", strings(cc)).put("bcc", strings(bcc));
        } catch (MessagingException e) {
            throw new Refused("std/email could not send through " + smtp + ": " + reason(e));
        }
    }

    /** Val Town's rule: only the owner's own address unless the operator allows any; no recipient means the owner. */
    private void checkRecipients(Sender sender, List<InternetAddress> to, List<InternetAddress> cc, List<InternetAddress> bcc) {
        boolean none = to.isEmpty() && cc.isEmpty() && bcc.isEmpty();
        if (settings.allowAnyRecipient() && !none) return;
        InternetAddress own = ownAddress(sender, settings.allowAnyRecipient()
                ? "std/email was given no recipient, so it sends to the val owner's own address, and "
                : "std/email sends only to the val owner's own address, and ");
        for (List<InternetAddress> list : List.of(to, cc, bcc)) {
            for (InternetAddress address : list) {
                if (!Addresses.same(address.getAddress(), own.getAddress())) {
                    throw new Refused("std/email sends only to the val owner's own address (" + own.getAddress() + "); '" + address.getAddress()
                            + "' is not it. The operator can allow any recipient with EMAIL_ALLOW_ANY_RECIPIENT=true.");
                }
            }
        }
        if (to.isEmpty()) to.add(own);
    }

    /** The owner's address; refused with {@code lead} + the advice when they have none. */
    private InternetAddress ownAddress(Sender sender, String lead) {
        String email = users.byId(sender.ownerId()).map(u -> u.email()).orElse(null);
        if (email == null) {
            throw new Refused(lead + sender.owner() + " has none yet: set it with PATCH /api/v1/me {\"email\": \"you@example.com\"}.");
        }
        try {
            return new InternetAddress(email, true);
        } catch (AddressException e) {
            throw new Refused(sender.owner() + "'s email address '" + email + "' is not valid: set a new one with PATCH /api/v1/me.");
        }
    }

    private InternetAddress from(Sender sender, JsonObject request) {
        String address = settings.from().orElse(settings.addressOf(sender.owner(), sender.val()));
        String name = string(request, "fromName");
        if (name == null) name = sender.owner() + "/" + sender.val();
        String fromAddress = string(request, "fromAddress");
        if (fromAddress != null && !Addresses.same(fromAddress, address)) {
            throw new Refused("std/email sends from " + address + "; 'from' may set only the display name, as in from: { name: \"Weekly report\" }.");
        }
        try {
            return new InternetAddress(address, name, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** text and html as multipart/alternative when both are given; attachments make it multipart/mixed. */
    private static long body(MimeMessage message, JsonObject request) throws MessagingException {
        String text = string(request, "text");
        String html = string(request, "html");
        JsonArray attachments = request.getJsonArray("attachments", new JsonArray());
        MimeMultipart alternative = null;
        if (text != null && html != null) {
            var textPart = new MimeBodyPart();
            textPart.setText(text, "UTF-8", "plain");
            var htmlPart = new MimeBodyPart();
            htmlPart.setText(html, "UTF-8", "html");
            alternative = new MimeMultipart("alternative", textPart, htmlPart);
        }
        String subtype = html != null && text == null ? "html" : "plain";
        String single = html != null && text == null ? html : text == null ? "" : text;
        long size = utf8Length(text) + utf8Length(html);
        if (attachments.isEmpty()) {
            if (alternative != null) message.setContent(alternative);
            else message.setText(single, "UTF-8", subtype);
            return size;
        }
        MimeBodyPart content = new MimeBodyPart();
        if (alternative != null) content.setContent(alternative);
        else content.setText(single, "UTF-8", subtype);
        var mixed = new MimeMultipart("mixed", content);
        for (int i = 0; i < attachments.size(); i++) {
            JsonObject attachment = attachments.getJsonObject(i);
            String filename = string(attachment, "filename");
            if (filename == null || filename.isBlank()) throw new Refused("std/email: attachments[" + i + "] needs a filename.");
            String type = string(attachment, "type");
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(attachment.getString("content", "").replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new Refused("std/email: attachments[" + i + "].content is not valid base64 (" + e.getMessage()
                        + "); pass base64 text, or bytes as a Uint8Array, ArrayBuffer or Blob.");
            }
            var part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type == null || type.isBlank() ? "application/octet-stream" : type)));
            part.setFileName(filename);
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            mixed.addBodyPart(part);
            size += bytes.length;
        }
        message.setContent(mixed);
        return size;
    }

    private static long utf8Length(String text) {
        return text == null ? 0 : text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static List<InternetAddress> addresses(JsonObject request, String field) {
        var list = new ArrayList<InternetAddress>();
        for (Object item : request.getJsonArray(field, new JsonArray())) {
            try {
                if (item instanceof JsonObject object) {
                    String email = object.getString("email");
                    if (email == null || !Addresses.isMailbox(email)) throw new AddressException("not an address", String.valueOf(email));
                    list.add(object.getString("name") == null ? new InternetAddress(email, true)
                            : new InternetAddress(email, object.getString("name"), "UTF-8"));
                } else {
                    var parsed = new InternetAddress(String.valueOf(item), true);
                    if (parsed.isGroup() || !Addresses.isMailbox(parsed.getAddress())) throw new AddressException("not one address", String.valueOf(item));
                    list.add(parsed);
                }
            } catch (AddressException | UnsupportedEncodingException e) {
                throw new Refused("std/email: '" + field + "' has '" + (item instanceof JsonObject o ? o.getString("email") : item)
                        + "', which is not an email address (write ann@example.com, \"Ann <ann@example.com>\" or { email, name }).");
            }
        }
        return list;
    }

    private static String string(JsonObject json, String field) {
        return json.getValue(field) instanceof String s ? s : null;
    }

    private static JsonArray strings(List<InternetAddress> addresses) {
        var array = new JsonArray();
        addresses.forEach(a -> array.add(a.toUnicodeString()));
        return array;
    }

    private static Properties properties(SmtpUrl smtp, String mailDomain) {
        var properties = new Properties();
        properties.setProperty("mail.host", mailDomain); // the right-hand side of Message-IDs
        properties.setProperty("mail.smtp.localhost", mailDomain); // the EHLO name
        properties.setProperty("mail.smtp.host", smtp.host());
        properties.setProperty("mail.smtp.port", String.valueOf(smtp.port()));
        properties.setProperty("mail.smtp.auth", String.valueOf(smtp.user().isPresent()));
        properties.setProperty("mail.smtp.connectiontimeout", String.valueOf(CONNECT_TIMEOUT_MS));
        properties.setProperty("mail.smtp.timeout", String.valueOf(IO_TIMEOUT_MS));
        properties.setProperty("mail.smtp.writetimeout", String.valueOf(IO_TIMEOUT_MS));
        if (smtp.implicitTls()) {
            properties.setProperty("mail.smtp.ssl.enable", "true");
            properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        } else {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", String.valueOf(smtp.startTlsRequired()));
            properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        }
        return properties;
    }

    /** The innermost useful message: the server's reply when it refused, else the cause's. */
    private static String reason(MessagingException e) {
        String message = e.getMessage();
        Exception next = e.getNextException();
        if (next != null && next.getMessage() != null) message = message + " (" + next.getMessage().trim() + ")";
        return message == null ? e.getClass().getSimpleName() : message.trim();
    }
}
