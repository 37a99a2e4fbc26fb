package dev.valence.ops.lint;

import java.util.List;

/** How findings are written: for people ({@code path:line: CODE severity: sentence} and its fix) or as JSON. */
enum FindingFormat {
    HUMAN {
        @Override
        String render(List<Finding> findings, int fileCount) {
            var out = new StringBuilder();
            for (Finding f : findings) {
                out.append(f.file()).append(':').append(f.line()).append(": ").append(f.rule().code()).append(' ')
                        .append(f.severity().displayName()).append(": ").append(f.message()).append('\n')
                        .append("    fix: ").append(f.fix()).append('\n');
            }
            out.append("lint: ").append(fileCount).append(fileCount == 1 ? " file, " : " files, ")
                    .append(count(findings, Severity.ERROR)).append(" errors, ")
                    .append(count(findings, Severity.WARNING)).append(" warnings, ")
                    .append(count(findings, Severity.INFO)).append(" accepted\n");
            return out.toString();
        }
    },
    JSON {
        @Override
        String render(List<Finding> findings, int fileCount) {
            var out = new StringBuilder("[");
            for (int i = 0; i < findings.size(); i++) {
                Finding f = findings.get(i);
                out.append(i == 0 ? "\n  {" : ",\n  {")
                        .append("\"code\": ").append(quote(f.rule().code()))
                        .append(", \"severity\": ").append(quote(f.severity().displayName()))
                        .append(", \"file\": ").append(quote(f.file()))
                        .append(", \"line\": ").append(f.line())
                        .append(", \"statement\": ").append(quote(f.excerpt()))
                        .append(", \"message\": ").append(quote(f.message()))
                        .append(", \"fix\": ").append(quote(f.fix()))
                        .append(", \"breaking\": ").append(f.rule().breaksPreviousRelease())
                        .append(", \"locking\": ").append(f.rule().locksHeavily())
                        .append('}');
            }
            return out.append(findings.isEmpty() ? "]\n" : "\n]\n").toString();
        }
    };

    abstract String render(List<Finding> findings, int fileCount);

    private static long count(List<Finding> findings, Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    static String quote(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
