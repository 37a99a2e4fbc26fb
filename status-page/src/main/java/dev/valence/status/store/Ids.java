package dev.valence.status.store;

import java.security.SecureRandom;

/** Stable string ids of 12 lowercase letters and digits, like Statuspage's. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Ids() {}

    public static String next() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        return new String(id);
    }
}
