package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.email.EmailSettings;
import dev.valence.runtime.email.SmtpUrl;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The email settings: defaults that work on one machine, SMTP_URL's forms, and a sentence per bad value. */
class EmailConfigTest {
    @Test
    void by_default_the_listener_is_off_mail_is_for_localhost_and_messages_may_have_30_mib() {
        EmailSettings email = Config.fromEnv(Map.of()).email();
        assertFalse(email.listenerEnabled());
        assertEquals("localhost", email.mailDomain());
        assertEquals(30L * 1024 * 1024, email.maxBytes());
        assertEquals(Optional.empty(), email.smtpUrl());
        assertEquals(Optional.empty(), email.from());
        assertFalse(email.allowAnyRecipient());
        assertEquals(100, email.sendsPerMinute());
        assertEquals("admin.inbox@localhost", email.addressOf("admin", "inbox"));
        assertTrue(Config.fromEnv(Map.of("SMTP_PORT", "2525")).email().listenerEnabled());
    }

    @Test
    void smtp_urls_give_host_port_credentials_and_how_tls_is_used() {
        var submission = SmtpUrl.parse("smtp://vals%40example.com:p%2Fss@smtp.example.com");
        assertEquals(new SmtpUrl("smtp.example.com", 587, Optional.of("vals@example.com"), Optional.of("p/ss"), false, true), submission);
        assertEquals("smtp://vals@example.com@smtp.example.com:587", submission.toString(), "no password in messages");
        assertEquals(new SmtpUrl("smtp.example.com", 465, Optional.of("u"), Optional.of("p"), true, false),
                SmtpUrl.parse("smtps://u:p@smtp.example.com"));
        assertFalse(SmtpUrl.parse("smtp://127.0.0.1:2525").startTlsRequired(), "loopback needs no TLS");
        assertTrue(SmtpUrl.parse("smtp://localhost:2525?starttls=required").startTlsRequired());
        assertFalse(SmtpUrl.parse("smtp://relay.internal:25?starttls=optional").startTlsRequired());
    }

    @Test
    void every_bad_email_setting_is_named_with_its_rule_and_no_password_is_shown() {
        var e = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnv(Map.of(
                "SMTP_URL", "http://user:hunter2@mail.example.com", "MAIL_DOMAIN", "not a domain", "EMAIL_FROM", "Vals <vals@example.com>",
                "EMAIL_MAX_BYTES", "10", "SMTP_PORT", "99999", "EMAIL_ALLOW_ANY_RECIPIENT", "perhaps")));
        assertEquals("""
                Invalid configuration:
                  - MAIL_DOMAIN must be a domain name such as mail.example.com, got 'not a domain'
                  - SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (implicit TLS), got 'http://user:***@mail.example.com'
                  - EMAIL_FROM must be a bare address such as vals@example.com, got 'Vals <vals@example.com>'
                  - SMTP_PORT must be between 0 and 65535, got 99999
                  - EMAIL_MAX_BYTES must be between 1024 and 1073741824, got 10
                  - EMAIL_ALLOW_ANY_RECIPIENT must be true or false, got 'perhaps'""", e.getMessage());
        var query = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnv(Map.of("SMTP_URL", "smtp://h?starttls=maybe")));
        assertEquals("Invalid configuration:\n  - SMTP_URL's starttls must be required or optional, got 'maybe'", query.getMessage());
    }
}
