package dev.valence.runtime.email;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A raw RFC 5322 message (as SMTP delivers it, or as {@code message/rfc822} over HTTP) read with
 * Jakarta Mail into the JSON shape the email endpoint takes (see
 * {@link dev.valence.runtime.triggers.EmailMessage}): addresses and subject with RFC 2047 encoded
 * words decoded, the first text/plain and text/html parts in their charsets, every other leaf part
 * with a file name (or an attachment disposition) as an attachment, and the top-level headers.
 */
public final class RawMessage {
    /** Jakarta Mail parses without a mail server: the session only carries parsing switches. */
    private static final Session PARSING = Session.getInstance(parsingProperties());
    /** RFC 5322's specials: a display name holding one is quoted. */
    private static final Pattern SPECIALS = Pattern.compile("[()<>\\[\\]:;@\\\\,.\"]");

    private RawMessage() {}

    private static Properties parsingProperties() {
        var properties = new Properties();
        // real mail is sloppy: keep going on a bad address or an unknown transfer encoding
        properties.setProperty("mail.mime.address.strict", "false");
        properties.setProperty("mail.mime.ignoreunknownencoding", "true");
        properties.setProperty("mail.mime.decodetext.strict", "false");
        properties.setProperty("mail.mime.decodefilename", "true");
        return properties;
    }

    /**
     * The message as the email endpoint's JSON. {@code envelopeFrom} and {@code envelopeTo} (SMTP's
     * MAIL FROM and RCPT TO; null over HTTP) stand in when the headers name no sender or recipient.
     * Throws IllegalArgumentException with a sentence when the bytes are not a message.
     */
    public static JsonObject parse(byte[] raw, String envelopeFrom, List<String> envelopeTo) {
        try {
            MimeMessage message = new MimeMessage(PARSING, new ByteArrayInputStream(raw));
            var json = new JsonObject();
            String from = addresses(message.getFrom()).stream().findFirst().map(Object::toString).orElse(envelopeFrom);
            if (from != null) json.put("from", from);
            JsonArray to = addresses(message.getRecipients(jakarta.mail.Message.RecipientType.TO));
            if (to.isEmpty() && envelopeTo != null) envelopeTo.forEach(to::add);
            json.put("to", to);
            json.put("cc", addresses(message.getRecipients(jakarta.mail.Message.RecipientType.CC)));
            json.put("bcc", addresses(message.getRecipients(jakarta.mail.Message.RecipientType.BCC)));
            if (message.getSubject() != null) json.put("subject", message.getSubject());
            var body = new Body();
            walk(message, body);
            if (body.text != null) json.put("text", body.text);
            if (body.html != null) json.put("html", body.html);
            json.put("attachments", body.attachments);
            json.put("headers", headers(message));
            return json;
        } catch (MessagingException | IOException e) {
            throw new IllegalArgumentException("The message could not be read as RFC 5322 mail: " + e.getMessage());
        }
    }

    private static final class Body {
        String text;
        String html;
        final JsonArray attachments = new JsonArray();
    }

    private static void walk(Part part, Body body) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child, body);
                }
                return;
            }
        }
        String filename = filename(part);
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || filename != null;
        if (!attachment && part.isMimeType("text/plain") && body.text == null) {
            body.text = text(part);
        } else if (!attachment && part.isMimeType("text/html") && body.html == null) {
            body.html = text(part);
        } else if (attachment || !part.isMimeType("text/*")) {
            byte[] bytes;
            try (InputStream in = part.getInputStream()) {
                bytes = in.readAllBytes();
            }
            String type = baseType(part.getContentType());
            body.attachments.add(new JsonObject()
                    .put("filename", filename != null ? filename : "attachment-" + (body.attachments.size() + 1))
                    .put("contentType", type).put("content", Base64.getEncoder().encodeToString(bytes)));
        }
    }

    /** A text part in its declared charset (UTF-8 when it names none or one Java does not know). */
    private static String text(Part part) throws MessagingException, IOException {
        Charset charset = StandardCharsets.UTF_8;
        try {
            String declared = new ContentType(part.getContentType()).getParameter("charset");
            if (declared != null) charset = Charset.forName(MimeUtility.javaCharset(declared.trim()));
        } catch (RuntimeException | MessagingException e) {
            // an unknown or malformed charset: UTF-8 is the best guess for mail written this century
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), charset);
        }
    }

    private static String filename(Part part) throws MessagingException {
        try {
            String name = part.getFileName();
            return name == null || name.isBlank() ? null : MimeUtility.decodeText(name);
        } catch (UnsupportedEncodingException | MessagingException e) {
            return part.getFileName();
        }
    }

    private static String baseType(String contentType) {
        if (contentType == null) return "application/octet-stream";
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            return "application/octet-stream";
        }
    }

    private static JsonArray addresses(Address[] addresses) {
        var list = new JsonArray();
        if (addresses == null) return list;
        for (Address address : addresses) {
            list.add(address instanceof InternetAddress internet ? display(internet) : address.toString());
        }
        return list;
    }

    /**
     * {@code Name <address>} as people write it: the (decoded) name quoted only when it holds a
     * character RFC 5322 reserves, not merely because it is not ASCII as Jakarta Mail's form does.
     */
    private static String display(InternetAddress address) {
        String name = address.getPersonal();
        if (name == null || name.isBlank()) return address.getAddress();
        String phrase = SPECIALS.matcher(name).find() ? '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : name;
        return phrase + " <" + address.getAddress() + ">";
    }

    /** The top-level headers, unfolded and decoded; a repeated header's values joined with ", ". */
    private static JsonObject headers(MimeMessage message) throws MessagingException {
        var headers = new JsonObject();
        Enumeration<Header> all = message.getAllHeaders();
        while (all.hasMoreElements()) {
            Header header = all.nextElement();
            String value = decoded(MimeUtility.unfold(header.getValue() == null ? "" : header.getValue()).trim());
            String earlier = headers.getString(header.getName());
            headers.put(header.getName(), earlier == null ? value : earlier + ", " + value);
        }
        return headers;
    }

    private static String decoded(String value) {
        try {
            return MimeUtility.decodeText(value);
        } catch (UnsupportedEncodingException e) {
            return value;
        }
    }
}
