package dev.valence.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web-platform-tests URL data set (src/test/resources/wpt/urltestdata.json, see its NOTICE) run
 * through the URL class a val sees, inside the same GraalJS sandbox: every case is parsed like WPT's
 * url-constructor and url-origin tests do (failures must throw a TypeError and make URL.canParse
 * false; successes must match href, protocol, username, password, host, hostname, port, pathname,
 * search, searchParams, hash and origin where the data has them).
 */
class UrlDataTest {
    static JsEngine engine;

    /** Runs the cases; answers [cases, passed, the first failures]. */
    private static final String RUNNER = """
            (function (text) {
              const cases = JSON.parse(text).filter(c => typeof c === 'object' && c !== null);
              const failures = [];
              let passed = 0;
              for (const c of cases) {
                const problems = [];
                let url = null, error = null;
                try { url = c.base === null || c.base === undefined ? new URL(c.input) : new URL(c.input, c.base); } catch (e) { error = e; }
                const canParse = c.base === null || c.base === undefined ? URL.canParse(c.input) : URL.canParse(c.input, c.base);
                if (c.failure) {
                  if (!(error instanceof TypeError)) problems.push('expected a TypeError, got ' + (error ? error : 'href ' + url.href));
                  if (canParse) problems.push('URL.canParse was true');
                } else if (error) {
                  problems.push('threw ' + error);
                } else {
                  for (const key of ['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash', 'origin']) {
                    if (key in c && url[key] !== c[key]) problems.push(key + ' ' + JSON.stringify(url[key]) + ' != ' + JSON.stringify(c[key]));
                  }
                  if ('searchParams' in c && url.searchParams.toString() !== c.searchParams) problems.push('searchParams ' + url.searchParams.toString());
                  if (!canParse) problems.push('URL.canParse was false');
                }
                if (problems.length === 0) passed++;
                else failures.push(JSON.stringify(c.input) + (c.base ? ' against ' + JSON.stringify(c.base) : '') + ': ' + problems.join('; '));
              }
              return [cases.length, passed, failures.join('\\n')];
            })""";

    @BeforeAll
    static void start() {
        engine = new JsEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void the_url_class_passes_the_web_platform_tests_url_data() throws IOException {
        var run = WptDataRun.of(engine, "/wpt/urltestdata.json", RUNNER).report("URL data");
        assertEquals(687, run.cases());
        assertEquals(EXPECTED_PASSES, run.passed(), run.failures());
        assertEquals(2, run.failures().lines().filter(line -> line.contains("^_`{|}~\" against \"about:blank\": href")).count(), run.failures());
    }

    /**
     * All but two: the data is from 2022, and in 2024 the URL Standard added '^' to the path
     * percent-encode set, which whatwg-url 16 implements; the two cases whose paths contain '^'
     * ("foo://host/ !\"$%&'()*+,-./:;<=>@[\\]^_`{|}~" and its wss: twin) expect the old, unencoded '^'.
     */
    private static final int EXPECTED_PASSES = 685;
}
