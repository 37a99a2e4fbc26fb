package dev.valence.ops.backup;

/** A backup or restore that cannot go on, worded for the operator; {@code refused} when the input (not the environment) is at fault. */
public final class BackupException extends RuntimeException {
    private final boolean refused;

    BackupException(boolean refused, String message) {
        super(message);
        this.refused = refused;
    }

    BackupException(boolean refused, String message, Throwable cause) {
        super(message, cause);
        this.refused = refused;
    }

    /** The file or the target database was not acceptable (as opposed to a failed disk or database). */
    public boolean refused() {
        return refused;
    }
}
