package dev.valence.foundation.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OutboundGuardTest {
    /** Host names of these tests resolve here only; literals never reach a resolver. */
    private static final Map<String, String[]> DNS = Map.of(
            "hooks.example.com", new String[] {"93.184.216.34"},
            "split.example.com", new String[] {"93.184.216.34", "10.0.0.5"},
            "rebound.example.com", new String[] {"169.254.169.254"},
            "v6.example.com", new String[] {"2606:4700::1", "fd12:3456::1"},
            "internal.example.com", new String[] {"10.1.2.3"});

    private static OutboundGuard guard(String allow) {
        return new OutboundGuard(AllowList.parse(allow), host -> {
            String[] addresses = DNS.get(host);
            if (addresses == null) throw new UnknownHostException(host);
            var result = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) result[i] = InetAddress.ofLiteral(addresses[i]);
            return result;
        });
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1,       LOOPBACK",
            "127.8.9.10,      LOOPBACK",
            "::1,             LOOPBACK",
            "10.0.0.5,        PRIVATE",
            "172.16.0.1,      PRIVATE",
            "172.31.255.255,  PRIVATE",
            "192.168.1.1,     PRIVATE",
            "100.64.0.1,      PRIVATE",
            "fc00::1,         PRIVATE",
            "fdff:ffff::1,    PRIVATE",
            "169.254.0.1,     LINK_LOCAL",
            "fe80::1,         LINK_LOCAL",
            "0.0.0.0,         UNSPECIFIED",
            "0.1.2.3,         UNSPECIFIED",
            "::,              UNSPECIFIED",
            "224.0.0.1,       MULTICAST",
            "ff02::1,         MULTICAST",
            "255.255.255.255, BROADCAST",
            "169.254.169.254, METADATA",
            "fd00:ec2::254,   METADATA",
            "100.100.100.200, METADATA",
            "::ffff:10.0.0.1, PRIVATE",
            "::127.0.0.1,     LOOPBACK",
            "64:ff9b::a9fe:a9fe, METADATA",
            "64:ff9b::c0a8:0101, PRIVATE",
            "192.0.0.8,       PRIVATE",
            "198.18.0.1,      PRIVATE",
            "198.19.255.255,  PRIVATE",
            "240.0.0.1,       PRIVATE",
            "64:ff9b:1::a00:1, PRIVATE",
            "2002:a9fe:a9fe::1, METADATA",
            "2002:7f00:1::1,  LOOPBACK",
            "2002:c0a8:101::1, PRIVATE",
    })
    void reserved_addresses_are_classified(String address, OutboundGuard.Reserved expected) {
        assertEquals(Optional.of(expected), OutboundGuard.classify(InetAddress.ofLiteral(address)));
    }

    @ParameterizedTest(name = "{0} is public")
    @CsvSource({"93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "8.8.8.8", "2606:4700::1", "64:ff9b::808:808", "198.20.0.1", "2002:808:808::1"})
    void public_addresses_pass(String address) {
        assertEquals(Optional.empty(), OutboundGuard.classify(InetAddress.ofLiteral(address)));
    }

    @ParameterizedTest(name = "{0} with allow list ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "http://10.0.0.5/hooks                  | -                    | refused: 10.0.0.5 is a private address; allow it with WEBHOOK_ALLOW_HOSTS",
            "http://169.254.169.254/latest/         | -                    | refused: 169.254.169.254 is a cloud metadata address; allow it with WEBHOOK_ALLOW_HOSTS",
            "http://[::1]:8080/                     | -                    | refused: 0:0:0:0:0:0:0:1 is a loopback address; allow it with WEBHOOK_ALLOW_HOSTS",
            "https://hooks.example.com/x            | -                    | -",
            "https://split.example.com/x            | -                    | refused: split.example.com resolves to 10.0.0.5, a private address; allow it with WEBHOOK_ALLOW_HOSTS",
            "https://rebound.example.com/x          | -                    | refused: rebound.example.com resolves to 169.254.169.254, a cloud metadata address; allow it with WEBHOOK_ALLOW_HOSTS",
            "https://v6.example.com/x               | -                    | refused: v6.example.com resolves to fd12:3456:0:0:0:0:0:1, a private address; allow it with WEBHOOK_ALLOW_HOSTS",
            "http://127.0.0.1:9000/                 | 127.0.0.1            | -",
            "http://127.0.0.2:9000/                 | 127.0.0.1            | refused: 127.0.0.2 is a loopback address; allow it with WEBHOOK_ALLOW_HOSTS",
            "http://10.9.8.7/                       | 10.0.0.0/8           | -",
            "https://split.example.com/x            | 10.0.0.0/24          | -",
            "https://internal.example.com/x         | Internal.Example.COM | -",
            "https://INTERNAL.example.com./x        | internal.example.com | -",
            "https://internal.example.com/x         | other.example.com    | refused: internal.example.com resolves to 10.1.2.3, a private address; allow it with WEBHOOK_ALLOW_HOSTS",
            "http://[fd12::1]/                      | fd12::/16            | -",
    })
    void urls_are_checked_after_resolution_unless_allowed(String url, String allow, String expected) throws Exception {
        assertEquals(Optional.ofNullable(expected), guard(allow).refusal(URI.create(url)));
    }

    @Test
    void a_host_that_does_not_resolve_is_an_error_to_retry_not_a_refusal() {
        assertThrows(UnknownHostException.class, () -> guard(null).refusal(URI.create("https://nowhere.example.com/")));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33      | WEBHOOK_ALLOW_HOSTS must be a comma-separated list of host names, IP addresses and CIDR blocks (like 127.0.0.1,10.0.0.0/8,hooks.internal); '10.0.0.0/33' is not one: the prefix length of '10.0.0.0/33' must be a number from 0 to 32.",
            "127.0.0.1,fc00::/x | WEBHOOK_ALLOW_HOSTS must be a comma-separated list of host names, IP addresses and CIDR blocks (like 127.0.0.1,10.0.0.0/8,hooks.internal); 'fc00::/x' is not one: the prefix length of 'fc00::/x' must be a number from 0 to 128.",
            "example.com/8    | WEBHOOK_ALLOW_HOSTS must be a comma-separated list of host names, IP addresses and CIDR blocks (like 127.0.0.1,10.0.0.0/8,hooks.internal); 'example.com/8' is not one: 'example.com' is not an IP address.",
            "*.internal       | WEBHOOK_ALLOW_HOSTS must be a comma-separated list of host names, IP addresses and CIDR blocks (like 127.0.0.1,10.0.0.0/8,hooks.internal); '*.internal' is not one: it is neither a host name nor an IP address.",
    })
    void a_bad_allow_list_names_the_variable_the_rule_and_the_entry(String spec, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> AllowList.parse(spec)).getMessage());
    }

    @Test
    void an_allow_list_reads_hosts_addresses_and_blocks() {
        assertEquals("hooks.internal,127.0.0.1/32,10.0.0.0/8,0:0:0:0:0:0:0:1/128",
                AllowList.parse(" hooks.internal , 127.0.0.1,10.0.0.0/8,,[::1]").toString());
        assertEquals("(none)", AllowList.parse("  ").toString());
    }
}
