package dev.valence.runtime;

/** Starts the runtime from environment variables and stops it cleanly on Ctrl-C or SIGTERM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnv(System.getenv());
        } catch (Config.InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Valence valence = Valence.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(valence::close, "valence-shutdown"));
        } catch (RuntimeException e) {
            System.err.println("Valence could not start: " + e.getMessage());
            System.exit(1);
        }
    }
}
