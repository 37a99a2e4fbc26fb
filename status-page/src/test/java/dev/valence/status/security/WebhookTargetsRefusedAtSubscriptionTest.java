package dev.valence.status.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.foundation.outbound.AllowList;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A webhook the deliverer would refuse (private, loopback, metadata, documentation addresses) is
 * refused when it is subscribed, with a sentence, rather than accepted and failed at every delivery.
 */
class WebhookTargetsRefusedAtSubscriptionTest {
    private static RunningStatusPage page;

    @BeforeAll
    static void start() throws Exception {
        page = new RunningStatusPage(AllowList.parse("127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        page.close();
    }

    private static void refused(String url, String why) throws Exception {
        long before = subscribers();
        var reply = page.post("/api/v2/subscribers", new JsonObject().put("url", url));
        assertEquals(400, reply.status(), reply.body());
        assertEquals(new JsonObject().put("error", new JsonObject().put("code", "url_refused").put("message",
                "Webhooks are not sent to " + url + ": " + why + "; allow it with WEBHOOK_ALLOW_HOSTS (an operator's setting),"
                        + " or subscribe a public address.")), reply.json());
        assertEquals(before, subscribers(), "nothing stored for " + url);
    }

    @Test
    void private_loopback_and_metadata_targets_are_refused_at_subscription() throws Exception {
        refused("http://10.0.0.5/hook", "10.0.0.5 is a private address");
        refused("http://192.168.1.20:8080/hook", "192.168.1.20 is a private address");
        refused("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address");
        refused("http://[fd00:ec2::254]/", "fd00:ec2:0:0:0:0:0:254 is a cloud metadata address");
        refused("http://127.0.0.2:9000/hook", "127.0.0.2 is a loopback address");
        refused("http://203.0.113.5/hook", "203.0.113.5 is a documentation address (TEST-NET-3, RFC 5737)");
    }

    @Test
    void an_allowed_address_is_still_accepted_by_number_and_by_a_name_resolving_to_it() throws Exception {
        var reply = page.post("/api/v2/subscribers", new JsonObject().put("url", "http://127.0.0.1:9000/hook"));
        assertEquals(201, reply.status(), reply.body());
        var byName = page.post("/api/v2/subscribers", new JsonObject().put("url", "http://localhost:9000/hook"));
        assertEquals(201, byName.status(), byName.body());
    }

    private static long subscribers() throws SQLException {
        try (var connection = page.db.getConnection();
             var rows = connection.createStatement().executeQuery("SELECT count(*) FROM control.webhook_subscribers")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
