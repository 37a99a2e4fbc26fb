package dev.valence.runtime.engine.modules;

import dev.valence.runtime.email.Outbox;
import dev.valence.runtime.engine.HostScope;
import dev.valence.runtime.store.StoreException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host function behind {@code std/email}, bound to one val when its context is made: the guest
 * passes the message as JSON and gets the result as JSON (text starting with '{'), or a sentence that
 * std-email.js throws. The send blocks the val's JavaScript worker thread (never an event loop) while
 * the SMTP server answers, within the transport's timeouts.
 */
final class OutboxFunction {
    /**
     * {@code base64Into(text, arrayBuffer)}: decodes base64 into a buffer the guest allocated, for the
     * prelude, which makes an inbound email's attachments into Files. Decoding in guest JavaScript, or
     * reading a host buffer byte by byte, took over ten seconds for 10 MiB; this writes eight bytes a
     * call. Answers the bytes written, or -1 when the text is not base64 or the buffer has another size.
     * Pure, so harmless in guest hands.
     */
    static final ProxyExecutable BASE64_INTO = args -> {
        if (args.length < 2 || !args[0].isString() || !args[1].hasBufferElements() || !args[1].isBufferWritable()) return -1;
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(args[0].asString());
        } catch (IllegalArgumentException e) {
            return -1;
        }
        Value target = args[1];
        if (target.getBufferSize() != bytes.length) return -1;
        var words = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        for (; at + 8 <= bytes.length; at += 8) target.writeBufferLong(java.nio.ByteOrder.LITTLE_ENDIAN, at, words.getLong(at));
        for (; at < bytes.length; at++) target.writeBufferByte(at, bytes[at]);
        return bytes.length;
    };

    private OutboxFunction() {}

    /** @param scope the context's door to its invocation, which a schema-class database error marks */
    static ProxyExecutable forVal(Outbox outbox, Outbox.Sender sender, HostScope scope) {
        return args -> {
            if (args.length < 1 || !args[0].isString()) return "std/email: the message must be passed as JSON text.";
            try {
                JsonObject message = new JsonObject(args[0].asString());
                if (args.length > 1) withBytes(message, args[1]);
                return outbox.send(sender, message).encode();
            } catch (Outbox.Refused e) {
                return e.getMessage();
            } catch (DecodeException e) {
                return "std/email: the message is not valid JSON: " + e.getMessage();
            } catch (StoreException e) {
                scope.noteDatabaseError("std/email", e);
                return "std/email: the user store is unavailable right now; try again.";
            }
        };
    }

    /** Attachments given as bytes arrive as buffers beside the JSON ({@code bytes}: the index); they become base64 content. */
    private static void withBytes(JsonObject message, Value buffers) {
        if (!buffers.hasArrayElements()) return;
        for (Object item : message.getJsonArray("attachments", new JsonArray())) {
            if (!(item instanceof JsonObject attachment) || !(attachment.getValue("bytes") instanceof Number index)) continue;
            Value buffer = buffers.getArrayElement(index.longValue());
            if (!buffer.hasBufferElements()) continue;
            byte[] bytes = new byte[(int) buffer.getBufferSize()];
            buffer.readBuffer(0, bytes, 0, bytes.length);
            attachment.remove("bytes");
            attachment.put("content", Base64.getEncoder().encodeToString(bytes));
        }
    }
}
