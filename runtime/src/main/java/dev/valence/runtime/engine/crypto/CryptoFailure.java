package dev.valence.runtime.engine.crypto;

/**
 * A crypto operation refused with the DOMException name the WebCrypto standard gives it and a
 * sentence for the val's author; the JavaScript side rethrows it as that DOMException.
 */
final class CryptoFailure extends RuntimeException {
    /** The DOMException names WebCrypto uses for failures found on the host side. */
    enum Kind {
        DATA("DataError"),
        OPERATION("OperationError"),
        NOT_SUPPORTED("NotSupportedError"),
        INVALID_ACCESS("InvalidAccessError");

        final String domName;

        Kind(String domName) {
            this.domName = domName;
        }
    }

    final Kind kind;

    CryptoFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    CryptoFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    static CryptoFailure data(String message) {
        return new CryptoFailure(Kind.DATA, message);
    }

    static CryptoFailure data(String message, Throwable cause) {
        return new CryptoFailure(Kind.DATA, message + reason(cause), cause);
    }

    static CryptoFailure operation(String message) {
        return new CryptoFailure(Kind.OPERATION, message);
    }

    static CryptoFailure operation(String message, Throwable cause) {
        return new CryptoFailure(Kind.OPERATION, message + reason(cause), cause);
    }

    static CryptoFailure invalidAccess(String message) {
        return new CryptoFailure(Kind.INVALID_ACCESS, message);
    }

    static CryptoFailure notSupported(String message) {
        return new CryptoFailure(Kind.NOT_SUPPORTED, message);
    }

    /** The provider's own words, when it has any, after the sentence (" (the JDK says: ...)"). */
    private static String reason(Throwable cause) {
        String said = cause == null ? null : cause.getMessage();
        // the JDK nests its exceptions' class names into messages ("java.security.InvalidKeyException: ...")
        return said == null || said.isBlank() ? "" : " (the JDK says: " + said.replaceAll("[\\w.]*(Exception|Error): ", "") + ")";
    }
}
