package dev.valence.foundation.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps webhooks (and vals' fetch) off addresses a subscriber should not be able to reach through
 * us: loopback, private, shared (carrier-grade NAT), link-local, unspecified, multicast, broadcast and
 * cloud metadata addresses, this machine's own interface addresses (a public one reaches the services
 * listening on it), the documentation ranges, and the other blocks RFC 6890's special-purpose
 * registries mark as not globally reachable. A host name is resolved and every address it resolves to is checked; one bad
 * address refuses the URL. {@link AllowList} ({@value #ALLOW_VARIABLE}) lets chosen hosts through.
 *
 * <p>DNS rebinding: the JDK HttpClient resolves the host again itself and offers no way to hand it
 * the checked address (no per-client resolver; {@code Host} is a restricted header). Its lookup
 * comes right after ours and is answered from the JVM's address cache that ours just used
 * ({@code networkaddress.cache.ttl}, 30 s by default), so it gets the addresses checked here unless
 * that cache entry expires in between. Redirects are never followed and no proxy is used.
 */
public final class OutboundGuard {
    public static final String ALLOW_VARIABLE = "WEBHOOK_ALLOW_HOSTS";

    /** Looks up every address of a host name. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why an address is not for webhooks. */
    enum Reserved {
        METADATA("a cloud metadata address"),
        UNSPECIFIED("an unspecified address"),
        LOOPBACK("a loopback address"),
        LINK_LOCAL("a link-local address"),
        MULTICAST("a multicast address"),
        BROADCAST("a broadcast address"),
        PRIVATE("a private address");

        final String description;

        Reserved(String description) {
            this.description = description;
        }
    }

    private static final Set<InetAddress> METADATA = Set.of(
            InetAddress.ofLiteral("169.254.169.254"),   // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
            InetAddress.ofLiteral("fd00:ec2::254"),     // AWS over IPv6
            InetAddress.ofLiteral("100.100.100.200"));  // Alibaba Cloud
    /** Not globally routable: unique-local IPv6, CGNAT, IETF protocol assignments, benchmarking, reserved, local-use NAT64. */
    private static final List<Cidr> PRIVATE = List.of(Cidr.parse("fc00::/7"), Cidr.parse("100.64.0.0/10"), Cidr.parse("192.0.0.0/24"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("240.0.0.0/4"), Cidr.parse("64:ff9b:1::/48"));
    /** 6to4: the IPv4 address sits in bytes 2 to 5. */
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final InetAddress BROADCAST = InetAddress.ofLiteral("255.255.255.255");

    /** A special-purpose block and how a refusal names it. */
    private record Block(Cidr cidr, String description) {}

    /**
     * Blocks IANA's special-purpose registries (RFC 6890 and its updates) mark as not globally
     * reachable and that the checks above do not already cover. A globally reachable block inside one
     * of them (2001::/23 holds some) is listed in {@link #GLOBAL_INSIDE_BLOCKS}.
     */
    private static final List<Block> NOT_GLOBAL = List.of(
            new Block(Cidr.parse("192.0.2.0/24"), "a documentation address (TEST-NET-1, RFC 5737)"),
            new Block(Cidr.parse("198.51.100.0/24"), "a documentation address (TEST-NET-2, RFC 5737)"),
            new Block(Cidr.parse("203.0.113.0/24"), "a documentation address (TEST-NET-3, RFC 5737)"),
            new Block(Cidr.parse("2001:db8::/32"), "a documentation address (2001:db8::/32, RFC 3849)"),
            new Block(Cidr.parse("3fff::/20"), "a documentation address (3fff::/20, RFC 9637)"),
            new Block(Cidr.parse("192.88.99.0/24"), "not a globally routable address (192.88.99.0/24, RFC 6890)"),
            new Block(Cidr.parse("100::/64"), "not a globally routable address (100::/64, RFC 6890)"),
            new Block(Cidr.parse("2001::/23"), "not a globally routable address (2001::/23, RFC 6890)"),
            new Block(Cidr.parse("5f00::/16"), "not a globally routable address (5f00::/16, RFC 9602)"));
    /** Anycast and other blocks inside 2001::/23 that the registry marks globally reachable. */
    private static final List<Cidr> GLOBAL_INSIDE_BLOCKS = List.of(Cidr.parse("2001:1::1/128"), Cidr.parse("2001:1::2/128"),
            Cidr.parse("2001:1::3/128"), Cidr.parse("2001:3::/32"), Cidr.parse("2001:4:112::/48"), Cidr.parse("2001:20::/28"),
            Cidr.parse("2001:30::/28"));
    static final String OWN_ADDRESS = "an address of this machine";
    /** Interfaces come and go (DHCP, containers): their addresses are read again after this long. */
    private static final long OWN_ADDRESSES_TTL_NS = 30_000_000_000L;

    private final AllowList allow;
    private final Resolver resolver;
    private final String allowVariable;
    private final java.util.function.Supplier<Set<InetAddress>> interfaceAddresses;
    /**
     * The machine's addresses as last read. Reading them takes 0.5-2 s in a container, so it never
     * happens on a request: the first read starts with the guard (a check waits for it only if it comes
     * sooner), later ones in the background while the previous set keeps answering.
     */
    private volatile java.util.concurrent.CompletableFuture<Set<InetAddress>> ownAddresses;
    private volatile long ownAddressesReadNs;
    private final java.util.concurrent.atomic.AtomicBoolean rereading = new java.util.concurrent.atomic.AtomicBoolean();

    public OutboundGuard(AllowList allow) {
        this(allow, InetAddress::getAllByName, ALLOW_VARIABLE);
    }

    /** A guard whose refusals name {@code allowVariable} as the setting that opens it (vals' fetch uses its own). */
    public OutboundGuard(AllowList allow, String allowVariable) {
        this(allow, InetAddress::getAllByName, allowVariable);
    }

    OutboundGuard(AllowList allow, Resolver resolver) {
        this(allow, resolver, ALLOW_VARIABLE);
    }

    OutboundGuard(AllowList allow, Resolver resolver, String allowVariable) {
        this(allow, resolver, allowVariable, OutboundGuard::readInterfaceAddresses);
    }

    OutboundGuard(AllowList allow, Resolver resolver, String allowVariable, java.util.function.Supplier<Set<InetAddress>> interfaceAddresses) {
        this.allow = allow;
        this.resolver = resolver;
        this.allowVariable = allowVariable;
        this.interfaceAddresses = interfaceAddresses;
        this.ownAddresses = java.util.concurrent.CompletableFuture.supplyAsync(interfaceAddresses, OutboundGuard::startReader);
        this.ownAddressesReadNs = System.nanoTime();
    }

    private static Set<InetAddress> readInterfaceAddresses() {
        try {
            return java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        } catch (java.net.SocketException e) {
            return Set.of(); // the other checks still hold: private and loopback addresses stay refused
        }
    }

    /**
     * A platform thread: listing interfaces is native code, which would pin a virtual thread's carrier
     * for its 0.5-2 s and stall the fetches' own virtual threads meanwhile.
     */
    private static void startReader(Runnable read) {
        Thread.ofPlatform().daemon().name("valence-interface-addresses").start(read);
    }

    private Set<InetAddress> ownAddresses() {
        var current = ownAddresses;
        if (System.nanoTime() - ownAddressesReadNs > OWN_ADDRESSES_TTL_NS && current.isDone() && rereading.compareAndSet(false, true)) {
            startReader(() -> {
                try {
                    ownAddresses = java.util.concurrent.CompletableFuture.completedFuture(interfaceAddresses.get());
                    ownAddressesReadNs = System.nanoTime();
                } finally {
                    rereading.set(false);
                }
            });
        }
        return current.join();
    }

    /**
     * Why an address is refused, as the refusal names it; empty when it may be reached. The machine's
     * own addresses come first, so a private one is named for what it is here; loopback keeps its name.
     */
    private Optional<String> why(InetAddress address) {
        if (!address.isLoopbackAddress() && !address.isAnyLocalAddress() && ownAddresses().contains(address)) {
            return Optional.of(OWN_ADDRESS);
        }
        Optional<Reserved> reserved = classify(address);
        if (reserved.isPresent()) return Optional.of(reserved.get().description);
        if (GLOBAL_INSIDE_BLOCKS.stream().anyMatch(c -> c.contains(address))) return Optional.empty();
        return NOT_GLOBAL.stream().filter(b -> b.cidr().contains(address)).map(Block::description).findFirst();
    }

    /**
     * The outcome of checking one host: why it is refused, or the addresses it resolved to (all of them
     * checked), so that a caller can connect to exactly those and a second DNS answer cannot differ.
     */
    public record Verdict(Optional<String> refusal, List<InetAddress> addresses) {}

    /** Resolves {@code host} (a name or an IP literal, without brackets) and checks every address. */
    public Verdict check(String host) throws UnknownHostException {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        InetAddress literal = literal(h);
        InetAddress[] addresses = literal != null ? new InetAddress[] {literal} : resolver.resolve(h);
        if (allow.permitsHost(h)) return new Verdict(Optional.empty(), List.of(addresses));
        for (InetAddress address : addresses) {
            if (allow.permits(address)) continue;
            Optional<String> why = why(address);
            if (why.isPresent()) {
                String what = literal != null ? address.getHostAddress() + " is " : h + " resolves to " + address.getHostAddress() + ", ";
                return new Verdict(Optional.of("refused: " + what + why.get() + "; allow it with " + allowVariable), List.of(addresses));
            }
        }
        return new Verdict(Optional.empty(), List.of(addresses));
    }

    /**
     * Why a webhook to this URL is refused ("refused: 10.0.0.5 is a private address; allow it with
     * WEBHOOK_ALLOW_HOSTS"), or empty when it may be sent.
     */
    public Optional<String> refusal(URI url) throws UnknownHostException {
        String host = host(url);
        if (allow.permitsHost(host)) return Optional.empty();
        InetAddress literal = literal(host);
        InetAddress[] addresses = literal != null ? new InetAddress[] {literal} : resolver.resolve(host);
        for (InetAddress address : addresses) {
            if (allow.permits(address)) continue;
            Optional<String> why = why(address);
            if (why.isPresent()) {
                String what = literal != null ? address.getHostAddress() + " is " : host + " resolves to " + address.getHostAddress() + ", ";
                return Optional.of("refused: " + what + why.get() + "; allow it with " + allowVariable);
            }
        }
        return Optional.empty();
    }

    /** The reserved range an address is in, if any; IPv4 embedded in IPv6 is checked as IPv4. */
    static Optional<Reserved> classify(InetAddress address) {
        if (METADATA.contains(address)) return Optional.of(Reserved.METADATA);
        if (address.isAnyLocalAddress() || THIS_NETWORK.contains(address)) return Optional.of(Reserved.UNSPECIFIED);
        if (address.isLoopbackAddress()) return Optional.of(Reserved.LOOPBACK);
        if (address.isLinkLocalAddress()) return Optional.of(Reserved.LINK_LOCAL);
        if (address.isMulticastAddress()) return Optional.of(Reserved.MULTICAST);
        if (address.equals(BROADCAST)) return Optional.of(Reserved.BROADCAST);
        if (address.isSiteLocalAddress() || PRIVATE.stream().anyMatch(c -> c.contains(address))) return Optional.of(Reserved.PRIVATE);
        if (address instanceof Inet6Address v6 && SIX_TO_FOUR.contains(v6)) {
            try {
                return classify(InetAddress.getByAddress(Arrays.copyOfRange(v6.getAddress(), 2, 6)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        if (address instanceof Inet6Address v6 && (v6.isIPv4CompatibleAddress() || NAT64.contains(v6))) {
            try {
                return classify(InetAddress.getByAddress(Arrays.copyOfRange(v6.getAddress(), 12, 16)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        return Optional.empty();
    }

    /**
     * A subscriber URL as it will be stored: absolute http or https with a host, no credentials, no
     * fragment, at most 2000 characters; the scheme lower-cased. The message of the exception says
     * what is wrong, for a 400.
     */
    public static String validUrl(String text) {
        if (text.length() > 2000) throw new IllegalArgumentException("'url' may be at most 2000 characters.");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'url' is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ").");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'url' must be an http:// or https:// URL; got " + (scheme.isEmpty() ? "no scheme" : "'" + scheme + ":'") + ".");
        }
        if (uri.isOpaque() || uri.getHost() == null) throw new IllegalArgumentException("'url' must name a host, like https://hooks.example.com/status.");
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'url' must not carry credentials; check the X-Valence-Signature header instead.");
        }
        if (uri.getRawFragment() != null) throw new IllegalArgumentException("'url' must not have a #fragment.");
        return scheme + text.substring(scheme.length());
    }

    /** The host of a URL as the guard compares it: lower case, without IPv6 brackets or a trailing dot. */
    public static String host(URI url) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** The address a host names literally, without a DNS lookup; null for a host name. */
    static InetAddress literal(String host) {
        if (!host.contains(":") && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return null;
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
