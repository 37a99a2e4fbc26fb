package dev.valence.runtime;

import dev.valence.runtime.store.TokenStore;
import dev.valence.runtime.store.User;
import dev.valence.runtime.store.UserStore;
import dev.valence.foundation.secrets.SecretHandout;
import java.nio.file.Path;
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
        SecretHandout.handOut("Created the admin user. Its API token", secret, dataDir.resolve(TOKEN_FILE));
        return Optional.of(secret);
    }
}
