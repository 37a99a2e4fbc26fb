package dev.valence.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** navigator.platform names the host's system the way Deno does (its value for Linux x86_64 is checked against Deno in GlobalsTest). */
class NavigatorPlatformTest {
    @Test
    void the_platform_is_named_as_deno_names_it_for_each_system() {
        assertEquals("Linux x86_64", JsEngine.platform("Linux", "amd64"));
        assertEquals("Linux aarch64", JsEngine.platform("Linux", "aarch64"));
        assertEquals("MacIntel", JsEngine.platform("Mac OS X", "aarch64"));
        assertEquals("Win32", JsEngine.platform("Windows 11", "amd64"));
    }
}
