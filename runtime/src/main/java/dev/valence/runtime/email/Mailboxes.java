package dev.valence.runtime.email;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which val an inbound address names. Two forms: {@code {owner}.{val}@{MAIL_DOMAIN}}, and
 * {@code {val}@{owner}.{MAIL_DOMAIN}} for names whose first form would pass the 64-character limit of
 * a local part (RFC 5321 4.5.3.1.1: an owner and a val may have 64 characters each, and strict sending
 * servers refuse longer local parts). Owner names hold no dot, so the first dot splits the local part.
 * Addresses are matched without regard to case, as mail systems treat them.
 */
public final class Mailboxes {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

    private final String domain;

    public Mailboxes(String domain) {
        this.domain = domain.toLowerCase(Locale.ROOT);
    }

    /** A val's mailbox: its owner's name and its own. */
    public record Mailbox(String owner, String val) {}

    /** The val {@code address} names, or empty when it is no val address of this domain. */
    public Optional<Mailbox> resolve(String address) {
        String a = address.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        int at = a.lastIndexOf('@');
        if (at <= 0) return Optional.empty();
        String local = a.substring(0, at);
        String host = a.substring(at + 1);
        if (host.equals(domain)) {
            int dot = local.indexOf('.');
            if (dot <= 0) return Optional.empty();
            return mailbox(local.substring(0, dot), local.substring(dot + 1));
        }
        if (host.endsWith("." + domain)) {
            return mailbox(host.substring(0, host.length() - domain.length() - 1), local);
        }
        return Optional.empty();
    }

    private static Optional<Mailbox> mailbox(String owner, String val) {
        if (!NAME.matcher(owner).matches() || !NAME.matcher(val).matches()) return Optional.empty();
        return Optional.of(new Mailbox(owner, val));
    }
}
