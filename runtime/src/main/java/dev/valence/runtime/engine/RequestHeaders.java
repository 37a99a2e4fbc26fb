package dev.valence.runtime.engine;

import java.util.List;

/**
 * A request's headers as the val will see them, in the prelude's wire form (name NUL value NUL ...,
 * names in lower case). The guest Request asks for them the first time the val reads
 * {@code request.headers}, so a val that never does costs no header string; the answer must be the
 * same whenever (and on whichever thread) it is asked.
 */
@FunctionalInterface
public interface RequestHeaders {
    String wire();

    /** Headers known already (the JIT's warm-up, tests): joined once, now. */
    static RequestHeaders of(List<Header> headers) {
        String wire = ValContext.joined(headers);
        return () -> wire;
    }
}
