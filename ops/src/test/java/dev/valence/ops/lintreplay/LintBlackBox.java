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
 * previous release runs?". Only the case's own findings count. {@code options} are further command-line options
 * ({@code --database}, {@code --old-queries}).
 */
final class LintBlackBox {
    private LintBlackBox() {}

    record Finding(String code, String severity, boolean breaking, boolean locking, String message) {
        /** A finding about the migration's operations (VL1xx), not about its declaration or its file. */
        boolean aboutOperations() {
            return code.startsWith("VL1");
        }

        /** An error or a warning; an accepted note ("info") is the linter saying the operation is fine here. */
        boolean flags() {
            return aboutOperations() && !severity.equals("info");
        }
    }

    /** The previous release's SQL as an operator passes it to {@code --old-queries}: the shared queries and the case's own. */
    static Path oldQueries(ReplayCase c, String sharedQueries, Path scratch) {
        try {
            Path file = Files.createDirectories(scratch.resolve(c.name())).resolve("old-queries.sql");
            Files.writeString(file, sharedQueries + "\n;\n" + String.join(";\n", c.oldQueries()) + "\n;\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Finding> lint(ReplayCase c, String baseSchema, Path scratch, String... options) {
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
            var arguments = new ArrayList<>(List.of("lint", "--format", "json"));
            arguments.addAll(List.of(options));
            arguments.add(app.toString());
            int exit = line.execute(arguments.toArray(String[]::new));
            String json = out.toString().strip();
            if (exit > 1 || !json.startsWith("[")) {
                throw new IllegalStateException("ops lint on " + c.name() + " exited " + exit + ": " + json + err);
            }
            var findings = new ArrayList<Finding>();
            for (Object item : new JsonArray(json)) {
                var finding = (JsonObject) item;
                if (finding.getString("file", "").endsWith(caseFile.getFileName().toString())) {
                    findings.add(new Finding(finding.getString("code"), finding.getString("severity"),
                            finding.getBoolean("breaking", false), finding.getBoolean("locking", false), finding.getString("message", "")));
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
