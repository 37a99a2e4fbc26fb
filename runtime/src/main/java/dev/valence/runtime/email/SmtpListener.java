package dev.valence.runtime.email;

import dev.valence.runtime.guard.SchemaGuard;
import dev.valence.runtime.lifecycle.Supervised;
import dev.valence.runtime.store.ValStore;
import dev.valence.runtime.triggers.TriggerRunner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.subethamail.smtp.server.SMTPServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound SMTP server (SubEthaSMTP): mail to {@code {owner}.{val}@{MAIL_DOMAIN}} (or
 * {@code {val}@{owner}.{MAIL_DOMAIN}}) runs that email val, once per recipient val, recorded as a run
 * with trigger {@code email}. Anyone may mail an email val, private ones included, as on Val Town: the
 * address is the val's public face, like an HTTP val's URL. Each message is handled by a
 * {@link SmtpDelivery}; this class owns the server's life, and its {@link #acceptLoop()} is restarted
 * by the supervisor when an error ended it.
 */
public final class SmtpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpListener.class);
    /** Connections at once; each holds a thread while its val runs. */
    private static final int MAX_CONNECTIONS = 200;
    private static final int MAX_RECIPIENTS = 100;
    private static final int CONNECTION_TIMEOUT_MS = 60_000;

    private final SmtpAcceptLoop server;

    private SmtpListener(SmtpAcceptLoop server) {
        this.server = server;
    }

    /** Starts listening on {@code bindHost}:{@code settings.smtpPort()} (0: any free port). */
    public static SmtpListener start(String bindHost, EmailSettings settings, SchemaGuard guard, ValStore vals, TriggerRunner runner) {
        var mailboxes = new Mailboxes(settings.mailDomain());
        InetAddress address;
        try {
            address = InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("BIND_HOST '" + bindHost + "' is not an address this machine has: " + e.getMessage(), e);
        }
        SmtpAcceptLoop server;
        try {
            server = new SmtpAcceptLoop(port -> SMTPServer.port(port)
                    .bindAddress(address)
                    .hostName(settings.mailDomain())
                    .softwareName("Valence")
                    .maxMessageSize((int) Math.min(Integer.MAX_VALUE, settings.maxBytes()))
                    .maxConnections(MAX_CONNECTIONS)
                    .maxRecipients(MAX_RECIPIENTS)
                    .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
                    .messageHandlerFactory(context -> new SmtpDelivery(mailboxes, guard, vals, runner, settings.maxBytes())),
                    settings.smtpPort());
        } catch (RuntimeException e) {
            throw new IllegalStateException("The SMTP listener could not open port " + settings.smtpPort() + " on " + bindHost
                    + " (" + e.getMessage() + "): another program may use it; set SMTP_PORT to a free port, or unset it to turn the listener off.", e);
        }
        var listener = new SmtpListener(server);
        log.info("SMTP listener on {}:{} delivers mail for {owner}.{val}@{} and {val}@{owner}.{} to email vals",
                bindHost, listener.port(), settings.mailDomain(), settings.mailDomain());
        return listener;
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** The server's accept loop, for the supervisor. */
    public Supervised acceptLoop() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
