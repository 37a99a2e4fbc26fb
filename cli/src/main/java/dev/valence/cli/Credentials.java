package dev.valence.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * Where the command line keeps the server's URL, the user's name and their API token:
 * {@code $XDG_CONFIG_HOME/valence/credentials} (or {@code ~/.config/valence/credentials}), readable only
 * by the user. {@code VALENCE_URL} and {@code VALENCE_TOKEN} in the environment take precedence (for CI).
 */
record Credentials(String url, String user, String token) {
    static final String DEFAULT_URL = "http://localhost:8080";

    static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return config.resolve("valence").resolve("credentials");
    }

    /** The signed-in credentials; a sentence saying how to sign in when there are none. */
    static Credentials load(Map<String, String> env) {
        Path file = file(env);
        var properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new CliException(ExitCodes.ENVIRONMENT, "Could not read " + file + " (" + e.getMessage() + "); check its permissions,"
                        + " or sign in again with 'valence vals login'.", e);
            }
        }
        String url = env.getOrDefault("VALENCE_URL", properties.getProperty("url"));
        String token = env.getOrDefault("VALENCE_TOKEN", properties.getProperty("token"));
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCodes.ENVIRONMENT, "You are not signed in: " + file + " does not exist."
                    + " Run 'valence vals login' with an API token (the admin's is in ~/.valence/bootstrap-token), or set VALENCE_TOKEN.");
        }
        return new Credentials(url == null ? DEFAULT_URL : url, properties.getProperty("user"), token.trim());
    }

    /** Writes the file as a new file readable only by its owner, then moves it over the old one. */
    void save(Map<String, String> env) {
        Path file = file(env);
        var properties = new Properties();
        properties.setProperty("url", url);
        if (user != null) properties.setProperty("user", user);
        properties.setProperty("token", token);
        try {
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            try {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new IOException("another login is writing " + temporary, e);
            }
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "Valence command line: the server and your API token (keep this file private)");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, "Could not write " + file + " (" + e.getMessage() + "); check that its folder is yours and writable.", e);
        }
    }
}
