package dev.valence.foundation.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link OutboundGuard#check}: the addresses a caller then connects to, and refusals naming the caller's setting. */
class OutboundGuardCheckTest {
    private static final String VARIABLE = "VAL_FETCH_ALLOW";

    private static OutboundGuard guard(String allow, String... answer) {
        return new OutboundGuard(AllowList.parse(allow, VARIABLE), host -> {
            var addresses = new InetAddress[answer.length];
            for (int i = 0; i < answer.length; i++) addresses[i] = InetAddress.ofLiteral(answer[i]);
            return addresses;
        }, VARIABLE);
    }

    @Test
    void a_public_host_is_checked_and_its_addresses_returned_for_pinning() throws Exception {
        var verdict = guard(null, "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c").check("Example.COM.");
        assertEquals(Optional.empty(), verdict.refusal());
        assertEquals(List.of(InetAddress.ofLiteral("93.184.215.14"), InetAddress.ofLiteral("2606:2800:21f:cb07:6820:80da:af6b:8b2c")),
                verdict.addresses());
    }

    @Test
    void one_reserved_address_refuses_the_host_and_the_message_names_the_setting() throws Exception {
        var verdict = guard(null, "93.184.215.14", "10.1.2.3").check("rebind.example");
        assertEquals(Optional.of("refused: rebind.example resolves to 10.1.2.3, a private address; allow it with VAL_FETCH_ALLOW"),
                verdict.refusal());
        assertEquals(Optional.of("refused: fd00:ec2:0:0:0:0:0:254 is a cloud metadata address; allow it with VAL_FETCH_ALLOW"),
                guard(null).check("[fd00:ec2::254]").refusal());
    }

    @Test
    void the_allow_list_opens_hosts_and_networks() throws Exception {
        assertEquals(Optional.empty(), guard("localhost", "127.0.0.1").check("localhost").refusal());
        assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1")), guard("localhost", "127.0.0.1").check("localhost").addresses());
        assertEquals(Optional.empty(), guard("10.0.0.0/8", "10.9.9.9").check("internal.example").refusal());
        assertEquals(Optional.of("refused: 127.0.0.1 is a loopback address; allow it with VAL_FETCH_ALLOW"),
                guard("localhost").check("127.0.0.1").refusal());
    }

    @Test
    void a_bad_allow_list_names_its_variable() {
        var e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse("10.0.0.0/99", VARIABLE));
        assertEquals("VAL_FETCH_ALLOW must be a comma-separated list of host names, IP addresses and CIDR blocks (like 127.0.0.1,10.0.0.0/8,hooks.internal);"
                + " '10.0.0.0/99' is not one: the prefix length of '10.0.0.0/99' must be a number from 0 to 32.", e.getMessage());
    }
}
