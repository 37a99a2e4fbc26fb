package dev.valence.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DatabaseTextTest {
    @Test
    void text_replaces_every_nul_and_leaves_the_rest() {
        assertEquals("a\uFFFDb\uFFFD", DatabaseText.text("a\u0000b\u0000"));
        assertEquals("plain", DatabaseText.text("plain"));
        assertNull(DatabaseText.text(null));
    }

    @Test
    void json_replaces_the_nul_escape_as_json_reads_it_and_nothing_that_only_looks_like_one() {
        String encoded = new JsonObject().put("subject", "hi\u0000there").put("path", "C:\\u0000x").encode();
        // Vert.x writes U+0000 as \u0000 and a backslash as \\; only the first is a NUL
        assertEquals("{\"subject\":\"hi\\u0000there\",\"path\":\"C:\\\\u0000x\"}", encoded);
        JsonObject read = new JsonObject(DatabaseText.json(encoded));
        assertEquals("hi\uFFFDthere", read.getString("subject"));
        assertEquals("C:\\u0000x", read.getString("path"));
        assertEquals("{\"a\":1}", DatabaseText.json("{\"a\":1}"));
    }
}
