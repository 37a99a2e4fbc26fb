package dev.valence.runtime.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A secret kept in a file only its owner may read or write (0600): created with those permissions
 * (never readable by others, not even for a moment), and tightened again when found looser.
 */
public final class OwnerOnlyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom random = new SecureRandom();

    private OwnerOnlyFile() {}

    /** The file's first line, or {@code created} written to a new file when there is none yet. */
    public static String readOrCreate(Path file, Supplier<String> created) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                // written in full under another name, then linked into place: two instances starting at once on a
                // shared folder both end up with the one secret that got there first, never an empty file
                Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".new",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                try {
                    Files.writeString(temporary, created.get() + "\n", StandardCharsets.UTF_8);
                    Files.createLink(file, temporary);
                } catch (FileAlreadyExistsException anotherProcessWon) {
                    // read what it wrote
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException noHardLinksHere) {
                    try {
                        Files.move(temporary, file);
                    } catch (FileAlreadyExistsException anotherProcessWon) {
                        // read what it wrote
                    }
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            tighten(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            if (secret.isEmpty()) throw new IllegalStateException(file + " is empty; delete it to have a new secret made");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} to {@code file} through a 0600 temporary file and an atomic move. */
    public static void replace(Path file, String text) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets 0600 on a file an older release or a hand may have left readable by others. */
    public static void tighten(Path file) throws IOException {
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) Files.setPosixFilePermissions(file, OWNER_ONLY);
    }

    /** {@code bytes} random bytes, base64url without padding (safe in SQL literals, URLs and files). */
    public static String randomSecret(int bytes) {
        byte[] secret = new byte[bytes];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
