package dev.valence.foundation.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Hands a freshly made secret to the person starting the platform: printed once, and written to a
 * file that only its owner can read (created with those permissions, never widened afterwards).
 * Used for the first admin token and the first team token.
 */
public final class SecretHandout {
    private SecretHandout() {}

    /** Writes {@code secret} to {@code file} (mode 0600) and prints it under {@code headline}. */
    public static void handOut(String headline, String secret, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("Could not write " + file + " (" + e.getMessage() + "); the secret is printed below: keep it.");
        }
        System.out.println();
        System.out.println("  " + headline + " (shown once, also in " + file + "):");
        System.out.println();
        System.out.println("    " + secret);
        System.out.println();
    }
}
