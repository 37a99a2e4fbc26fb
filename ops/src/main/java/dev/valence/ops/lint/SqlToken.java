package dev.valence.ops.lint;

/**
 * One lexical token of PostgreSQL SQL. {@code value} is what PostgreSQL sees: an unquoted word folded
 * to lower case, a quoted identifier or string with its quotes and escapes removed.
 */
record SqlToken(Kind kind, String value, int line, int startOffset, int endOffset) {

    enum Kind { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, OPERATOR, LEFT_PAREN, RIGHT_PAREN, COMMA, SEMICOLON, DOT, OTHER }

    /** True for an unquoted word equal to {@code keyword}: {@code "DROP"} in double quotes is never a keyword. */
    boolean isWord(String keyword) {
        return kind == Kind.WORD && value.equals(keyword);
    }

    boolean isIdentifier() {
        return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
    }

    /** The identifier as it would be written back: quoted ones keep their quotes so case stays visible. */
    String display() {
        return kind == Kind.QUOTED_IDENTIFIER ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
