package dev.valence.foundation.outbound;

import java.net.InetAddress;

/** A block of addresses, like 10.0.0.0/8 or fc00::/7; a single address is a block of one. */
record Cidr(InetAddress network, int prefixBits) {

    /** Parses "address" or "address/bits"; the message of the exception says what is wrong. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress network = OutboundGuard.literal(address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address);
        if (network == null) throw new IllegalArgumentException("'" + address + "' is not an IP address");
        int maxBits = network.getAddress().length * 8;
        int bits = maxBits;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > maxBits) {
                throw new IllegalArgumentException("the prefix length of '" + text + "' must be a number from 0 to " + maxBits);
            }
        }
        return new Cidr(network, bits);
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) return false;
        for (int bit = 0; bit < prefixBits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask)) return false;
        }
        return true;
    }
}
