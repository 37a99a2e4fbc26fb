package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The string literals of a source file, by its language's quoting: {@code "..."} and text blocks ({@code """...""")
 * everywhere, {@code '...'} and template literals ({@code `...`}) in JavaScript and TypeScript, {@code '...'} and
 * triple quotes in Python and Ruby, raw strings ({@code `...`}) in Go. Comments are skipped, so a quote in a comment
 * opens nothing. Escapes are kept as written: the literals are read for SQL names, not evaluated.
 */
final class StringLiterals {
    private StringLiterals() {}

    static List<String> of(String path, String text) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        boolean hashComments = extension.equals("py") || extension.equals("rb") || extension.startsWith("ex") || extension.startsWith("y")
                || extension.equals("properties");
        boolean singleQuotes = !Set.of("java", "kt", "kts", "scala", "cs", "go", "rs").contains(extension);
        boolean backticks = Set.of("js", "mjs", "cjs", "ts", "tsx", "jsx", "go").contains(extension);
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (!hashComments && text.startsWith("//", i)) {
                i = end(text, text.indexOf('\n', i));
            } else if (!hashComments && text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? text.length() : close + 2;
            } else if (hashComments && c == '#') {
                i = end(text, text.indexOf('\n', i));
            } else if (text.startsWith("\"\"\"", i) || singleQuotes && text.startsWith("'''", i)) {
                String fence = text.substring(i, i + 3);
                int close = text.indexOf(fence, i + 3);
                int stop = close < 0 ? text.length() : close;
                literals.add(text.substring(i + 3, stop));
                i = close < 0 ? text.length() : close + 3;
            } else if (c == '"' || singleQuotes && c == '\'' || backticks && c == '`') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c && !(c != '`' && text.charAt(j) == '\n')) {
                    j += text.charAt(j) == '\\' && c != '`' ? 2 : 1;
                }
                literals.add(text.substring(i + 1, Math.min(j, text.length())));
                i = j + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    private static int end(String text, int newline) {
        return newline < 0 ? text.length() : newline + 1;
    }
}
