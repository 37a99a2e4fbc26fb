package dev.valence.cli;

/** A failure the user sees as one sentence (what went wrong and what to do) and an exit code. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String sentence) {
        super(sentence, null, false, false);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String sentence, Throwable cause) {
        super(sentence, cause, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
