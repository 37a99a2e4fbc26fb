package dev.valence.ops.lint;

import java.util.List;

/** Findings rendered as one comparable line each: {@code CODE severity line: message}. */
final class Findings {
    private Findings() {}

    static List<String> render(List<Finding> findings) {
        return findings.stream()
                .map(f -> f.rule().code() + " " + f.severity().displayName() + " " + f.line() + ": " + f.message())
                .toList();
    }

    static List<String> lint(String path, String sql) {
        return render(Linter.lintText(path, sql));
    }
}
