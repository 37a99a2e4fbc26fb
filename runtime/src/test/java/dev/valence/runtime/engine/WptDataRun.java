package dev.valence.runtime.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One run of a web-platform-tests data file in a val's sandbox: {@code runner} is a JavaScript function
 * that takes the file's text and answers {@code [cases, passed, failures]} (failures one per line).
 */
record WptDataRun(int cases, int passed, String failures) {
    static WptDataRun of(JsEngine engine, String resource, String runner) throws IOException {
        String data;
        try (InputStream in = WptDataRun.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the test resources");
            data = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var created = engine.newContext(new LogBuffer(1024));
        try (Context context = created.context()) {
            Value result = context.eval(Source.create("js", runner)).execute(data);
            return new WptDataRun(result.getArrayElement(0).asInt(), result.getArrayElement(1).asInt(),
                    result.getArrayElement(2).asString());
        }
    }

    /** Prints the pass rate and every failure, so a run's output says what the sandbox gets wrong. */
    WptDataRun report(String what) {
        System.out.printf("WPT %s: %d of %d cases pass (%.1f%%)%n%s%n", what, passed, cases, 100.0 * passed / cases, failures);
        return this;
    }
}
