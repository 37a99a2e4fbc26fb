package dev.valence.runtime.email;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;

/** Checks of email addresses, with Jakarta Mail's RFC 822 parser. */
public final class Addresses {
    /** RFC 5321's limit on a path, less the angle brackets. */
    static final int MAX_ADDRESS_CHARS = 254;

    private Addresses() {}

    /** Whether {@code address} is one bare mailbox such as {@code ann@example.com} (no display name, no list). */
    public static boolean isMailbox(String address) {
        if (address == null || address.length() > MAX_ADDRESS_CHARS || address.indexOf('@') <= 0) return false;
        try {
            var parsed = new InternetAddress(address, true);
            return parsed.getPersonal() == null && parsed.getAddress().equals(address) && !parsed.isGroup();
        } catch (AddressException e) {
            return false;
        }
    }

    /** Addresses compare without regard to case (true of the domain always, of local parts in practice). */
    static boolean same(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
