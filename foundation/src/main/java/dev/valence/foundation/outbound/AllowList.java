package dev.valence.foundation.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@value OutboundGuard#ALLOW_VARIABLE} lets webhooks reach despite the guard: host names (the
 * host as written in the URL; whatever it resolves to is then trusted), IP addresses and CIDR blocks.
 * Empty by default, which refuses every reserved address.
 */
public final class AllowList {
    public static final AllowList NONE = new AllowList(Set.of(), List.of());
    private static final String HOST_NAME = "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*";

    private final Set<String> hosts;
    private final List<Cidr> networks;

    private AllowList(Set<String> hosts, List<Cidr> networks) {
        this.hosts = Set.copyOf(hosts);
        this.networks = List.copyOf(networks);
    }

    /**
     * Parses a comma-separated list like {@code 127.0.0.1,10.0.0.0/8,hooks.internal}; null or blank is
     * {@link #NONE}. The exception names the variable, the rule and the entry that breaks it.
     */
    public static AllowList parse(String spec) {
        return parse(spec, OutboundGuard.ALLOW_VARIABLE);
    }

    /** Like {@link #parse(String)}, naming {@code variable} in the exception. */
    public static AllowList parse(String spec, String variable) {
        if (spec == null || spec.isBlank()) return NONE;
        var hosts = new LinkedHashSet<String>();
        var networks = new ArrayList<Cidr>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.endsWith(".")) entry = entry.substring(0, entry.length() - 1);
            if (entry.isEmpty()) continue;
            if (entry.contains("/") || OutboundGuard.literal(entry) != null || entry.startsWith("[")) {
                try {
                    networks.add(Cidr.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw invalid(variable, raw, e.getMessage());
                }
            } else if (entry.matches(HOST_NAME)) {
                hosts.add(entry);
            } else {
                throw invalid(variable, raw, "it is neither a host name nor an IP address");
            }
        }
        return new AllowList(hosts, networks);
    }

    private static IllegalArgumentException invalid(String variable, String entry, String why) {
        return new IllegalArgumentException(variable + " must be a comma-separated list of host names, IP addresses"
                + " and CIDR blocks (like 127.0.0.1,10.0.0.0/8,hooks.internal); '" + entry.trim() + "' is not one: " + why + ".");
    }

    boolean permitsHost(String host) {
        return hosts.contains(host);
    }

    boolean permits(InetAddress address) {
        return networks.stream().anyMatch(n -> n.contains(address));
    }

    @Override
    public String toString() {
        var entries = new ArrayList<String>(hosts);
        networks.forEach(n -> entries.add(n.network().getHostAddress() + "/" + n.prefixBits()));
        return entries.isEmpty() ? "(none)" : String.join(",", entries);
    }
}
