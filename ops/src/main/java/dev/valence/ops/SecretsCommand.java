package dev.valence.ops;

import dev.valence.runtime.db.OwnerOnlyFile;
import dev.valence.runtime.secrets.EnvCipher;
import dev.valence.runtime.secrets.SecretKeys;
import dev.valence.runtime.store.EnvStore;
import dev.valence.runtime.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops secrets}: the keys environment values are sealed with. */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "Manage the keys that seal environment values in the database.",
        subcommands = {SecretsCommand.RotateKey.class})
final class SecretsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = {"Seal every environment value again with a new key.",
                    "With a key file: adds a new key to it, seals every value with that key, then removes the old keys from the file"
                            + " (running instances re-read the file). With VALENCE_SECRET_KEY (and no --key-file): seals every value with"
                            + " its last key; remove the older keys from the variable afterwards.",
                    "Exit 0 when every value is sealed with the new key, 3 when the database or the key file cannot be used."})
    static final class RotateKey implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        DatabaseOption database;

        @Option(names = "--key-file", paramLabel = "PATH", defaultValue = "${env:VALENCE_SECRET_KEY_FILE}",
                description = "The key file the runtimes use (default: $VALENCE_SECRET_KEY_FILE, else $VALENCE_DATA_DIR/secret.key"
                        + " unless VALENCE_SECRET_KEY is set).")
        Path keyFile;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            String fromEnv = System.getenv("VALENCE_SECRET_KEY");
            Path file = keyFile != null ? keyFile : fromEnv != null && !fromEnv.isBlank() ? null : defaultKeyFile();
            var dataSource = database.dataSource();
            if (file == null) {
                SecretKeys keys;
                try {
                    keys = SecretKeys.of(fromEnv);
                } catch (IllegalArgumentException e) {
                    throw new OpsException(ExitCodes.ENVIRONMENT, e.getMessage());
                }
                int sealed = reseal(new EnvStore(dataSource, new EnvCipher(keys)));
                out.println("sealed " + sealed + " values again with key " + keys.current().id() + " (the last of VALENCE_SECRET_KEY);"
                        + (keys.ids().size() > 1 ? " remove the older keys from VALENCE_SECRET_KEY and restart the instances" : ""));
                return ExitCodes.OK;
            }
            if (!Files.exists(file)) {
                throw new OpsException(ExitCodes.ENVIRONMENT, "no key file at " + file + "; pass --key-file with the file the runtimes"
                        + " use (VALENCE_SECRET_KEY_FILE, or secret.key in their VALENCE_DATA_DIR)");
            }
            List<String> lines = readKeyLines(file);
            String added = SecretKeys.newKeyText();
            var withNew = new ArrayList<>(lines);
            withNew.add(added);
            OwnerOnlyFile.replace(file, String.join("\n", withNew) + "\n");
            var keys = SecretKeys.fromFile(file);
            var oldIds = keys.ids().subList(0, keys.ids().size() - 1);
            var store = new EnvStore(dataSource, new EnvCipher(keys));
            int sealed = reseal(store);
            // an instance that wrote just before it read the new file sealed with an old key: seal those too
            sealed += reseal(store);
            OwnerOnlyFile.replace(file, added + "\n");
            out.println("sealed " + sealed + " values again with key " + keys.current().id() + "; removed the old key"
                    + (oldIds.size() == 1 ? " " : "s ") + String.join(", ", oldIds) + " from " + file);
            return ExitCodes.OK;
        }

        private int reseal(EnvStore store) {
            try {
                return store.resealWithCurrentKey();
            } catch (EnvCipher.Unreadable e) {
                throw new OpsException(ExitCodes.ENVIRONMENT, e.getMessage() + "; nothing was removed from the key file");
            } catch (StoreException e) {
                throw database.unreachable(e);
            }
        }

        private static List<String> readKeyLines(Path file) {
            try {
                var lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
                SecretKeys.parse(String.join("\n", lines), "the key file " + file);
                return lines;
            } catch (IOException e) {
                throw new OpsException(ExitCodes.ENVIRONMENT, "cannot read the key file " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new OpsException(ExitCodes.ENVIRONMENT, e.getMessage());
            }
        }

        private static Path defaultKeyFile() {
            String dataDir = System.getenv("VALENCE_DATA_DIR");
            Path dir = dataDir == null || dataDir.isBlank() ? Path.of(System.getProperty("user.home"), ".valence") : Path.of(dataDir);
            return dir.resolve("secret.key");
        }
    }
}
