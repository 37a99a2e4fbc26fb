package dev.valence.runtime.email;

import java.util.Optional;

/**
 * The email settings, read and checked with the rest of {@link dev.valence.runtime.Config}.
 *
 * @param smtpPort             the inbound SMTP listener's port; -1 when it is off (SMTP_PORT unset), 0 for any free port
 * @param mailDomain           the domain of vals' addresses: {@code {owner}.{val}@{mailDomain}}
 * @param maxBytes             the largest message, whichever way it comes (SMTP, raw or JSON over HTTP)
 * @param smtpUrl              where std/email sends (empty: sending is off and says so)
 * @param from                 the sender address of outbound mail; empty: the val's own address
 * @param allowAnyRecipient    whether std/email may send to anyone, not just the val owner's own address
 * @param sendsPerMinute       std/email messages one owner may send per minute (per instance)
 */
public record EmailSettings(int smtpPort, String mailDomain, long maxBytes, Optional<SmtpUrl> smtpUrl, Optional<String> from,
                            boolean allowAnyRecipient, int sendsPerMinute) {
    public static final int OFF = -1;
    public static final long DEFAULT_MAX_BYTES = 30L * 1024 * 1024;

    public boolean listenerEnabled() {
        return smtpPort != OFF;
    }

    /** The inbound address of a val: {@code {owner}.{val}@{mailDomain}}. */
    public String addressOf(String owner, String val) {
        return owner + "." + val + "@" + mailDomain;
    }
}
