package dev.valence.runtime;

/** Starts the runtime from environment variables and stops it cleanly on Ctrl-C or SIGTERM, also while it is starting. */
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
            Valence valence = Valence.prepare(config);
            // before anything starts: a SIGTERM during the start waits for the service starting, then stops what started
            Runtime.getRuntime().addShutdownHook(new Thread(valence::close, "valence-shutdown"));
            valence.startServices(); // false when that stop came first: the hook is stopping the rest
        } catch (RuntimeException e) {
            System.err.println("Valence could not start: " + e.getMessage());
            System.exit(1);
        }
    }
}
