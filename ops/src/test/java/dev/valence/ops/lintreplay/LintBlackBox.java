package dev.valence.ops.lintreplay;

import dev.valence.ops.Ops;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./valence ops lint --format json} on one case, through the CLI's own command line and nothing else of
 * the linter: the schema before the case is migration V1 and the case is V2 of an {@code app} folder, each
 * ending with an {@code expand} declaration, so the question put to the linter is "may this ship while the
 * previous release runs?". Only the case's own findings count.
 */
final class LintBlackBox {
    private LintBlackBox() {}

    record Finding(String code, boolean breaking, boolean locking) {
        /** A finding about the migration's operations (VL1xx), not about its declaration or its file. */
        boolean aboutOperations() {
            return code.startsWith("VL1");
        }
    }

    static List<Finding> lint(ReplayCase c, String baseSchema, Path scratch) {
        try {
            Path app = Files.createDirectories(scratch.resolve(c.name()).resolve("app"));
            Files.writeString(app.resolve("V1__schema_before.sql"), baseSchema + "\n" + c.before() + "\n" + declaration(1, "schema before the case"));
            Path caseFile = app.resolve("V2__" + c.name().replace('-', '_') + ".sql");
            Files.writeString(caseFile, c.migration() + "\n" + declaration(2, c.name()));
            var out = new StringWriter();
            var err = new StringWriter();
            var line = Ops.commandLine();
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(err, true));
            int exit = line.execute("lint", "--format", "json", app.toString());
            String json = out.toString().strip();
            if (exit > 1 || !json.startsWith("[")) {
                throw new IllegalStateException("ops lint on " + c.name() + " exited " + exit + ": " + json + err);
            }
            var findings = new ArrayList<Finding>();
            for (Object item : new JsonArray(json)) {
                var finding = (JsonObject) item;
                if (finding.getString("file", "").endsWith(caseFile.getFileName().toString())) {
                    findings.add(new Finding(finding.getString("code"), finding.getBoolean("breaking", false),
                            finding.getBoolean("locking", false)));
                }
            }
            return findings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String declaration(int version, String description) {
        return "INSERT INTO control.schema_contract (version, kind, min_code_level, description)\nVALUES (" + version
                + ", 'expand', 0, '" + description + "');\n";
    }
}
