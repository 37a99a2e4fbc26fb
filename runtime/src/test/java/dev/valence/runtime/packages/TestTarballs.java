package dev.valence.runtime.packages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real npm tarballs the package tests serve, listed with their sha512 integrity in
 * src/test/resources/npm-registry/tarballs.json and kept out of git: the first use fetches each with
 * {@code npm pack name@version} into target/npm-cache (the build already needs npm), and checks every
 * file against the listed integrity, so a test never runs on bytes other than the ones published.
 * A cached file whose integrity matches is reused, so only a clean build downloads.
 */
final class TestTarballs {
    private static final long NPM_TIMEOUT_S = 120;
    private static Map<String, byte[]> byFile;

    private TestTarballs() {
    }

    /** The tarball with this registry file name (as in ms-2.1.3.tgz), or null when the manifest has none. */
    static byte[] bytes(String file) {
        byte[] tarball = all().get(file);
        return tarball == null ? null : tarball.clone();
    }

    private static synchronized Map<String, byte[]> all() {
        if (byFile == null) {
            byFile = load();
        }
        return byFile;
    }

    private static Map<String, byte[]> load() {
        Path cache = cacheDirectory();
        var files = new LinkedHashMap<String, JsonObject>();
        for (Object item : manifest()) {
            String source = ((JsonObject) item).getString("source");
            files.put(source.substring(source.lastIndexOf('/') + 1), (JsonObject) item);
        }
        var missing = new LinkedHashMap<String, String>();
        files.forEach((file, entry) -> {
            Path cached = cache.resolve(file);
            if (!Files.exists(cached) || !entry.getString("integrity").equals(integrityOf(read(cached)))) {
                missing.put(file, entry.getString("name") + "@" + entry.getString("version"));
            }
        });
        if (!missing.isEmpty()) {
            pack(missing, cache);
        }
        var loaded = new LinkedHashMap<String, byte[]>();
        files.forEach((file, entry) -> {
            byte[] tarball = read(cache.resolve(file));
            String got = integrityOf(tarball);
            if (!entry.getString("integrity").equals(got)) {
                String spec = entry.getString("name") + "@" + entry.getString("version");
                throw new IllegalStateException("npm pack " + spec + " gave a tarball whose integrity is " + got + ", not the "
                        + entry.getString("integrity") + " listed in npm-registry/tarballs.json: the registry npm uses (npm config get"
                        + " registry) serves other bytes for that version; point npm at https://registry.npmjs.org, or correct the"
                        + " manifest with fetch.sh if the listed sum is wrong.");
            }
            loaded.put(file, tarball);
        });
        return Map.copyOf(loaded);
    }

    /**
     * Runs one npm pack for every missing tarball (one npm start-up, not one each) in a scratch
     * directory and moves each file into place whole, so a concurrent test never reads half of one.
     */
    private static void pack(Map<String, String> specsByFile, Path cache) {
        String specs = String.join(" ", specsByFile.values());
        try {
            Path scratch = Files.createTempDirectory(cache, "pack-");
            Path log = scratch.resolve("npm.log");
            var command = new ArrayList<>(List.of("npm", "pack", "--silent"));
            command.addAll(specsByFile.values());
            Process npm = new ProcessBuilder(command).directory(scratch.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(NPM_TIMEOUT_S, TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm pack " + specs + " did not finish within " + NPM_TIMEOUT_S + " s: the package tests"
                        + " fetch their tarballs from the npm registry once (then reuse target/npm-cache); check that this machine"
                        + " can reach the registry (npm config get registry).");
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm pack " + specs + " failed (exit " + npm.exitValue() + "), so the package tests have"
                        + " no tarballs to serve: they fetch them from the npm registry once (then reuse target/npm-cache); check that"
                        + " this machine can reach the registry (npm config get registry). npm said: "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            for (String file : specsByFile.keySet()) {
                if (!Files.exists(scratch.resolve(file))) {
                    throw new IllegalStateException("npm pack " + specsByFile.get(file) + " succeeded but wrote no " + file
                            + "; npm said: " + Files.readString(log, StandardCharsets.UTF_8).strip());
                }
                Files.move(scratch.resolve(file), cache.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.delete(log);
            Files.delete(scratch);
        } catch (IOException e) {
            throw new IllegalStateException("npm could not be run to fetch " + specs + " (" + e.getMessage() + "): the package tests"
                    + " need npm on the PATH, as the build does.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while npm fetched " + specs, e);
        }
    }

    private static JsonArray manifest() {
        byte[] json = TestRegistry.resource("tarballs.json");
        if (json == null) {
            throw new IllegalStateException("npm-registry/tarballs.json is missing from the test resources");
        }
        return new JsonArray(new String(json, StandardCharsets.UTF_8));
    }

    /** runtime/target/npm-cache: beside test-classes, so mvn clean empties it and git never sees it. */
    private static Path cacheDirectory() {
        try {
            Path testClasses = Path.of(TestTarballs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.createDirectories(testClasses.getParent().resolve("npm-cache"));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String integrityOf(byte[] bytes) {
        try {
            return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
