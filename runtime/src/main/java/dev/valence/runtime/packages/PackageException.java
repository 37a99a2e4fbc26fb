package dev.valence.runtime.packages;

/**
 * A package import that cannot be resolved, stored or read, with a sentence saying which package,
 * which range and what to do. A save that hits one answers 400 with the message as it is.
 */
public final class PackageException extends RuntimeException {
    public PackageException(String message) {
        super(message);
    }

    public PackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
