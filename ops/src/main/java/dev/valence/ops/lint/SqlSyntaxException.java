package dev.valence.ops.lint;

/** SQL the linter cannot read (an unterminated quote or comment), with the line where the trouble starts. */
final class SqlSyntaxException extends RuntimeException {
    private final int line;

    SqlSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    int line() {
        return line;
    }
}
