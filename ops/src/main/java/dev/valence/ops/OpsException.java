package dev.valence.ops;

/** A failure worded for the operator (who, what, the next step) with the exit code it ends in. */
final class OpsException extends RuntimeException {
    private final int exitCode;

    OpsException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    OpsException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
