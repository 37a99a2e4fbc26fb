package dev.valence.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.status.store.WebhookOutbox;
import dev.valence.foundation.outbound.AllowList;
import dev.valence.foundation.outbound.OutboundGuard;
import dev.valence.status.webhooks.WebhookDeliverer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The deliverer is quiet about a missing outbox only while a first start's migrations have not built it yet: once it
 * has read its outbox, losing it is an outage and is said once, as is the recovery.
 */
class WebhookOutboxLossTest {

    @Test
    void after_its_outbox_was_read_a_deliverer_still_warns_once_when_the_outbox_goes_missing() throws Exception {
        String database = StatusTestSupport.newDatabase("outbox_loss");
        String role = "outbox_reader_" + ProcessHandle.current().pid();
        sql(database, "CREATE ROLE " + role + " LOGIN", "GRANT USAGE ON SCHEMA control TO " + role);
        var asRole = new PGSimpleDataSource();
        asRole.setUrl(StatusTestSupport.jdbc(database));
        asRole.setUser(role);

        var log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // slf4j-simple looks System.err up at every line
        System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
        try (var deliverer = new WebhookDeliverer(new WebhookOutbox(asRole), "https://status.example.com/", new OutboundGuard(AllowList.NONE))) {
            // not a table that is missing: a database that refuses is said at once, even before the first read
            awaitLine(log, line -> line.contains("WARN") && line.contains("permission denied for table webhook_deliveries"));
            sql(database, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA control TO " + role,
                    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA control TO " + role);
            awaitLine(log, line -> line.contains("Webhook deliveries resume: the database answers again"));

            sql(database, "ALTER TABLE control.webhook_deliveries RENAME TO webhook_deliveries_gone");
            awaitLine(log, line -> line.contains("WARN") && line.contains("relation \"control.webhook_deliveries\" does not exist"));
            sql(database, "ALTER TABLE control.webhook_deliveries_gone RENAME TO webhook_deliveries");
            awaitLines(log, line -> line.contains("Webhook deliveries resume: the database answers again"), 2);
        } finally {
            System.setErr(original);
        }
        assertEquals(1, lines(log, line -> line.contains("does not exist")).size(), "said once: " + log.toString(StandardCharsets.UTF_8));
    }

    private static void sql(String database, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(StatusTestSupport.jdbc(database), "postgres", ""); var s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        }
    }

    private static List<String> lines(ByteArrayOutputStream log, Predicate<String> which) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(which).toList();
    }

    private static void awaitLine(ByteArrayOutputStream log, Predicate<String> which) throws InterruptedException {
        awaitLines(log, which, 1);
    }

    private static void awaitLines(ByteArrayOutputStream log, Predicate<String> which, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (lines(log, which).size() >= count) return;
            Thread.sleep(20);
        }
        throw new AssertionError(count + " such log lines did not come within 15 s; the log: " + log.toString(StandardCharsets.UTF_8));
    }

    /** Writes to the console as before and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final OutputStream copy;

        Tee(OutputStream console, OutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            console.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            console.write(b, off, len);
            copy.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            console.flush();
        }
    }
}
