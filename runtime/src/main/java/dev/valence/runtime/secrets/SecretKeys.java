package dev.valence.runtime.secrets;

import dev.valence.runtime.db.OwnerOnlyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys environment values are sealed with: one or more 256-bit AES keys, the last one current
 * (new values are sealed with it), the others kept to open values sealed before a rotation.
 *
 * <p>From {@code VALENCE_SECRET_KEY} (base64 keys separated by commas or spaces), or else from a key
 * file (one base64 key per line) that the first start creates, readable by its owner only. A key file
 * is read again when it changed on disk, so {@code ops secrets rotate-key} reaches running instances
 * without a restart: they seal with the new key from their next write and open values under it.
 */
public final class SecretKeys {
    public static final int KEY_BYTES = 32;

    /** A key and its id: the first 8 bytes of its SHA-256 in hex, stored beside each value (it reveals nothing of the key). */
    public record Key(String id, SecretKey secret) {
        static Key of(byte[] bytes) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Key(HexFormat.of().formatHex(digest, 0, 8), new SecretKeySpec(bytes, "AES"));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }

        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    private final Optional<Path> file;
    private volatile List<Key> keys;
    private volatile FileTime readAt;

    private SecretKeys(Optional<Path> file, List<Key> keys, FileTime readAt) {
        this.file = file;
        this.keys = keys;
        this.readAt = readAt;
    }

    /** The keys of {@code VALENCE_SECRET_KEY}; never re-read. */
    public static SecretKeys of(String text) {
        return new SecretKeys(Optional.empty(), parse(text, "VALENCE_SECRET_KEY"), null);
    }

    /** The keys of {@code file}, made with one new random key (0600) when it does not exist yet. */
    public static SecretKeys fromFile(Path file) {
        OwnerOnlyFile.readOrCreate(file, SecretKeys::newKeyText);
        var keys = new SecretKeys(Optional.of(file), List.of(), null);
        keys.reload();
        return keys;
    }

    /** {@code VALENCE_SECRET_KEY} when set, else the key file. */
    public static SecretKeys from(Optional<String> secretKey, Path keyFile) {
        return secretKey.map(SecretKeys::of).orElseGet(() -> fromFile(keyFile));
    }

    /** A new random key, base64: what a key file line or {@code VALENCE_SECRET_KEY} holds. */
    public static String newKeyText() {
        byte[] bytes = new byte[KEY_BYTES];
        new java.security.SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The keys in {@code text}, oldest first; a sentence naming {@code source}, the key's position and
     * the rule when one is not base64 of 32 bytes.
     */
    public static List<Key> parse(String text, String source) {
        var keys = new ArrayList<Key>();
        String[] words = text.strip().split("[,\\s]+");
        for (int i = 0; i < words.length; i++) {
            if (words[i].isEmpty()) continue;
            byte[] bytes;
            try {
                bytes = (words[i].contains("-") || words[i].contains("_") ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(words[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": key " + (i + 1) + " is not base64 (" + e.getMessage()
                        + "); a key is 32 random bytes in base64, e.g. from `openssl rand -base64 32`");
            }
            if (bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException(source + ": key " + (i + 1) + " has " + bytes.length + " bytes, not " + KEY_BYTES
                        + "; a key is 32 random bytes in base64, e.g. from `openssl rand -base64 32`");
            }
            keys.add(Key.of(bytes));
        }
        if (keys.isEmpty()) throw new IllegalArgumentException(source + " holds no key; a key is 32 random bytes in base64, e.g. from `openssl rand -base64 32`");
        return List.copyOf(keys);
    }

    /** The key new values are sealed with. */
    public Key current() {
        reloadIfChanged();
        return keys.getLast();
    }

    /** The key with this id, reading a changed key file first when it is not known. */
    public Optional<Key> byId(String id) {
        Optional<Key> known = find(id);
        if (known.isPresent()) return known;
        reloadIfChanged();
        return find(id);
    }

    /** Every key's id, oldest first. */
    public List<String> ids() {
        reloadIfChanged();
        return keys.stream().map(Key::id).toList();
    }

    /** The key file, or empty when the keys come from {@code VALENCE_SECRET_KEY}. */
    public Optional<Path> file() {
        return file;
    }

    /** Where the keys come from, for messages. */
    public String source() {
        return file.map(f -> "the key file " + f).orElse("VALENCE_SECRET_KEY");
    }

    private Optional<Key> find(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    private void reloadIfChanged() {
        if (file.isEmpty()) return;
        try {
            if (!Files.getLastModifiedTime(file.get()).equals(readAt)) reload();
        } catch (IOException e) {
            // a key file that went away keeps the keys already read: values stay readable until a restart says why
        }
    }

    private synchronized void reload() {
        Path path = file.orElseThrow();
        try {
            OwnerOnlyFile.tighten(path);
            FileTime modified = Files.getLastModifiedTime(path);
            keys = parse(Files.readString(path, StandardCharsets.UTF_8), "the key file " + path);
            readAt = modified;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the key file " + path + ": " + e.getMessage()
                    + "; environment values cannot be sealed or opened without it", e);
        }
    }
}
