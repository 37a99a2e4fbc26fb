package dev.valence.runtime.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The networks (TRUSTED_PROXIES: IP addresses and CIDRs) whose requests' X-Forwarded-* headers are
 * believed: the load balancer or reverse proxy in front of Valence, and nothing else. Host names are
 * refused, since a request's peer is an address and a name could change what it means.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) return false;
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) if (address[i] != prefix[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** Parses {@code 10.0.0.0/8,127.0.0.1,::1}; the exception names the variable, the rule and the entry. */
    public static TrustedProxies parse(String spec, String variable) {
        if (spec == null || spec.isBlank()) return NONE;
        var networks = new ArrayList<Network>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) continue;
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException(variable + " must be a comma-separated list of IP addresses and CIDRs"
                        + " (such as 10.0.0.0/8,127.0.0.1), got '" + raw.trim() + "': it is not an IP address");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException(variable + " has '" + raw.trim() + "': the prefix length must be 0-"
                            + address.length * 8);
                }
            }
            networks.add(new Network(address, bits));
        }
        return new TrustedProxies(networks);
    }

    /** Whether requests from this peer address (an IP literal) come from a trusted proxy. */
    public boolean trusts(String peer) {
        if (networks.isEmpty() || peer == null) return false;
        byte[] address = literal(peer.toLowerCase(Locale.ROOT));
        if (address == null) return false;
        for (Network network : networks) if (network.contains(address)) return true;
        return false;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** The bytes of an IPv4 or IPv6 literal (brackets allowed), or null when it is not one; never a DNS lookup. */
    private static byte[] literal(String text) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = host.contains(":") && host.matches("[0-9a-f:.%]+");
        if (!v4 && !v6) return null;
        try {
            // a literal never causes a lookup; an IPv4-mapped IPv6 literal (::ffff:10.0.0.1) comes back as its IPv4 address
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
