package dev.valence.runtime;

import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.UserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * First start on an empty database: creates the admin user and its token, prints the token once and
 * writes it to {@code bootstrap-token} in the data folder, readable only by its owner. When several
 * instances start at once, the unique user name decides which one does it.
 */
final class Bootstrap {
    static final String ADMIN = "admin";
    static final String TOKEN_FILE = "bootstrap-token";

    private Bootstrap() {}

    /** @return the new admin token when this call created the admin, empty otherwise */
    static Optional<String> ensureAdmin(UserStore users, TokenStore tokens, Path dataDir) {
        if (users.any()) return Optional.empty();
        Optional<User> admin = users.create(ADMIN, User.Role.ADMIN);
        if (admin.isEmpty()) return Optional.empty();
        String secret = tokens.create(admin.get().id(), "bootstrap").secret();
        Path file = dataDir.resolve(TOKEN_FILE);
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("Could not write the bootstrap token to " + file + ": " + e.getMessage()
                    + ". It is printed below; keep it.");
        }
        System.out.println();
        System.out.println("  Created the admin user. Its API token (shown once, also in " + file + "):");
        System.out.println();
        System.out.println("    " + secret);
        System.out.println();
        return Optional.of(secret);
    }
}
