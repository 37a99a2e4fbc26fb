package dev.valence.ops.lint;

/**
 * One thing the linter found: a stable code, where, what (a sentence) and the safe alternative.
 *
 * @param file the path as given on the command line (or found under a given directory)
 * @param line the line the statement starts on, 1 for findings about the whole file
 * @param excerpt the statement on one line, empty for findings about the whole file
 */
record Finding(Rule rule, Severity severity, String file, int line, String excerpt, String message, String fix) {

    static Finding of(Rule rule, String file, SqlStatement statement, String message) {
        return new Finding(rule, rule.severity(), file, statement.line(), statement.excerpt(), message, rule.fix());
    }

    static Finding ofFile(Rule rule, String file, String message, String fix) {
        return new Finding(rule, rule.severity(), file, 1, "", message, fix);
    }

    Finding withSeverity(Severity newSeverity, String newMessage) {
        return new Finding(rule, newSeverity, file, line, excerpt, newMessage, fix);
    }
}
