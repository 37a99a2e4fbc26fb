package dev.valence.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.Config;
import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.TestPlatform;
import dev.valence.runtime.Valence;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A val's host name {@code {owner}--{val}.{VALS_DOMAIN}} splits one way only: no owner can name a val so
 * that its host name is another owner's, names fit a DNS label, and names made under the older rule keep
 * working by path with a warning at start-up.
 */
class HostNameTakeoverTest {
    static TestPlatform platform;
    static String shop;
    static String shopPay;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("host_takeover", Map.of("VALS_DOMAIN", "vals.test"));
        shop = platform.createUser("shop");
        shopPay = platform.createUser("shop-pay");
        platform.createVal(shopPay, "login", "export default () => new Response('the real login of shop-pay')");
        platform.createVal(shop, "pay-login", "export default () => new Response('shop pretending to be shop-pay')");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** A raw request, since the JDK client does not let a test choose the Host header. */
    static String get(int port, String host, String path) throws IOException {
        try (var socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String createVal(String token, String name) {
        var reply = platform.post("/api/v1/vals", token, new JsonObject().put("name", name).put("code", "export default () => new Response('x')").encode());
        return reply.status() + " " + (reply.status() == 201 ? "" : reply.json().getJsonObject("error").getString("message"));
    }

    private static String createUser(String name) {
        var reply = platform.post("/api/v1/users", platform.adminToken, new JsonObject().put("name", name).encode());
        return reply.status() + " " + (reply.status() == 201 ? "" : reply.json().getJsonObject("error").getString("message"));
    }

    @Test
    void each_owner_keeps_their_own_host_name_when_names_share_dashes() throws IOException {
        String real = get(platform.valence.port(), "shop-pay--login.vals.test", "/");
        assertTrue(real.startsWith("HTTP/1.1 200 OK"), real);
        assertTrue(real.endsWith("\r\n\r\nthe real login of shop-pay"), real);
        String other = get(platform.valence.port(), "shop--pay-login.vals.test", "/");
        assertTrue(other.endsWith("\r\n\r\nshop pretending to be shop-pay"), other);
    }

    @Test
    void the_old_single_dash_host_name_names_no_val() throws IOException {
        String old = get(platform.valence.port(), "shop-pay-login.vals.test", "/");
        assertTrue(old.startsWith("HTTP/1.1 404"), old);
        assertTrue(old.contains("Nothing at /. Vals live at /v/{owner}/{val}, the API at /api/v1."), old);
    }

    @Test
    void a_host_label_that_does_not_split_into_two_names_is_no_val() throws IOException {
        for (String host : List.of("shop---pay-login.vals.test", "shop--pay--login.vals.test", "--login.vals.test", "shop-pay--.vals.test")) {
            String answer = get(platform.valence.port(), host, "/");
            assertTrue(answer.startsWith("HTTP/1.1 404"), host + ": " + answer);
            assertTrue(answer.contains("Nothing at /."), host + ": " + answer);
        }
    }

    @Test
    void a_name_that_could_blur_the_split_is_refused_with_the_rule() {
        String rule = "'name' must be lowercase letters and digits with single '-' between them (no '_', no '--', no '-' at either end),"
                + " and at most 53 characters for the owner 'shop-pay' (owner and val together at most 61, so that the host name"
                + " shop-pay--{val} fits a 63-character DNS label), got ";
        assertEquals("400 " + rule + "'a--b' (4 characters).", createVal(shopPay, "a--b"));
        assertEquals("400 " + rule + "'-login' (6 characters).", createVal(shopPay, "-login"));
        assertEquals("400 " + rule + "'login-' (6 characters).", createVal(shopPay, "login-"));
        assertEquals("400 " + rule + "'my_val' (6 characters).", createVal(shopPay, "my_val"));
        assertEquals("400 " + rule + "'" + "x".repeat(54) + "' (54 characters).", createVal(shopPay, "x".repeat(54)));
        assertEquals("201 ", createVal(shopPay, "x".repeat(53)));
    }

    @Test
    void the_longest_name_allowed_answers_on_a_63_character_host_label() throws IOException {
        String name = "l".repeat(61 - "shop".length());
        assertEquals("201 ", createVal(shop, name));
        String label = "shop--" + name;
        assertEquals(63, label.length());
        String answer = get(platform.valence.port(), label + ".vals.test", "/");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
    }

    @Test
    void user_names_follow_the_rule_and_platform_names_are_reserved() {
        String rule = "400 'name' must be 1-60 characters, lowercase letters and digits with single '-' between them (no '_', no '--',"
                + " no '-' at either end), got ";
        assertEquals(rule + "'old_team' (8 characters).", createUser("old_team"));
        assertEquals(rule + "'a--b' (4 characters).", createUser("a--b"));
        assertEquals(rule + "'" + "u".repeat(61) + "' (61 characters).", createUser("u".repeat(61)));
        for (String reserved : List.of("std", "api", "www", "status", "ops", "xn", "valence")) {
            assertEquals("400 The user name '" + reserved + "' is reserved for the platform; choose another one.", createUser(reserved));
        }
        assertEquals("201 ", createUser("u".repeat(60)));
    }

    @Test
    void names_made_under_the_old_rule_stay_reachable_by_path_and_start_up_lists_them() throws Exception {
        String databaseUrl = TestDatabase.migratedDatabase("legacy_names");
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", databaseUrl);
        if (TestDatabase.external()) env.put("MIGRATE_ON_START", "false");
        env.put("PORT", "0");
        env.put("STATUS_PORT", "0");
        env.put("VALS_DOMAIN", "vals.test");
        env.put("VALENCE_DATA_DIR", TestDatabase.tempDir("valence-legacy-names").toString());

        // what the previous release let users create: '_' in names, and 64 + 64 characters
        try (var first = TestPlatform.startOn(databaseUrl, env)) {
            String team = first.createUser("old-team");
            first.createVal(team, "my-val", "export default () => new Response('still here')");
            first.createVal(first.adminToken, "fine", "export default () => new Response('fine')");
            first.createVal(first.adminToken, "long", "export default () => new Response('long')");
        }
        try (var connection = TestDatabase.dataSource(databaseUrl).getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE app.users SET name = 'old_team' WHERE name = 'old-team'");
            statement.executeUpdate("UPDATE app.vals SET name = 'my_val' WHERE name = 'my-val'");
            statement.executeUpdate("UPDATE app.vals SET name = '" + "z".repeat(64) + "' WHERE name = 'long'");
        }

        var log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
        Valence second;
        try {
            second = TestPlatform.awaitUp(Valence.start(Config.fromEnv(env)));
        } finally {
            System.setErr(original);
        }
        try (second) {
            String byPath = get(second.port(), "localhost", "/v/old_team/my_val");
            assertTrue(byPath.startsWith("HTTP/1.1 200 OK") && byPath.endsWith("\r\n\r\nstill here"), byPath);
            String longByPath = get(second.port(), "localhost", "/v/admin/" + "z".repeat(64));
            assertTrue(longByPath.endsWith("\r\n\r\nlong"), longByPath);
            assertTrue(get(second.port(), "admin--fine.vals.test", "/").endsWith("\r\n\r\nfine"));
        }
        List<String> warnings = log.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("predate the naming rule")).toList();
        assertEquals(1, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.getFirst().contains("WARN"), warnings.getFirst());
        assertTrue(warnings.getFirst().endsWith("3 name(s) predate the naming rule (lowercase letters and digits with single '-' between them,"
                + " owner + val at most 61 characters) and have no host name {owner}--{val}.VALS_DOMAIN; they stay reachable at"
                + " /v/{owner}/{val} and through the API. To give a val a host name, create it again under a name that fits: old_team, admin/"
                + "z".repeat(64) + ", old_team/my_val"), warnings.getFirst());
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
    }
}
