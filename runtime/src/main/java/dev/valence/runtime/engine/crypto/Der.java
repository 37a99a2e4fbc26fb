package dev.valence.runtime.engine.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little DER reading the JDK has no public API for: finding the public key an EC PKCS #8 key
 * carries. Lengths are checked against their container, so a malformed key is a {@link CryptoFailure}.
 */
final class Der {
    static final int SEQUENCE = 0x30, OCTET_STRING = 0x04, BIT_STRING = 0x03, INTEGER = 0x02;
    /** [1] EXPLICIT, as ECPrivateKey's publicKey field is tagged. */
    static final int CONTEXT_1 = 0xA1;

    /** One element: its tag and the bounds of its content within {@code source}. */
    record Element(int tag, byte[] source, int start, int end, int next) {
        byte[] content() {
            return Arrays.copyOfRange(source, start, end);
        }

        List<Element> children() {
            var out = new ArrayList<Element>();
            for (int at = start; at < end; ) {
                Element child = read(source, at, end);
                out.add(child);
                at = child.next;
            }
            return out;
        }
    }

    private Der() {}

    static Element read(byte[] source) {
        return read(source, 0, source.length);
    }

    static Element read(byte[] source, int offset, int limit) {
        if (offset + 2 > limit) throw malformed();
        int tag = source[offset] & 0xff;
        int length = source[offset + 1] & 0xff;
        int at = offset + 2;
        if (length > 0x80) {
            int octets = length - 0x80;
            if (octets > 3 || at + octets > limit) throw malformed();
            length = 0;
            for (int i = 0; i < octets; i++) length = (length << 8) | (source[at++] & 0xff);
        } else if (length == 0x80) {
            throw malformed(); // indefinite lengths are BER, never DER
        }
        if (at + length > limit) throw malformed();
        return new Element(tag, source, at, at + length, at + length);
    }

    private static CryptoFailure malformed() {
        return CryptoFailure.data("The key data is not well-formed DER (a length runs past its end); pass the key's DER bytes, not its PEM text.");
    }
}
