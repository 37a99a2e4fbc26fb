package dev.valence.runtime.engine;

import java.util.List;

/** The status line and headers of a val's response, in the order the val set them. */
public record ResponseHead(int status, String statusText, List<Header> headers) {
    /** The head of an answer the platform gives for a val (an error page): a status, nothing else. */
    public static ResponseHead of(int status) {
        return new ResponseHead(status, "", List.of());
    }
}
