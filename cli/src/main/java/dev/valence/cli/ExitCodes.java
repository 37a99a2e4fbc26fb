package dev.valence.cli;

/** Exit codes, the same as the ops command line's, so scripts treat both alike. */
public final class ExitCodes {
    /** It worked. */
    public static final int OK = 0;
    /** The command ran and the server or the folder said no: a stale version, a syntax error, a missing val. */
    public static final int REFUSED = 1;
    /** The command line was wrong (picocli's usage errors use this too). */
    public static final int USAGE = 2;
    /** The environment failed: the server unreachable or failing, not signed in, files unreadable. */
    public static final int ENVIRONMENT = 3;

    private ExitCodes() {}
}
