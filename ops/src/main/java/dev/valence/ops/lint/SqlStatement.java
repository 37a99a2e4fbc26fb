package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;

/** One statement of a migration file: its tokens (no terminating semicolon), its first line and its source text. */
record SqlStatement(List<SqlToken> tokens, int line, String text) {
    private static final int EXCERPT_CHARS = 120;

    /**
     * Splits a file the way psql does: at semicolons outside parentheses, quotes, comments and
     * {@code BEGIN ATOMIC ... END} bodies of SQL-standard functions.
     */
    static List<SqlStatement> split(String sql) {
        List<SqlStatement> statements = new ArrayList<>();
        List<SqlToken> current = new ArrayList<>();
        int parenDepth = 0;
        int atomicDepth = 0;
        for (SqlToken token : SqlLexer.tokenize(sql)) {
            switch (token.kind()) {
                case LEFT_PAREN -> parenDepth++;
                case RIGHT_PAREN -> parenDepth = Math.max(0, parenDepth - 1);
                default -> { }
            }
            if (token.isWord("atomic") && !current.isEmpty() && current.getLast().isWord("begin")) atomicDepth++;
            else if (atomicDepth > 0 && token.isWord("case")) atomicDepth++;
            else if (atomicDepth > 0 && token.isWord("end")) atomicDepth--;
            if (token.kind() == SqlToken.Kind.SEMICOLON && parenDepth == 0 && atomicDepth == 0) {
                if (!current.isEmpty()) statements.add(of(sql, current));
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        if (!current.isEmpty()) statements.add(of(sql, current));
        return statements;
    }

    private static SqlStatement of(String sql, List<SqlToken> tokens) {
        String text = sql.substring(tokens.getFirst().startOffset(), tokens.getLast().endOffset());
        return new SqlStatement(List.copyOf(tokens), tokens.getFirst().line(), text);
    }

    /** The statement on one line, whitespace collapsed, cut to {@value EXCERPT_CHARS} characters. */
    String excerpt() {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= EXCERPT_CHARS ? flat : flat.substring(0, EXCERPT_CHARS - 3) + "...";
    }
}
