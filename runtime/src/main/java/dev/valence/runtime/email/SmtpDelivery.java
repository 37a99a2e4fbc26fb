package dev.valence.runtime.email;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.store.Run;
import dev.valence.runtime.store.StoreException;
import dev.valence.runtime.store.Val;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.triggers.EmailMessage;
import dev.valence.runtime.triggers.TriggerRunner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One SMTP mail transaction. Recipients are checked at RCPT (550 5.1.1 for an address that is no
 * email val); the message is read at DATA up to EMAIL_MAX_BYTES (552 5.3.4 past it), parsed, and
 * each recipient val runs once. While the schema is incompatible, or the database fails, the answer
 * is {@code 451 4.3.0}: the sending server keeps the message and retries, so nothing bounces and
 * nothing is lost. A retried message is not run twice: its Message-ID is the run's idempotency key.
 * A val that throws still answers 250: the mail was delivered, the error is in the val's runs.
 */
final class SmtpDelivery implements MessageHandler {
    private static final Logger log = LoggerFactory.getLogger(SmtpDelivery.class);
    private static final String TRY_LATER = "4.3.0 Mail for vals is paused (the database schema is changing); try again later.";

    private final Mailboxes mailboxes;
    private final SchemaGuard guard;
    private final ValStore vals;
    private final TriggerRunner runner;
    private final long maxBytes;
    private String envelopeFrom;
    /** Each recipient val once, with the address it was sent to. */
    private final Map<Mailboxes.Mailbox, String> recipients = new LinkedHashMap<>();

    SmtpDelivery(Mailboxes mailboxes, SchemaGuard guard, ValStore vals, TriggerRunner runner, long maxBytes) {
        this.mailboxes = mailboxes;
        this.guard = guard;
        this.vals = vals;
        this.runner = runner;
        this.maxBytes = maxBytes;
    }

    @Override
    public void from(String from) {
        envelopeFrom = from == null || from.isEmpty() ? null : from;
    }

    @Override
    public void recipient(String address) throws RejectException {
        if (!guard.current().compatible()) throw new RejectException(451, TRY_LATER);
        var mailbox = mailboxes.resolve(address)
                .orElseThrow(() -> new RejectException(550, "5.1.1 <" + address + ">: no such mailbox here; a val's address is"
                        + " {owner}.{val}@ or {val}@{owner}. followed by this server's mail domain."));
        Val val;
        try {
            val = vals.findDeployed(mailbox.owner(), mailbox.val()).map(ValStore.Deployed::val)
                    .orElseThrow(() -> new RejectException(550, "5.1.1 <" + address + ">: there is no val "
                            + mailbox.owner() + "/" + mailbox.val() + "."));
        } catch (StoreException e) {
            guard.recheck();
            throw new RejectException(451, "4.3.0 The val store is unavailable right now; try again later.");
        }
        if (val.type() != Val.Type.EMAIL) {
            throw new RejectException(550, "5.1.1 <" + address + ">: " + val.fullName() + " is a " + val.type().wire()
                    + " val; only email vals receive mail.");
        }
        recipients.putIfAbsent(mailbox, address);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        byte[] raw = data.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (raw.length > maxBytes) {
            data.transferTo(java.io.OutputStream.nullOutputStream()); // the rest of the DATA must be read, or it would be taken for commands
            throw new RejectException(552, "5.3.4 A message may be at most " + maxBytes + " bytes here (EMAIL_MAX_BYTES).");
        }
        if (!guard.current().compatible()) throw new RejectException(451, TRY_LATER);
        JsonObject message;
        try {
            message = EmailMessage.read(RawMessage.parse(raw, envelopeFrom, new ArrayList<>(recipients.values())), maxBytes);
        } catch (EmailMessage.TooLarge e) {
            throw new RejectException(552, "5.3.4 " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RejectException(554, "5.6.0 " + e.getMessage());
        }
        String messageId = message.getJsonObject("headers").getString("Message-ID");
        String args = new JsonArray().add(message).encode();
        int delivered = 0;
        try {
            for (var mailbox : recipients.keySet()) {
                var deployed = vals.findDeployed(mailbox.owner(), mailbox.val());
                if (deployed.isEmpty() || deployed.get().val().type() != Val.Type.EMAIL) continue; // deleted or changed since RCPT
                String key = messageId == null ? null : "email:" + mailbox.owner() + "/" + mailbox.val() + ":smtp:" + sha256(messageId);
                if (runner.run(deployed.get().val(), deployed.get().code(), Run.Trigger.EMAIL, args, key, true)
                        instanceof TriggerRunner.SchemaFailed failed) {
                    // the sending server keeps the message and retries: the held state of mail that comes by SMTP
                    guard.recheck();
                    log.warn("Delivering mail to {} stopped after {} val(s): {}", recipients.keySet(), delivered, failed.run().error().message());
                    throw new RejectException(451, "4.3.0 The val store is unavailable right now; try again later.");
                }
                delivered++;
            }
        } catch (StoreException e) {
            guard.recheck();
            log.warn("Delivering mail to {} stopped after {} val(s): {}", recipients.keySet(), delivered, e.getMessage());
            throw new RejectException(451, "4.3.0 The val store is unavailable right now; try again later.");
        }
        return "2.0.0 Delivered to " + delivered + (delivered == 1 ? " val" : " vals");
    }

    @Override
    public void done() {
        recipients.clear();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
