package dev.valence.ops;

/** Exit codes every subcommand keeps, so scripts can rely on them. */
public final class ExitCodes {
    /** It worked; nothing to report (lint clean, gate open, migration applied). */
    public static final int OK = 0;
    /** The command ran and said no: lint errors, a closed gate, a refused migration, failing N-1 tests. */
    public static final int REFUSED = 1;
    /** The command line was wrong (picocli's usage errors use this too). */
    public static final int USAGE = 2;
    /** The environment failed: database unreachable, build failed, files unreadable. */
    public static final int ENVIRONMENT = 3;

    private ExitCodes() {}
}
