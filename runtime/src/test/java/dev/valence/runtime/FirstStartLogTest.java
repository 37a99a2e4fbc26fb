package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.status.webhooks.WebhookDeliverer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator reads on the very first start: the database is empty, so nothing exists until migrations ran. */
class FirstStartLogTest {

    @Test
    void a_first_start_on_an_empty_database_logs_no_warning_that_the_webhook_outbox_is_missing() throws Exception {
        var log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // slf4j-simple looks System.err up at every line, so the runtime's log is read as an operator reads it
        System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
        try (var platform = TestPlatform.start("first_start_log")) {
            // start returns once traffic is served; readiness follows when the last service (bring-up) has started
            for (long deadline = System.nanoTime() + 10_000_000_000L; platform.get("/readyz").status() != 200
                    && System.nanoTime() < deadline; ) Thread.sleep(50);
            assertEquals(200, platform.get("/readyz").status());
            // the deliverer polls its outbox every second: give it polls after the migrations too
            Thread.sleep(WebhookDeliverer.POLL.toMillis() * 3);
        } finally {
            System.setErr(original);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Valence is up"), "the log was captured: " + text);
        List<String> complaints = text.lines()
                .filter(line -> line.contains("webhook_deliveries") || line.contains("Webhook deliveries wait")).toList();
        assertEquals(List.of(), complaints);
        assertFalse(text.contains("does not exist"), text);
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
        public synchronized void write(int b) throws java.io.IOException {
            console.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            console.write(b, off, len);
            copy.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            console.flush();
        }
    }
}
